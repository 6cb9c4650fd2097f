import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { DatabaseCorrupt, DatabaseFromFuture, DatabaseKeyMissing, DatabaseNotEncrypted, DatabaseWrongKey } from '../errors';
import { checkDataFolder, ensureDataFolder } from '../data-folder';
import { createLogger } from '../log';
import type { Secrets } from '../secrets';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'dsr-desk.db';
// SQLCipher 4 format, pinned so the file stays readable by SQLCipher tools whatever the library's
// default cipher becomes. The key is 32 random bytes used raw: no passphrase, so no KDF is needed.
export const CIPHER = 'sqlcipher';
const SQLITE_PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const MIN_PAGE = 512;
const CACHE_KIB = 32 * 1024;
export const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

const log = createLogger('store');

export interface Store {
  db: Db;
  path: string;
  created: boolean;
  close(): void;
}

/** A value of the data folder's own bookkeeping (app_meta), or null when it was never written. */
export function readMeta(db: Db, key: string): string | null {
  return (db.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Keys a connection. Must be the first statement on it: nothing is readable before. */
export function applyKey(db: Db, hexKey: string): void {
  if (!/^[0-9a-f]{64}$/.test(hexKey)) throw new Error('database key must be 64 hex characters');
  db.pragma(`cipher='${CIPHER}'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${hexKey}'"`);
}

/** Settings every connection must run with; asserted, since a pragma that silently didn't apply is a bug. */
export function applyConnectionPragmas(db: Db): void {
  const journal = db.pragma('journal_mode = WAL', { simple: true });
  if (journal !== 'wal') throw new Error(`journal_mode is ${String(journal)}, expected wal`);
  db.pragma('foreign_keys = ON');
  // Deleted personal data is overwritten on disk, not left in free pages...
  db.pragma('secure_delete = ON');
  // ...nor in a WAL left large after a checkpoint: it is cut back to this size (an erasure truncates
  // it outright). Not smaller: at 4 MiB a 1M-registrant sync spent ~15% more time re-growing it.
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  // Temp tables and sort spills stay in memory: SQLite's temp files would not be encrypted.
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = 5000');
  // Every page read from disk is decrypted and every page written is encrypted, so a cache that
  // holds the mirror's hot index pages matters more than with plain SQLite (2 MB default).
  db.pragma(`cache_size = -${CACHE_KIB}`);
}

/**
 * Copies committed pages from the WAL into the database file, skipping any a reader still needs and
 * never waiting for a lock. Called from a timer, so it never throws: a failed pass leaves the pages
 * in the WAL, where the next pass (or the writing connection's own checkpoint) finds them.
 */
export function checkpointPassive(db: Db): void {
  try {
    if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    log.warn('checkpoint skipped', { code: sqliteCode(error) ?? 'unknown' });
  }
}

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}

/** Cheap checks on an existing file before SQLite touches it; each failure names the problem. */
function inspectExistingFile(file: string): void {
  const size = fs.statSync(file).size;
  if (size === 0) return;
  if (!isEncryptedOnDisk(file)) throw new DatabaseNotEncrypted(file);
  if (size < MIN_PAGE || size % MIN_PAGE !== 0) {
    throw new DatabaseCorrupt(file, `its size, ${size} bytes, is not a whole number of pages: the file was truncated`);
  }
}

/** A clean file (no WAL left over) must hold exactly the pages its header declares. */
function checkPageCount(db: Db, file: string): void {
  if (fs.existsSync(`${file}-wal`)) return;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const size = fs.statSync(file).size;
  if (size !== 0 && size !== pageSize * pageCount) {
    throw new DatabaseCorrupt(file, `it declares ${pageCount} pages of ${pageSize} bytes but holds ${size} bytes`);
  }
}

/**
 * Opens (or creates) the encrypted database of a data directory. An existing file is only read
 * until it has proved to be ours, readable with our key and not from a newer version; until then
 * nothing is written to it, so a refused file keeps its bytes.
 */
export async function openStore(dataDir: string, secrets: Secrets): Promise<Store> {
  const file = path.join(checkDataFolder(dataDir), DATABASE_FILE);
  const exists = fs.existsSync(file);
  if (exists) inspectExistingFile(file);

  let key = await secrets.getDatabaseKey();
  if (key === null) {
    if (exists) throw new DatabaseKeyMissing(file);
    // The key is stored before the file exists, so there is never a database without its key.
    key = randomBytes(32).toString('hex');
    await secrets.setDatabaseKey(key);
    log.info('generated a new database key and stored it in the keychain');
  }
  // Only now, with the key in the keychain, does the folder come into being.
  if (!exists) ensureDataFolder(dataDir);

  const db = new Database(file, { fileMustExist: exists });
  try {
    applyKey(db, key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_NOTADB') throw new DatabaseWrongKey(file);
      if (sqliteCode(error) === 'SQLITE_CORRUPT') throw new DatabaseCorrupt(file, 'its schema cannot be read');
      throw error;
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) throw new DatabaseFromFuture(file, version, LATEST_SCHEMA_VERSION);
    if (exists) checkPageCount(db, file);

    applyConnectionPragmas(db);
    const migrated = migrate(db);
    if (migrated.from !== migrated.to) log.info('migrated database', migrated);
  } catch (error) {
    db.close();
    if (sqliteCode(error) === 'SQLITE_CORRUPT') throw new DatabaseCorrupt(file, 'a page failed its integrity check');
    throw error;
  }
  return { db, path: file, created: !exists, close: () => db.close() };
}

/** True when the file on disk does not start with SQLite's plaintext header. */
export function isEncryptedOnDisk(file: string): boolean {
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  return !head.equals(SQLITE_PLAINTEXT_HEADER);
}
