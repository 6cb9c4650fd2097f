import path from 'node:path';
import type { CoreService } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Settings } from '../../../shared/settings';
import type { AuditLog } from '../audit';
import type { Secrets } from '../secrets';
import type { Db } from '../store/database';
import type { SuppressionList } from '../store/suppression';
import { checkTarget, writeBytes } from '../files';
import { newIdentity, parseIdentity } from './age';
import { recoverySheetPdf } from './recovery-sheet';
import { verifyBackup, writeBackup } from './backup';
import { keepRecipient, recoveryKeyState, storeKeys, writeEnvelope } from './recovery';

export interface BackupHandlerDeps {
  db: Db;
  dataDir: string;
  secrets: Secrets;
  audit: AuditLog;
  now: () => Date;
  settings: () => Settings;
  /** Opened before a key is made, so the suppression key exists and goes into the envelope. */
  suppression: () => Promise<SuppressionList>;
}

type BackupOperations = Pick<CoreService, 'createRecoveryKey' | 'getRecoveryKey' | 'writeBackup' | 'verifyBackup'>;

/** The contract's backup and recovery-key operations over one open store. */
export function backupHandlers(deps: BackupHandlerDeps): BackupOperations {
  const { db, audit } = deps;
  return {
    async createRecoveryKey(input) {
      const current = recoveryKeyState(db);
      if (current.recipient && !input.force) {
        throw new AppError('INVALID_STATE', `A recovery key exists already (made ${current.created_at}). Nothing was changed. Add --force to replace it; backups taken before still open only with the old one.`);
      }
      const sheetTarget = input.sheet ? checkTarget(input.sheet, false) : null;
      await deps.suppression();
      const { identity, recipient } = await newIdentity();
      const createdAt = deps.now();
      let sheet: string | null = null;
      if (sheetTarget) {
        const settings = deps.settings();
        const { bytes } = await recoverySheetPdf({ identity, recipient, organisation: settings.organisation_name, dataDir: path.resolve(deps.dataDir), createdAt, lang: settings.ui_language ?? settings.language });
        sheet = writeBytes(sheetTarget, bytes, false).path;
      }
      await writeEnvelope(deps.dataDir, recipient, await storeKeys(deps.secrets));
      db.transaction(() => {
        keepRecipient(db, recipient, createdAt);
        audit.append({ actor: 'recovery', action: 'recovery_key.created', details: { recipient, replaced: current.recipient, sheet: sheet !== null } });
      })();
      return { recipient, identity, sheet };
    },
    async getRecoveryKey() {
      return recoveryKeyState(db);
    },
    async writeBackup(input) {
      const recovery = recoveryKeyState(db).recipient;
      const recipients = recovery ? [...new Set([recovery, ...deps.settings().backup_recipients, ...input.recipients])] : [];
      const written = await writeBackup(deps, input.out, recipients, input.force);
      audit.append({
        actor: 'backup',
        action: 'backup.written',
        details: { file: path.basename(written.path), sha256: written.sha256, bytes: written.bytes, taken_at: written.taken_at, recipients: recipients.length, audit_entries: written.audit.entries },
      });
      return written;
    },
    async verifyBackup(input) {
      return verifyBackup(input.file, parseIdentity(input.identity));
    },
  };
}
