import path from 'node:path';
import { stageRestore } from './backup/restore';
import { recoveryKeyState, storeKeys, unlockStore, writeEnvelope } from './backup/recovery';
import { keytarBackend, Secrets, type KeychainBackend } from './secrets';
import { openCore, type Core } from './service';

// The two ways back to a register after its keychain is gone: restore a backup into a new folder,
// or unlock the folder itself with the recovery key. Each opens the store afterwards and records
// what happened in its audit log, so the chain shows a restore or an unlock as an entry of its own.

export interface RecoveryOptions {
  dataDir: string;
  identity: string;
  keychain?: KeychainBackend;
  now?: () => Date;
}

export interface Restored {
  restored: true;
  requests: number;
  audit: { ok: boolean; entries: number };
  reerased: number;
  taken_at: string;
  moved_aside: string | null;
}

async function withCore<T>(options: RecoveryOptions, body: (core: Core) => Promise<T>): Promise<T> {
  const core = await openCore({ dataDir: options.dataDir, keychain: options.keychain, now: options.now });
  try {
    return await body(core);
  } finally {
    await core.close();
  }
}

export async function restoreFromBackup(options: RecoveryOptions & { file: string; force: boolean; ledgers?: string[] }): Promise<Restored> {
  const keychain = options.keychain ?? keytarBackend();
  const staged = await stageRestore(options.file, options.identity, options.dataDir, keychain, options.force, options.ledgers ?? []);
  const { manifest } = staged;
  return withCore({ ...options, keychain }, async (core) => {
    const { db } = core.store;
    // One entry for the restore itself (opening the store ran the migrations an older backup needs).
    core.audit.append({
      actor: 'restore',
      action: 'backup.restored',
      details: {
        summary: `restored from a backup taken at ${manifest.taken_at} (entries 1..${manifest.audit.entries}, head ${manifest.audit.head})`,
        taken_at: manifest.taken_at,
        entries: manifest.audit.entries,
        head: manifest.audit.head,
        file: path.basename(options.file),
        app_version: manifest.app_version,
        schema_version: manifest.schema_version,
      },
    });
    // The register records each erasure the ledger put back, so the request's next job reads Zoom back.
    core.requests.noteRestoredErasures();
    const recipient = recoveryKeyState(db).recipient;
    if (recipient) await writeEnvelope(staged.dataDir, recipient, await storeKeys(core.secrets));
    const verdict = await core.service.verifyAudit({});
    return {
      restored: true as const,
      requests: manifest.counts.requests,
      audit: { ok: verdict.ok, entries: verdict.entries },
      reerased: staged.reerased,
      taken_at: manifest.taken_at,
      moved_aside: staged.movedAside,
    };
  });
}

export async function unlockWithRecoveryKey(options: RecoveryOptions): Promise<{ unlocked: true }> {
  const keychain = options.keychain ?? keytarBackend();
  const { envelope } = await unlockStore(options.dataDir, new Secrets(keychain, options.dataDir), options.identity);
  return withCore({ ...options, keychain }, async (core) => {
    core.audit.append({ actor: 'recovery', action: 'store.unlocked', details: { envelope: path.basename(envelope), note: 'the database key was put back into this keychain with the recovery key' } });
    return { unlocked: true as const };
  });
}
