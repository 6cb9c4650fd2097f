import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../shared/errors';
import { ensureDataFolder } from '../data-folder';
import { fileStamp } from '../files';
import { createLogger } from '../log';
import type { KeychainBackend } from '../secrets';
import { Secrets } from '../secrets';
import { applyKey, DATABASE_FILE } from '../store/database';
import { migrate } from '../store/migrations';
import { applyLedger, LEDGER_FILE, readLedger, type LedgerEntry } from './ledger';
import { ageError } from './age';
import { decryptFile } from './age-stream';
import { checkManifest } from './backup';
import { KEYS_PART, readArchive, STORE_PART, type Manifest, type ReadPart } from './archive';
import type { StoreKeys } from './recovery';

// Restore builds a new store from a backup in a folder of its own, under a new database key in
// this machine's keychain. Everything is read, checked against the manifest and the audit chain
// in a staging folder first; only a backup that checks out whole reaches the keychain and the
// folder, so a wrong key, a damaged or cut file, or a backup from a newer version changes nothing.

const log = createLogger('backup');
const STAGING_PREFIX = '.restoring-';

export interface RestoreStaged {
  dataDir: string;
  manifest: Manifest;
  /** Subjects erased after the backup was taken, anonymized again from the ledgers. */
  reerased: number;
  /** The folder an existing store was moved to (--force), or null. */
  movedAside: string | null;
}

/** A folder that holds a store: refused, or with `force` moved aside (never deleted) with its keychain entries. */
async function clearTarget(dir: string, keychain: KeychainBackend, force: boolean): Promise<string | null> {
  if (!fs.existsSync(path.join(dir, DATABASE_FILE))) return null;
  if (!force) {
    throw new AppError(
      'RESTORE_TARGET_NOT_EMPTY',
      `${dir} already holds a store; nothing was written. Restore into a new folder (--data-dir), or add --force to move the store there aside (it is kept, never deleted).`,
    );
  }
  const aside = `${dir}.before-restore-${fileStamp(new Date())}`;
  fs.mkdirSync(aside, { mode: 0o700 });
  // Everything of the old store moves, the restore's own staging folder stays.
  for (const entry of fs.readdirSync(dir)) if (!entry.startsWith(STAGING_PREFIX)) fs.renameSync(path.join(dir, entry), path.join(aside, entry));
  // The keychain's entries are named by folder: the moved store keeps its keys under its new name.
  const from = new Secrets(keychain, dir);
  const to = new Secrets(keychain, aside);
  const databaseKey = await from.getDatabaseKey();
  if (databaseKey) await to.setDatabaseKey(databaseKey);
  const suppressionKey = await from.suppressionKey({ create: false });
  if (suppressionKey) await to.setSuppressionKey(suppressionKey);
  const anchor = await from.getAuditAnchor();
  if (anchor) await to.setAuditAnchor(anchor);
  await from.forget();
  return aside;
}

/** The store part, opened with the backup's key, must hold the audit log the manifest describes. */
function checkStoreMatches(file: string, key: string, manifest: Manifest, source: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    applyKey(db, key);
    const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    if ((head?.seq ?? 0) !== manifest.audit.entries || (head?.hash ?? '0'.repeat(64)) !== manifest.audit.head) {
      throw new AppError('BACKUP_CORRUPT', `${source} holds a store whose audit log does not end where its manifest says. Nothing was written.`);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('BACKUP_CORRUPT', `${source} holds a store that its own key does not open. Nothing was written.`);
  } finally {
    db.close();
  }
}

/**
 * Re-encrypts the staged store under a new key (rekey needs a rollback journal, not WAL), brings an
 * older backup's schema up to date and applies the erasure ledgers, all before the store is in
 * place: no query ever sees a subject the ledger says was erased.
 */
function prepareStaged(file: string, oldKey: string, newKey: string, suppressionKey: string | null, ledger: LedgerEntry[], takenAt: string): number {
  const db = new Database(file, { fileMustExist: true });
  try {
    applyKey(db, oldKey);
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey="x'${newKey}'"`);
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma('temp_store = MEMORY');
    migrate(db);
    if (ledger.length === 0) return 0;
    if (!suppressionKey) throw new AppError('BACKUP_CORRUPT', 'The backup has no suppression key, so the erasure ledger cannot be matched against it. Nothing was written.');
    return applyLedger(db, suppressionKey, ledger, takenAt, new Date());
  } finally {
    db.close();
  }
}

/** The ledger beside the backup (if there is one) and every one given: read before anything changes. */
async function readLedgers(source: string, given: string[], identity: string): Promise<LedgerEntry[]> {
  const beside = path.join(path.dirname(source), LEDGER_FILE);
  const files = [...new Set([...(fs.existsSync(beside) ? [beside] : []), ...given.map((file) => path.resolve(file))])];
  const read = await Promise.all(
    files.map((file) =>
      readLedger(file, identity).catch((error: AppError) => {
        // Skipping it would bring erased subjects back: the restore stops instead.
        if (error.code !== 'BACKUP_IDENTITY_WRONG') throw error;
        throw new AppError(
          'BACKUP_IDENTITY_WRONG',
          `The erasure ledger ${file} does not open with this recovery key, so subjects erased after the backup could come back. Nothing was written. Give a recovery key this desk has had (the ledger is encrypted to every one), or move a ledger of another desk away.`,
        );
      }),
    ),
  );
  return read.flat();
}

/**
 * Reads the backup into `dataDir` as a new store. Returns once the store file, its documents and
 * the keychain entries are in place; the caller opens it and records the restore in its audit log.
 */
export async function stageRestore(file: string, identity: string, dataDir: string, keychain: KeychainBackend, force: boolean, ledgers: string[] = []): Promise<RestoreStaged> {
  const source = path.resolve(file);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new AppError('NOT_FOUND', `There is no backup file at ${source}.`);
  const existed = fs.existsSync(path.resolve(dataDir));
  const dir = ensureDataFolder(dataDir);
  if (fs.existsSync(path.join(dir, DATABASE_FILE)) && !force) await clearTarget(dir, keychain, false);

  const staging = path.join(dir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(staging, { mode: 0o700 });
  const secrets = new Secrets(keychain, dir);
  let keyed = false;
  try {
    let parts: ReadPart[];
    try {
      parts = await readArchive(await decryptFile(source, identity), (name) => {
        if (!name.includes('/')) return 'memory';
        const target = path.join(staging, ...name.split('/'));
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        return target;
      });
    } catch (error) {
      throw ageError(error, source);
    }
    const manifest = checkManifest(parts, source);
    const keys = JSON.parse(parts.find((part) => part.name === KEYS_PART)!.bytes!.toString('utf8')) as StoreKeys;
    const stagedStore = path.join(staging, ...STORE_PART.split('/'));
    checkStoreMatches(stagedStore, keys.database_key, manifest, source);
    const ledger = await readLedgers(source, ledgers, identity);

    const newKey = randomBytes(32).toString('hex');
    const reerased = prepareStaged(stagedStore, keys.database_key, newKey, keys.suppression_key, ledger, manifest.taken_at);

    // Checked whole and ready: from here on the target and the keychain change.
    const movedAside = await clearTarget(dir, keychain, force);
    keyed = true;
    await secrets.setDatabaseKey(newKey);
    if (keys.suppression_key) await secrets.setSuppressionKey(keys.suppression_key);
    for (const entry of fs.readdirSync(staging)) {
      if (entry === 'store') continue;
      fs.renameSync(path.join(staging, entry), path.join(dir, entry));
    }
    fs.renameSync(stagedStore, path.join(dir, DATABASE_FILE));
    log.info('backup restored into a new store', { schema: manifest.schema_version, entries: manifest.audit.entries });
    return { dataDir: dir, manifest, movedAside, reerased };
  } catch (error) {
    if (keyed) await secrets.forget().catch(() => undefined);
    fs.rmSync(staging, { recursive: true, force: true });
    // A refusal leaves no trace: not even the folder, when it was made for this restore.
    if (!existed && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
    throw error;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
