import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type { BackupWritten as BackupWrittenShape } from '../../../shared/backup';
import { AppError } from '../../../shared/errors';
import { auditLine, checkAuditLines, type AuditRow } from '../audit';
import { pathInDataFolder } from '../data-folder';
import { checkTarget } from '../files';
import { appVersion } from '../paths';
import type { Secrets } from '../secrets';
import { applyKey, CIPHER, DATABASE_FILE } from '../store/database';
import { LATEST_SCHEMA_VERSION } from '../store/migrations';
import { ageError } from './age';
import { decryptFile, encryptStream } from './age-stream';
import { ArchiveWriter, AUDIT_PART, documentFiles, FORMAT, FORMAT_VERSION, KEYS_PART, MANIFEST_PART, readArchive, STORE_PART, type Manifest, type ReadPart } from './archive';
import { storeKeys } from './recovery';
import { snapshotStore } from './snapshot';

// A backup: a consistent snapshot of the store (VACUUM INTO, one read transaction on a thread of its
// own, so a sync or a job may write meanwhile and the core's thread stays free), the documents the
// app keeps and a manifest, as one age file.
//
// Why VACUUM INTO and not SQLite's online backup API: with SQLite3 Multiple Ciphers the backup API
// refuses a destination that isn't keyed like the source ("incompatible source and target
// databases"), and better-sqlite3 can't key the file it opens for it; VACUUM INTO writes its copy
// encrypted with the store's own cipher and key. The copy sits in the data folder, encrypted,
// only while it is streamed into the age file, and is removed whatever happens.
//
// Size: everything but the small parts (keys, audit log, manifest) is streamed, so memory stays
// flat whatever the store's size; a part can be at most 8 GiB (the tar format's size field), some
// eight times a desk with a million registrants.

export type BackupWritten = z.infer<typeof BackupWrittenShape>;

export interface BackupDeps {
  dataDir: string;
  secrets: Secrets;
  now: () => Date;
}

/** What a snapshot holds, read from the snapshot itself so the manifest describes exactly what was copied. */
function describeSnapshot(file: string, key: string): { schema: number; counts: Manifest['counts']; audit: Manifest['audit']; auditLines: Buffer } {
  const snapshot = new Database(file, { readonly: true, fileMustExist: true });
  try {
    applyKey(snapshot, key);
    const count = (table: string) => snapshot.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    const lines: string[] = [];
    let head = { entries: 0, head: '0'.repeat(64) };
    for (const row of snapshot.prepare('SELECT seq, at, actor, action, request_id, details, prev_hash, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      lines.push(auditLine(row));
      head = { entries: row.seq, head: row.hash };
    }
    return {
      schema: snapshot.pragma('user_version', { simple: true }) as number,
      counts: { requests: count('requests'), registrants: count('registrants'), audit_entries: lines.length },
      audit: head,
      auditLines: Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8'),
    };
  } finally {
    snapshot.close();
  }
}

export async function writeBackup(deps: BackupDeps, out: string, recipients: string[], force: boolean): Promise<BackupWritten> {
  if (recipients.length === 0) throw new AppError('RECOVERY_KEY_MISSING', 'No recovery key is set, so a backup could be opened by nobody. Nothing was written.', { action: 'create-recovery-key' });
  const target = checkTarget(out, force);
  if (!fs.existsSync(path.dirname(target))) throw new AppError('OUTPUT_UNWRITABLE', `The folder ${path.dirname(target)} does not exist; nothing was written. Create it, or choose another --out.`);
  const keys = await storeKeys(deps.secrets);
  const takenAt = deps.now().toISOString();
  const snapshot = pathInDataFolder(deps.dataDir, `.backup-snapshot-${process.pid}-${randomBytes(4).toString('hex')}.db`);
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  let fd: number | null = null;
  try {
    await snapshotStore({ file: path.join(path.resolve(deps.dataDir), DATABASE_FILE), key: keys.database_key, target: snapshot });
    const described = describeSnapshot(snapshot, keys.database_key);
    const archive = new ArchiveWriter();
    fd = fs.openSync(partial, 'wx', 0o600);
    const encrypted = encryptStream(archive.readable(), recipients, fd);
    const manifest = await (async (): Promise<Manifest> => {
      await archive.addBytes(
        KEYS_PART,
        Buffer.from(`${JSON.stringify({ ...keys, note: "database_key opens store/dsr-desk.db (SQLCipher 4, raw key); suppression_key makes the register's keyed hashes" }, null, 2)}\n`),
      );
      await archive.addFile(STORE_PART, snapshot);
      await archive.addBytes(AUDIT_PART, described.auditLines);
      for (const document of documentFiles(deps.dataDir)) await archive.addFile(document.name, document.file);
      const manifest: Manifest = {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        app_version: appVersion(),
        schema_version: described.schema,
        taken_at: takenAt,
        audit: described.audit,
        counts: described.counts,
        store: { cipher: CIPHER, compatibility: 4, key: `${KEYS_PART}:database_key` },
        parts: [...archive.parts],
      };
      await archive.finish(manifest);
      return manifest;
    })();
    const written = await encrypted;
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(partial, target);
    return { path: target, sha256: written.sha256, bytes: written.bytes, taken_at: takenAt, schema_version: manifest.schema_version, audit: manifest.audit, counts: manifest.counts };
  } catch (error) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new AppError('OUTPUT_UNWRITABLE', `Could not write the backup ${target} (${code}); nothing was written. Choose a folder you can write to with enough free space.`);
    throw error;
  } finally {
    fs.rmSync(snapshot, { force: true });
  }
}

/** Checks what was read against the manifest that came last: every part there, of its size and hash, and nothing else. */
export function checkManifest(parts: ReadPart[], file: string): Manifest {
  const corrupt = (why: string) => new AppError('BACKUP_CORRUPT', `${file} ${why}. Nothing was written. Use another copy of the backup.`);
  const last = parts[parts.length - 1];
  if (!last || last.name !== MANIFEST_PART || !last.bytes) throw corrupt('ends before its manifest: it was cut short');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(last.bytes.toString('utf8')) as Manifest;
  } catch {
    throw corrupt('has a manifest that is not JSON');
  }
  if (manifest.format !== FORMAT) throw corrupt('is not a DSR Desk backup');
  if (manifest.format_version > FORMAT_VERSION || manifest.schema_version > LATEST_SCHEMA_VERSION) {
    throw new AppError(
      'BACKUP_FROM_FUTURE',
      `${file} was written by DSR Desk ${manifest.app_version} (schema ${manifest.schema_version}, backup format ${manifest.format_version}); this DSR Desk reads schema ${LATEST_SCHEMA_VERSION} and format ${FORMAT_VERSION} at most. Nothing was written. Install DSR Desk ${manifest.app_version} or newer to restore it.`,
    );
  }
  const read = new Map(parts.slice(0, -1).map((part) => [part.name, part]));
  if (read.size !== manifest.parts.length) throw corrupt(`holds ${read.size} parts where its manifest lists ${manifest.parts.length}`);
  for (const listed of manifest.parts) {
    const part = read.get(listed.path);
    if (!part) throw corrupt(`lacks ${listed.path}, which its manifest lists`);
    if (part.size !== listed.bytes || part.sha256 !== listed.sha256)
      throw corrupt(`has a ${listed.path} that differs from its manifest (SHA-256 ${part.sha256.slice(0, 12)}…, listed ${listed.sha256.slice(0, 12)}…)`);
  }
  for (const needed of [KEYS_PART, STORE_PART, AUDIT_PART]) if (!read.has(needed)) throw corrupt(`lacks ${needed}`);
  const chain = checkAuditLines(read.get(AUDIT_PART)!.bytes!.toString('utf8'));
  if (!chain.ok) throw corrupt(`has an audit log whose chain breaks at entry ${chain.first_bad}`);
  if (chain.entries !== manifest.audit.entries || chain.head !== manifest.audit.head)
    throw corrupt(`has an audit log that ends at entry ${chain.entries} (head ${chain.head.slice(0, 12)}…) where its manifest says ${manifest.audit.entries} (${manifest.audit.head.slice(0, 12)}…)`);
  return manifest;
}

/**
 * Decrypts and reads a backup through, in memory: every part's hash against the manifest and the
 * audit chain inside. Nothing is written anywhere.
 */
export async function verifyBackup(file: string, identity: string): Promise<{ ok: true; manifest: Manifest }> {
  const source = path.resolve(file);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new AppError('NOT_FOUND', `There is no backup file at ${source}.`);
  let parts: ReadPart[];
  try {
    parts = await readArchive(await decryptFile(source, identity), (name) => (name === STORE_PART || name.includes('/') ? 'discard' : 'memory'));
  } catch (error) {
    throw ageError(error, source);
  }
  return { ok: true, manifest: checkManifest(parts, source) };
}
