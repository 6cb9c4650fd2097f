import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { applyKey, DATABASE_FILE, openStore, WAL_SIZE_LIMIT } from '../../electron/core/store/database';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/store/migrations';
import { updateSettings } from '../../electron/core/settings';
import { keytarBackend, Secrets } from '../../electron/core/secrets';
import { sha256File, tempDataDir } from '../helpers';

const KNOWN_EMAIL = 'plaintext.canary@example.org';

async function newStore() {
  const dir = tempDataDir();
  const secrets = new Secrets(keytarBackend(), dir);
  const store = await openStore(dir, secrets);
  return { dir, secrets, store, file: path.join(dir, DATABASE_FILE) };
}

/** Opens the raw file with a key, outside openStore, to set up damaged or foreign states. */
function rawOpen(file: string, key: string) {
  const db = new Database(file);
  applyKey(db, key);
  return db;
}

async function expectRefused(open: () => Promise<unknown>, file: string, code: string) {
  const before = sha256File(file);
  await expect(open()).rejects.toMatchObject({ code });
  expect(sha256File(file)).toBe(before);
}

describe('encrypted store', () => {
  it('creates the database with its key in the keychain and pins the pragmas on the connection', async () => {
    const { store, secrets } = await newStore();
    const { db } = store;
    expect(store.created).toBe(true);
    expect(await secrets.getDatabaseKey()).toMatch(/^[0-9a-f]{64}$/);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    expect(db.pragma('cipher', { simple: true })).toBe('sqlcipher');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const tables = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table'`).all() as { name: string; sql: string }[];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(table.sql, table.name).toMatch(/\)\s*STRICT(, WITHOUT ROWID)?\s*$/);
    store.close();
  });

  it('reopens with the key from the keychain and gives each data directory its own key', async () => {
    const first = await newStore();
    const second = await newStore();
    expect(await first.secrets.getDatabaseKey()).not.toBe(await second.secrets.getDatabaseKey());
    first.store.close();
    second.store.close();
    const reopened = await openStore(first.dir, first.secrets);
    expect(reopened.created).toBe(false);
    reopened.close();
  });

  it('keeps no plaintext of a written value in the database file or its WAL', async () => {
    const { store, file } = await newStore();
    updateSettings(store.db, { dpo_email: KNOWN_EMAIL }, new Date());
    // While open, the write sits in the WAL; after close it is checkpointed into the main file.
    const wal = `${file}-wal`;
    expect(fs.existsSync(wal)).toBe(true);
    expect(fs.statSync(wal).size).toBeGreaterThan(0);
    expect(fs.readFileSync(wal).includes(KNOWN_EMAIL)).toBe(false);
    expect(fs.readFileSync(file).includes(KNOWN_EMAIL)).toBe(false);
    store.close();
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(KNOWN_EMAIL)).toBe(false);
    expect(bytes.includes(Buffer.from(KNOWN_EMAIL, 'utf16le'))).toBe(false);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
  });

  it('refuses a wrong key with DATABASE_WRONG_KEY and leaves the file unchanged', async () => {
    const { store, secrets, dir, file } = await newStore();
    store.close();
    await secrets.setDatabaseKey('ab'.repeat(32));
    await expectRefused(() => openStore(dir, secrets), file, 'DATABASE_WRONG_KEY');
  });

  it('refuses a database from a newer version with DATABASE_FROM_FUTURE and leaves the file unchanged', async () => {
    const { store, secrets, dir, file } = await newStore();
    store.close();
    const db = rawOpen(file, (await secrets.getDatabaseKey())!);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    db.close();
    await expectRefused(() => openStore(dir, secrets), file, 'DATABASE_FROM_FUTURE');
  });

  it('refuses a truncated file with DATABASE_CORRUPT and leaves the file unchanged', async () => {
    const { store, secrets, dir, file } = await newStore();
    const insert = store.db.prepare(`INSERT INTO app_meta (key, value) VALUES (?, ?)`);
    for (let i = 0; i < 400; i++) insert.run(`filler-${i}`, 'x'.repeat(200));
    store.close();
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(8 * 4096);

    fs.truncateSync(file, size - 100); // mid-page
    await expectRefused(() => openStore(dir, secrets), file, 'DATABASE_CORRUPT');

    fs.truncateSync(file, size - 2 * 4096); // on a page boundary: only the page count tells
    await expectRefused(() => openStore(dir, secrets), file, 'DATABASE_CORRUPT');
  });

  it('refuses an existing database whose key is not in the keychain, without making a new key', async () => {
    const { store, secrets, dir, file } = await newStore();
    store.close();
    await secrets.forget();
    await expectRefused(() => openStore(dir, secrets), file, 'DATABASE_KEY_MISSING');
    expect(await secrets.getDatabaseKey()).toBeNull();
  });

  it('refuses an unencrypted SQLite file with DATABASE_NOT_ENCRYPTED', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, DATABASE_FILE);
    const plain = new Database(file);
    plain.exec('CREATE TABLE t (x TEXT)');
    plain.close();
    const secrets = new Secrets(keytarBackend(), dir);
    await secrets.setDatabaseKey('cd'.repeat(32));
    await expectRefused(() => openStore(dir, secrets), file, 'DATABASE_NOT_ENCRYPTED');
  });
});
