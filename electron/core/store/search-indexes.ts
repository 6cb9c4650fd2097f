import { readMeta, writeMeta, type Db } from './database';

// The search box's three indexes over registrants (migration 90) cost more than the rest of a
// registrant's row: keyed by address and names, every insert lands on a page of its own, and each
// commit re-encrypts every page it touched. A first sync into an empty mirror (a bulk load: up to
// millions of rows) therefore runs without them and builds them once at its end from sorted rows,
// which costs a fraction of it (1M registrants: ~12 s to build against ~50 s more of the writer's
// CPU to keep them up to date; npm run bench). Queries are answered the same without them, only
// slower, so a sync killed half way loses nothing: the next sync builds whatever is missing.

/** The indexes, as migration 90 created them (a test holds the two together). */
export const SEARCH_INDEXES: Readonly<Record<string, string>> = {
  registrants_by_email: 'registrants (email_norm, event_id, create_time)',
  registrants_by_first_name: 'registrants (lower(first_name), event_id, create_time, email_norm)',
  registrants_by_last_name: 'registrants (lower(last_name), event_id, create_time, email_norm, lower(first_name))',
};

/** app_meta: the sync run that is loading the mirror without the search indexes. */
const DEFERRED_BY_RUN = 'search_indexes_deferred_by_run';

export function missingSearchIndexes(db: Db): string[] {
  const present = new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'registrants'`).pluck().all() as string[]);
  return Object.keys(SEARCH_INDEXES).filter((name) => !present.has(name));
}

/**
 * At the start (or resumption) of a sync run: whether it stores registrants without the search
 * indexes. Yes for a run that found the mirror without registrants, and for its resumption; any
 * other run first builds what an earlier, killed one left missing.
 */
export function deferSearchIndexesFor(db: Db, runId: number): boolean {
  const deferred = db
    .transaction(() => {
      if (readMeta(db, DEFERRED_BY_RUN) === String(runId)) return true;
      if (db.prepare('SELECT 1 FROM registrants LIMIT 1').get() !== undefined) return false;
      for (const name of Object.keys(SEARCH_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
      writeMeta(db, DEFERRED_BY_RUN, String(runId));
      return true;
    })
    .immediate();
  if (!deferred) buildSearchIndexes(db);
  return deferred;
}

/** Page cache while an index is built: it reads the table once and appends, so a cache gains nothing. */
const BUILD_CACHE_KIB = 2048;

/**
 * Builds the search indexes that are missing, one transaction each (each holds the write lock for
 * seconds at 1M rows, not for all three at once). Returns how many were built. The sort of an
 * index's keys is held in memory (temp files would not be encrypted), ~100 MiB for the widest at
 * 1M rows, so the page cache is given back meanwhile (1M at Business: peak RSS 305 MiB against 333).
 */
export function buildSearchIndexes(db: Db): number {
  const missing = missingSearchIndexes(db);
  if (missing.length > 0) {
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(`cache_size = -${BUILD_CACHE_KIB}`);
    db.pragma('shrink_memory');
    try {
      for (const name of missing) db.transaction(() => db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${SEARCH_INDEXES[name]}`)).immediate();
    } finally {
      db.pragma(`cache_size = ${cacheSize}`);
    }
  }
  db.prepare('DELETE FROM app_meta WHERE key = ?').run(DEFERRED_BY_RUN);
  return missing.length;
}
