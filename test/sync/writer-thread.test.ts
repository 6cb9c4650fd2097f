import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keytarBackend, Secrets } from '../../electron/core/secrets';
import { applyKey, checkpointPassive, DATABASE_FILE, openStore } from '../../electron/core/store/database';
import { SuppressionList } from '../../electron/core/store/suppression';
import { writerThread } from '../../electron/core/sync/writer-thread';
import { registrantPages } from '../bench/generate';
import { tempDataDir } from '../helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the writer thread', () => {
  it('has its pages copied from the WAL into the database file by the thread that started it while it is behind, not while it keeps up', async () => {
    const dir = tempDataDir();
    const secrets = new Secrets(keytarBackend(), dir);
    const store = await openStore(dir, secrets);
    const file = path.join(dir, DATABASE_FILE);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const key = (await secrets.getDatabaseKey())!;
    const writer = await writerThread(store, key, await SuppressionList.open(store.db, secrets));
    const other = new Database(file);
    try {
      const at = '2026-11-24T10:00:00.000Z';
      const webinarId = '81000000001';
      await writer.saveEventSummary('webinar', { id: Number(webinarId), uuid: 'u1', host_id: 'h', topic: 'Webinar', type: 5, created_at: at, join_url: 'https://example.invalid/j' }, at, 'default');
      const pages = [...registrantPages(900)];
      // Keeping up: each call answered before the next is sent. Fewer pages than the writer's own
      // connection copies at (SQLite's 1,000), so nobody copies them.
      for (const page of pages.slice(0, 2)) await writer.ingestRegistrants(webinarId, [{ items: page, occurrenceId: null }], null, at, false);
      const walPages = fs.statSync(`${file}-wal`).size / 4096;
      expect(walPages).toBeGreaterThan(50);
      expect(walPages).toBeLessThan(1000);
      const sizeKeepingUp = fs.statSync(file).size;
      await sleep(600);
      expect(fs.statSync(file).size).toBe(sizeKeepingUp);

      // Behind: another connection holds the write lock, so calls wait for the writer.
      applyKey(other, key);
      other.exec('BEGIN IMMEDIATE');
      const waiting = [pages[2]!, pages[2]!, pages[2]!].map((page) => writer.ingestRegistrants(webinarId, [{ items: page, occurrenceId: null }], null, at, false));
      await sleep(600);
      // What the writer had committed is in the database file now: it grew by about what the WAL held.
      expect(fs.statSync(file).size - sizeKeepingUp).toBeGreaterThan(50 * 4096);
      other.exec('ROLLBACK');
      await Promise.all(waiting);
    } finally {
      other.close();
      await writer.close();
      store.close();
    }
  });

  it('has a checkpoint on a closed connection do nothing rather than throw from its timer', async () => {
    const dir = tempDataDir();
    const store = await openStore(dir, new Secrets(keytarBackend(), dir));
    store.close();
    expect(() => checkpointPassive(store.db)).not.toThrow();
  });
});
