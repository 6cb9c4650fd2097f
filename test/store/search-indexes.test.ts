import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { RegistrantListInput } from '../../shared/mirror';
import { migrate } from '../../electron/core/store/migrations';
import { listRegistrants, searchIndexWarmUp } from '../../electron/core/store/mirror-queries';
import { buildSearchIndexes, deferSearchIndexesFor, missingSearchIndexes, SEARCH_INDEXES } from '../../electron/core/store/search-indexes';

// A first sync into an empty mirror loads registrants without the search box's three indexes and
// builds them at its end (search-indexes.ts); the sync's own tests (test/sync/resume.test.ts) show
// it end to end, killed and cancelled. Here: the rules, and that nothing depends on the indexes
// being there but speed.

const NAMES = Object.keys(SEARCH_INDEXES);
const indexSql = (db: Database.Database) => db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'registrants' ORDER BY name`).all() as { name: string; sql: string }[];

function mirror(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  db.prepare(`INSERT INTO sync_runs (id, mode, status, started_at) VALUES (1, 'full', 'running', '2026-11-01T00:00:00Z')`).run();
  db.prepare(`INSERT INTO events (id, topic, first_seen_at) VALUES ('1', 'W', '2026-11-01T00:00:00Z')`).run();
  return db;
}

function addRegistrants(db: Database.Database, count: number): void {
  const insert = db.prepare(`INSERT INTO registrants (event_id, registrant_id, email, email_norm, first_name, last_name, create_time, status, present, first_seen_at, last_seen_at, last_seen_run)
                             VALUES ('1', ?, ?, ?, ?, ?, ?, 'approved', 1, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1)`);
  for (let i = 0; i < count; i++)
    insert.run(`r${i}`, `Person.${i}@Example.org`, `person.${i}@example.org`, ['Sven', 'Mia', 'Erik'][i % 3], ['Schmidt', 'Sanders'][i % 2], new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString());
}

describe('the search indexes, left out of a first sync and built at its end', () => {
  it('are defined as migration 90 created them, so a built index is the index a fresh store has', () => {
    const fresh = mirror();
    expect(indexSql(fresh).filter(({ name }) => NAMES.includes(name))).toEqual([...NAMES].sort().map((name) => ({ name, sql: `CREATE INDEX ${name} ON ${SEARCH_INDEXES[name]}` })));
  });

  it('are dropped for a run that finds no registrants, kept dropped when that run resumes, and built once', () => {
    const db = mirror();
    const before = indexSql(db);
    expect(deferSearchIndexesFor(db, 1)).toBe(true);
    expect(missingSearchIndexes(db)).toEqual(NAMES);
    addRegistrants(db, 50);
    // The same run again (resumed after a kill): still without them.
    expect(deferSearchIndexesFor(db, 1)).toBe(true);
    expect(missingSearchIndexes(db)).toEqual(NAMES);
    db.pragma('cache_size = -16384');
    expect(buildSearchIndexes(db)).toBe(3);
    expect(indexSql(db)).toEqual(before);
    // Built with a small page cache (the sort needs the memory), and the connection's own given back.
    expect(db.pragma('cache_size', { simple: true })).toBe(-16384);
    expect(buildSearchIndexes(db)).toBe(0);
    // A later run finds registrants: it keeps the indexes.
    expect(deferSearchIndexesFor(db, 2)).toBe(false);
    expect(missingSearchIndexes(db)).toEqual([]);
  });

  it('are built at the start of any other run when a killed first sync left them missing', () => {
    const db = mirror();
    expect(deferSearchIndexesFor(db, 1)).toBe(true);
    addRegistrants(db, 50); // ...and the process was killed: nothing built them
    expect(deferSearchIndexesFor(db, 2)).toBe(false);
    expect(missingSearchIndexes(db)).toEqual([]);
    expect(db.prepare(`SELECT count(*) FROM app_meta WHERE key LIKE 'search_indexes%'`).pluck().get()).toBe(0);
  });

  it('are not needed for an answer: the search box answers the same without them, and the desk warms only those there', () => {
    const db = mirror();
    addRegistrants(db, 300);
    const input = RegistrantListInput.parse({ search: 'sven', limit: 20, offset: 10, with_total: true });
    const withIndexes = listRegistrants(db, input);
    expect(withIndexes.total).toBe(100);
    expect(searchIndexWarmUp(db, 1024 * 1024)).toHaveLength(3);
    db.exec(`DELETE FROM registrants; DELETE FROM app_meta WHERE key LIKE 'search_indexes%'`);
    expect(deferSearchIndexesFor(db, 1)).toBe(true);
    addRegistrants(db, 300);
    const withoutIndexes = listRegistrants(db, input);
    expect(withoutIndexes.total).toBe(withIndexes.total);
    expect(withoutIndexes.rows.map((row) => row.registrant_id)).toEqual(withIndexes.rows.map((row) => row.registrant_id));
    const steps = searchIndexWarmUp(db, 1024 * 1024);
    expect(steps).toEqual([]);
  });
});
