import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { RegistrantListInput } from '../../shared/mirror';
import { migrate } from '../../electron/core/store/migrations';
import { countSearchMatches, listRegistrants, searchByPrefix, searchIndexWarmUp } from '../../electron/core/store/mirror-queries';

// The search box's own path (count and page from the prefix indexes) must answer exactly what the
// general path (every match collected, then sorted) answers, on rows that match by more than one
// column, rows without an address or name (erased), ties in registration time and two webinars.

const FIRST = ['Sven', 'Sabine', 'Mia', 'Erik', 'Erika', null];
const LAST = ['Svensson', 'Schmidt', 'Mustermann', 'Sanders', null];

function seeded(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  const now = '2026-11-01T00:00:00Z';
  db.prepare(`INSERT INTO sync_runs (id, mode, status, started_at) VALUES (1, 'full', 'completed', ?)`).run(now);
  const insertWebinar = db.prepare(`INSERT INTO events (id, topic, first_seen_at) VALUES (?, 'W', ?)`);
  const insert = db.prepare(`INSERT INTO registrants (event_id, registrant_id, email, email_norm, first_name, last_name, create_time, status, present, first_seen_at, last_seen_at, last_seen_run)
                             VALUES (?, ?, ?, ?, ?, ?, ?, 'approved', 1, ?, ?, 1)`);
  for (const webinar of ['1', '2']) insertWebinar.run(webinar, now);
  for (let i = 0; i < 600; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    // Addresses start with the first name, the last name or neither; some rows have none (erased).
    const local = [first?.toLowerCase(), last?.toLowerCase(), `m${i}`][i % 3] ?? `x${i}`;
    const email = i % 11 === 0 ? null : `${local}.${i}@example.org`;
    // Every fourth row shares its registration time with the one before: the id breaks the tie.
    const created = new Date(Date.UTC(2026, 9, 1) + Math.floor(i / 4) * 60_000 * ((i * 13) % 17)).toISOString();
    insert.run(String((i % 2) + 1), `r${i}`, email, email?.toLowerCase() ?? null, first, last, created, now, now);
  }
  return db;
}

function generalPath(db: Database.Database, search: string, webinarId: string | undefined, order: 'asc' | 'desc', limit: number, offset: number) {
  const { sql, params } = searchByPrefix(search, webinarId);
  const ids = db
    .prepare(`SELECT registrant_id FROM registrants WHERE id IN (${sql}) ORDER BY create_time ${order === 'desc' ? 'DESC' : 'ASC'}, id LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, limit, offset);
  const total = db
    .prepare(`SELECT count(*) FROM (${sql})`)
    .pluck()
    .get(...params);
  return { ids, total };
}

describe('the search box, from the prefix indexes', () => {
  const db = seeded();
  const cases = ['s', 'S', 'sv', 'sven', 'm', 'mu', 'erik', 'e', 'x', 'zz', 'sanders'].flatMap((search) =>
    [undefined, '1'].flatMap((webinarId) => (['asc', 'desc'] as const).map((order) => ({ search, webinarId, order }))),
  );

  it.each(cases)('answers "$search" in webinar $webinarId ($order) as the general path does, page by page, with the same count', ({ search, webinarId, order }) => {
    const expected = generalPath(db, search, webinarId, order, 10_000, 0);
    for (const offset of [0, 7, 50, 250]) {
      const input = RegistrantListInput.parse({ webinar_id: webinarId, search, order, limit: 50, offset, with_total: true });
      const page = listRegistrants(db, input);
      expect(page.total).toBe(expected.total);
      expect(page.rows.map((row) => row.registrant_id)).toEqual(expected.ids.slice(offset, offset + 50));
    }
    expect(countSearchMatches(db, search, webinarId)).toBe(expected.total);
  });

  it('has matches by more than one column and rows without an address, so the cases above test the dedup', () => {
    const both = db.prepare(`SELECT count(*) FROM registrants WHERE email_norm LIKE 'sven%' AND lower(first_name) LIKE 'sven%'`).pluck().get() as number;
    expect(both).toBeGreaterThan(10);
    expect(db.prepare('SELECT count(*) FROM registrants WHERE email_norm IS NULL').pluck().get()).toBeGreaterThan(10);
    expect(generalPath(db, 's', undefined, 'asc', 10_000, 0).total).toBeGreaterThan(250);
  });

  it('reads the three prefix indexes alone: no table row, and no sort of every match (EXPLAIN QUERY PLAN)', () => {
    const plan = (sql: string, params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    const input = RegistrantListInput.parse({ webinar_id: '1', search: 'sv', limit: 50, offset: 0 });
    expect(listRegistrants(db, input).rows.length).toBeGreaterThan(0);
    // The count: each range from a covering index.
    const count = plan(
      `SELECT count(*) FROM registrants WHERE lower(last_name) >= 'a' AND lower(last_name) < 'b' AND +event_id = '1' AND (email_norm IS NULL OR NOT (email_norm >= 'a' AND email_norm < 'b')) AND (lower(first_name) IS NULL OR NOT (lower(first_name) >= 'a' AND lower(first_name) < 'b'))`,
      [],
    );
    expect(count.join(' | ')).toContain('COVERING INDEX registrants_by_last_name');
  });

  it('reads the three search indexes ahead for the desk while they fit the budget, and not at all past it', () => {
    const steps = searchIndexWarmUp(db, 1024 * 1024);
    expect(steps).toHaveLength(3);
    // Each step names its index (INDEXED BY): one that no longer existed would throw here.
    for (const step of steps) expect(step()).toBeUndefined();
    expect(searchIndexWarmUp(db, 600 * 100)).toEqual([]);
    expect(searchIndexWarmUp(new Database(':memory:').exec('CREATE TABLE registrants (id INTEGER PRIMARY KEY)'), 1024 * 1024)).toEqual([]);
  });
});
