import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../shared/errors';
import { checkDataFolder, pathInDataFolder } from '../data-folder';
import { writeBytes } from '../files';
import { createLogger } from '../log';
import type { Secrets } from '../secrets';
import { applyKey, DATABASE_FILE, readMeta, writeMeta, type Db } from '../store/database';
import { decryptBytes, encryptBytes } from './age-stream';

// The recovery key: an age X25519 identity the DPO keeps on paper, not the machine. Its public
// half stays in the store; every backup is encrypted to it, and so is the envelope beside the
// database, which holds the keychain's keys for this store a second time, so a lost or reset
// keychain costs nothing while the sheet exists.

const log = createLogger('backup');

export const ENVELOPE_FILE = 'recovery-envelope.age';
const RECIPIENT_META = 'recovery_recipient';
const CREATED_META = 'recovery_created_at';
/** Every recovery key this store has had: the erasure ledger stays readable with the key an old backup needs. */
const HISTORY_META = 'recovery_recipients_all';

/** What the envelope holds: the keychain's keys of this store. */
export interface StoreKeys {
  database_key: string;
  suppression_key: string | null;
}

export interface RecoveryKeyState {
  recipient: string | null;
  created_at: string | null;
}

export function recoveryKeyState(db: Db): RecoveryKeyState {
  return { recipient: readMeta(db, RECIPIENT_META), created_at: readMeta(db, CREATED_META) };
}

export function keepRecipient(db: Db, recipient: string, at: Date): void {
  writeMeta(db, RECIPIENT_META, recipient);
  writeMeta(db, CREATED_META, at.toISOString());
  writeMeta(db, HISTORY_META, JSON.stringify([...new Set([...everyRecoveryRecipient(db), recipient])]));
}

export function everyRecoveryRecipient(db: Db): string[] {
  const current = readMeta(db, RECIPIENT_META);
  return [...new Set([...(JSON.parse(readMeta(db, HISTORY_META) ?? '[]') as string[]), ...(current ? [current] : [])])];
}

/** The store's keys as the keychain holds them now. */
export async function storeKeys(secrets: Secrets): Promise<StoreKeys> {
  const databaseKey = await secrets.getDatabaseKey();
  if (!databaseKey) throw new AppError('DATABASE_KEY_MISSING', 'The keychain holds no database key for this store.');
  return { database_key: databaseKey, suppression_key: await secrets.suppressionKey({ create: false }) };
}

/** (Re)writes the envelope beside the database, encrypted to the recovery key only. */
export async function writeEnvelope(dataDir: string, recipient: string, keys: StoreKeys): Promise<void> {
  const sealed = await encryptBytes(JSON.stringify({ format: 'dsr-desk-recovery-envelope', version: 1, ...keys }), [recipient]);
  writeBytes(pathInDataFolder(dataDir, ENVELOPE_FILE), Buffer.from(sealed), true);
}

/**
 * Opens a store whose key this keychain lacks: the envelope, opened with the recovery identity,
 * gives the keys back; they go into this keychain only once the database key has been shown to
 * open the store. Nothing else changes here (the core records the unlock in the audit log).
 */
export async function unlockStore(dataDir: string, secrets: Secrets, identity: string): Promise<{ envelope: string }> {
  const dir = checkDataFolder(dataDir);
  const file = path.join(dir, DATABASE_FILE);
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `There is no store in ${dir} to unlock.`);
  if (await secrets.getDatabaseKey()) throw new AppError('INVALID_STATE', `This keychain already holds the key of ${file}; there is nothing to unlock.`);
  const envelopeFile = path.join(dir, ENVELOPE_FILE);
  if (!fs.existsSync(envelopeFile)) {
    throw new AppError(
      'NOT_FOUND',
      `${dir} has no ${ENVELOPE_FILE} (it is written when a recovery key is made), so the recovery key can't open this store. Restore a backup into a new folder instead (\`dsr-desk restore\`).`,
    );
  }
  const plain = await decryptBytes(fs.readFileSync(envelopeFile), identity, envelopeFile).catch((error: AppError) => {
    throw error.code === 'BACKUP_IDENTITY_WRONG'
      ? new AppError(
          'BACKUP_IDENTITY_WRONG',
          `The recovery key given is not the one this store's envelope was made for. Nothing was changed. Use the sheet of the newest recovery key made on this store.`,
        )
      : error;
  });
  const keys = JSON.parse(Buffer.from(plain).toString('utf8')) as StoreKeys;
  const db = new Database(file, { fileMustExist: true, readonly: true });
  try {
    applyKey(db, keys.database_key);
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch {
    throw new AppError('DATABASE_WRONG_KEY', `The envelope's key does not open ${file} (the envelope belongs to another store, or the store was replaced). Nothing was changed.`);
  } finally {
    db.close();
  }
  const held = await secrets.suppressionKey({ create: false });
  if (keys.suppression_key && held && held !== keys.suppression_key) {
    throw new AppError(
      'INVALID_STATE',
      'This keychain holds another suppression key for this folder than the store was made with. Nothing was changed. Remove the entry "suppression-key@<data directory>" (service "DSR Desk") and unlock again.',
    );
  }
  await secrets.setDatabaseKey(keys.database_key);
  if (keys.suppression_key && !held) await secrets.setSuppressionKey(keys.suppression_key);
  log.info('store unlocked with the recovery key');
  return { envelope: envelopeFile };
}
