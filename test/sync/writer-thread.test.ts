import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keytarBackend, Secrets } from '../../electron/core/secrets';
import { checkpointPassive, DATABASE_FILE, openStore } from '../../electron/core/store/database';
import { SuppressionList } from '../../electron/core/store/suppression';
import { writerThread } from '../../electron/core/sync/writer-thread';
import { registrantPages } from '../bench/generate';
import { tempDataDir } from '../helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the writer thread', () => {
  it("has its pages copied from the WAL into the database file by the thread that started it, long before its own checkpoint", async () => {
    const dir = tempDataDir();
    const secrets = new Secrets(keytarBackend(), dir);
    const store = await openStore(dir, secrets);
    const file = path.join(dir, DATABASE_FILE);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = fs.statSync(file).size;
    const writer = await writerThread(store, (await secrets.getDatabaseKey())!, await SuppressionList.open(store.db, secrets));
    try {
      const at = '2026-11-24T10:00:00.000Z';
      await writer.saveWebinarSummary({ id: 81000000001, uuid: 'u1', host_id: 'h', topic: 'Webinar', type: 5, created_at: at, join_url: 'https://example.invalid/j' }, at);
      for (const page of registrantPages(600)) await writer.ingestRegistrants('81000000001', [{ items: page, occurrenceId: null }], null, at, false);
      const walPages = fs.statSync(`${file}-wal`).size / 4096;
      // Under any threshold at which the writer's connection would copy them itself (SQLite's default
      // is 1,000 pages, the writer's SELF_CHECKPOINT_PAGES 4,096).
      expect(walPages).toBeGreaterThan(50);
      expect(walPages).toBeLessThan(1000);
      await sleep(600);
      // The pages are in the database file now: it grew by about what the WAL holds.
      expect(fs.statSync(file).size - sizeBefore).toBeGreaterThan(50 * 4096);
      const [result] = store.db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      expect(result!.checkpointed).toBe(result!.log);
    } finally {
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
