import path from 'node:path';
import type { CoreService } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Settings } from '../../../shared/settings';
import type { AuditLog } from '../audit';
import { checkTarget, writeBytes } from '../files';
import { createLogger } from '../log';
import type { Secrets } from '../secrets';
import type { Db } from '../store/database';
import type { SuppressionList } from '../store/suppression';
import { newIdentity, parseIdentity } from '../backup/age';
import { verifyBackup } from '../backup/backup';
import { keepRecipient, recoveryKeyState, storeKeys, writeEnvelope } from '../backup/recovery';
import { recoverySheetPdf } from '../backup/recovery-sheet';
import { autoBackup, backupOverdue, backupRecipients, lastBackup, listBackups, noteVerified, recordedBackup, updateLedger, type ScheduleDeps } from '../backup/schedule';

const log = createLogger('backup');

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

type BackupOperations = Pick<CoreService, 'createRecoveryKey' | 'getRecoveryKey' | 'writeBackup' | 'verifyBackup' | 'runAutoBackup' | 'getBackupStatus' | 'unlockStore'>;

/** The contract's backup and recovery-key operations over one open store, and what a finished erasure job sets off. */
export function backupHandlers(deps: BackupHandlerDeps): { operations: BackupOperations; afterErasureJob(): Promise<void>; schedule: ScheduleDeps } {
  const { db, audit } = deps;
  const schedule: ScheduleDeps = deps;
  const operations: BackupOperations = {
    async createRecoveryKey(input) {
      const current = recoveryKeyState(db);
      if (current.recipient && !input.force) {
        throw new AppError(
          'INVALID_STATE',
          `A recovery key exists already (made ${current.created_at}). Nothing was changed. Add --force to replace it; backups taken before still open only with the old one.`,
        );
      }
      const sheetTarget = input.sheet ? checkTarget(input.sheet, false) : null;
      await deps.suppression();
      const { identity, recipient } = await newIdentity();
      const createdAt = deps.now();
      let sheet: string | null = null;
      if (sheetTarget) {
        const settings = deps.settings();
        const { bytes } = await recoverySheetPdf({
          identity,
          recipient,
          organisation: settings.organisation_name,
          dataDir: path.resolve(deps.dataDir),
          createdAt,
          lang: settings.ui_language ?? settings.language,
        });
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
      return recordedBackup(schedule, input.out, input.recipients, input.force);
    },
    async verifyBackup(input) {
      const verified = await verifyBackup(input.file, parseIdentity(input.identity));
      noteVerified(db, input.file, deps.now());
      return verified;
    },
    async runAutoBackup() {
      return autoBackup(schedule);
    },
    async unlockStore() {
      throw new AppError('INVALID_STATE', 'This store is open with the key in this keychain: there is nothing to unlock.');
    },
    async getBackupStatus() {
      const settings = deps.settings();
      const last = lastBackup(db);
      return {
        recovery_key: recoveryKeyState(db),
        folder: settings.backup_folder,
        interval_hours: settings.backup_interval_hours,
        keep: settings.backup_keep,
        recipients: backupRecipients(db, settings),
        after_erasure: settings.backup_after_erasure,
        last,
        overdue: backupOverdue(db, settings, deps.now()),
        backups: listBackups(settings.backup_folder),
      };
    },
  };
  return {
    operations,
    schedule,
    // The ledger beside the backups learns of the erasure at once, and (by default) a backup follows it.
    async afterErasureJob() {
      try {
        const settings = deps.settings();
        if (settings.backup_after_erasure && settings.backup_folder && recoveryKeyState(db).recipient) await autoBackup(schedule, 'backup');
        else await updateLedger(schedule);
      } catch (error) {
        log.warn('the backup after an erasure job failed; the schedule tries again', { code: (error as { code?: string }).code ?? 'INTERNAL' });
      }
    },
  };
}
