import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { Settings } from '../../../shared/settings';
import type { AuditLog } from '../audit';
import { fileStamp, sha256File } from '../files';
import { createLogger } from '../log';
import { readMeta, writeMeta, type Db } from '../store/database';
import { writeBackup, type BackupDeps, type BackupWritten } from './backup';
import { writeLedger } from './ledger';
import { everyRecoveryRecipient, recoveryKeyState } from './recovery';

// Backups without the DPO remembering: into the backup folder of the settings, every interval
// while the desk or `watch` is open, after every finished erasure job, and on `backup --auto`
// (for cron or a scheduled task). The folder keeps the newest `backup_keep`; older ones are
// deleted by the app, and the audit log records each backup and each deletion (name and hash).

const log = createLogger('backup');
const LAST_BACKUP = 'last_backup';
const NAME = /^dsr-desk-backup-\d{8}T\d{6}(\.\d{3})?Z\.age$/;

export interface LastBackup {
  at: string;
  path: string;
  sha256: string;
  /** When `backup verify` last opened this very file with the recovery key and found it whole. */
  verified_at: string | null;
}

export interface ScheduleDeps extends BackupDeps {
  db: Db;
  audit: AuditLog;
  settings: () => Settings;
}

export function lastBackup(db: Db): LastBackup | null {
  const raw = readMeta(db, LAST_BACKUP);
  return raw ? (JSON.parse(raw) as LastBackup) : null;
}

export function rememberBackup(db: Db, backup: LastBackup): void {
  writeMeta(db, LAST_BACKUP, JSON.stringify(backup));
}

/** Every recipient a backup is encrypted to: the recovery key first, then the settings' and the call's. */
export function backupRecipients(db: Db, settings: Settings, extra: string[] = []): string[] {
  const recovery = recoveryKeyState(db).recipient;
  return recovery ? [...new Set([recovery, ...settings.backup_recipients, ...extra])] : [];
}

/** Marks the last backup verified when the file just checked is that backup, byte for byte. */
export function noteVerified(db: Db, file: string, at: Date): void {
  const last = lastBackup(db);
  if (last && path.resolve(file) === last.path && fs.existsSync(file) && sha256File(file) === last.sha256) rememberBackup(db, { ...last, verified_at: at.toISOString() });
}

/** The backups in the folder, newest first; none while the folder is away. */
export function listBackups(folder: string | null): { name: string; bytes: number; at: string }[] {
  if (!folder || !fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((name) => NAME.test(name))
    .sort()
    .reverse()
    .map((name) => {
      const stat = fs.statSync(path.join(folder, name));
      return { name, bytes: stat.size, at: stat.mtime.toISOString() };
    });
}

/** Whether the last backup is older than the interval, or there is none. */
export function backupOverdue(db: Db, settings: Settings, now: Date): boolean {
  const last = lastBackup(db);
  return !last || now.getTime() - Date.parse(last.at) >= settings.backup_interval_hours * 3_600_000;
}

/** Whether the schedule owes a backup now (a folder is set and the last is older than the interval). */
export function backupDue(db: Db, settings: Settings, now: Date): boolean {
  return settings.backup_folder !== null && backupOverdue(db, settings, now);
}

function backupFolder(settings: Settings): string {
  if (!settings.backup_folder) throw new AppError('INVALID_STATE', 'No backup folder is set (a network share or a USB disk).', { action: 'set-backup-folder' });
  const folder = path.resolve(settings.backup_folder);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new AppError(
      'OUTPUT_UNWRITABLE',
      `The backup folder ${folder} is not there (a disk not plugged in, or a share not mounted?). Nothing was written. Connect it, or choose another with \`settings set --backup-folder\`.`,
    );
  }
  return folder;
}

/**
 * Writes the ledger beside the backups, when there is a folder and a recovery key to encrypt to.
 * Encrypted to every recovery key the store has had, not only the current one: restoring a backup
 * taken before the key was replaced needs the old key, and must still be able to read the ledger.
 */
export async function updateLedger(deps: ScheduleDeps, folder: string | null = deps.settings().backup_folder): Promise<void> {
  const recipients = [...new Set([...everyRecoveryRecipient(deps.db), ...backupRecipients(deps.db, deps.settings())])];
  if (!folder || recipients.length === 0 || !fs.existsSync(folder)) return;
  const written = await writeLedger(deps.db, folder, recipients);
  log.info('erasure ledger written', { subjects: written.subjects });
}

/** What the schedule does: a backup into the folder, the ledger beside it, and the oldest beyond `backup_keep` deleted. */
export async function autoBackup(deps: ScheduleDeps, actor = 'backup'): Promise<BackupWritten & { deleted: string[] }> {
  const settings = deps.settings();
  const folder = backupFolder(settings);
  const written = await recordedBackup(deps, path.join(folder, `dsr-desk-backup-${fileStamp(deps.now())}.age`), [], false, actor);
  const backups = fs
    .readdirSync(folder)
    .filter((name) => NAME.test(name))
    .sort();
  const deleted: string[] = [];
  for (const name of backups.slice(0, Math.max(0, backups.length - settings.backup_keep))) {
    const file = path.join(folder, name);
    const sha256 = sha256File(file);
    fs.rmSync(file);
    deps.audit.append({ actor, action: 'backup.deleted', details: { file: name, sha256, keep: settings.backup_keep } });
    deleted.push(file);
  }
  return { ...written, deleted };
}

/** One backup, recorded: the audit entry, the last-backup note, and the ledger beside it. */
export async function recordedBackup(deps: ScheduleDeps, out: string, extra: string[], force: boolean, actor = 'backup'): Promise<BackupWritten> {
  const recipients = backupRecipients(deps.db, deps.settings(), extra);
  const written = await writeBackup(deps, out, recipients, force);
  deps.db.transaction(() => {
    deps.audit.append({
      actor,
      action: 'backup.written',
      details: { file: path.basename(written.path), sha256: written.sha256, bytes: written.bytes, taken_at: written.taken_at, recipients: recipients.length, audit_entries: written.audit.entries },
    });
    rememberBackup(deps.db, { at: written.taken_at, path: written.path, sha256: written.sha256, verified_at: null });
  })();
  await updateLedger(deps, path.dirname(written.path));
  return written;
}

/**
 * Runs the schedule while the desk or `watch` is open: checks every few minutes whether a backup
 * is due. A failure (the share is away) is logged and tried again at the next check.
 */
export function startBackupSchedule(deps: ScheduleDeps, everyMs = 5 * 60_000): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running || !deps.db.open || !backupDue(deps.db, deps.settings(), deps.now())) return;
    running = autoBackup(deps, 'schedule')
      .then((written) => log.info('scheduled backup written', { bytes: written.bytes, deleted: written.deleted.length }))
      .catch((error: unknown) => log.warn('scheduled backup failed; tried again at the next check', { code: (error as { code?: string }).code ?? 'INTERNAL' }))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  setImmediate(tick);
  // Stopping waits for a backup under way, so the store is never closed beneath it.
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
