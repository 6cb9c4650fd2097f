import { describe, expect, it } from 'vitest';
import { columnNames, indexColumns, indexNames, isStrict, migrateTo, plan, storeBefore } from './helper';

/** A store at `version - 10` holding one webinar, one completed sync run (3) and one registrant. */
function mirrorBefore(version: number) {
  const db = storeBefore(version);
  db.prepare(`INSERT INTO webinars (id, first_seen_at) VALUES ('1', 't')`).run();
  db.prepare(`INSERT INTO sync_runs (id, mode, status, started_at) VALUES (3, 'full', 'completed', 't')`).run();
  const row = db
    .prepare(
      `INSERT INTO registrants (webinar_id, registrant_id, email, email_norm, first_name, last_name, create_time, status, present, first_seen_at, last_seen_at, last_seen_run)
       VALUES ('1', 'r1', 'Sven@X.org', 'sven@x.org', 'Sven', 'Sanders', '2026-10-01T00:00:00Z', 'approved', 1, 't', 't', 3)`,
    )
    .run().lastInsertRowid;
  return { db, row };
}

describe('migrations 0090-0120: search in order, live events and their coverage, restored erasures', () => {
  it("0090 widens the search box's three indexes by registration time and the other searched columns, so a keystroke's page and count read no table row", () => {
    const { db } = mirrorBefore(90);
    const insert = db.prepare(
      `INSERT INTO registrants (webinar_id, registrant_id, email_norm, first_name, last_name, create_time, status, present, first_seen_at, last_seen_at, last_seen_run) VALUES ('1', ?, ?, ?, ?, ?, 'approved', 1, 't', 't', 3)`,
    );
    insert.run('r2', 'mia@x.org', 'Mia', 'Schmidt', '2026-10-02T00:00:00Z');
    insert.run('r3', 'erik@x.org', 'Erik', 'Svensson', '2026-09-30T00:00:00Z');
    // The queries of mirror-queries.ts (a page of each range in registration order; the last range's count less the rows of the others), before events replaced webinars.
    const byEmail = `SELECT id, create_time FROM registrants WHERE email_norm >= ? AND email_norm < ? AND +webinar_id = '1' ORDER BY create_time, id LIMIT 50`;
    const byFirstName = `SELECT id, create_time FROM registrants WHERE lower(first_name) >= ? AND lower(first_name) < ? ORDER BY create_time, id LIMIT 50`;
    const lastNameCount = `SELECT count(*) FROM registrants WHERE lower(last_name) >= ? AND lower(last_name) < ? AND (email_norm IS NULL OR NOT (email_norm >= ? AND email_norm < ?)) AND (lower(first_name) IS NULL OR NOT (lower(first_name) >= ? AND lower(first_name) < ?))`;
    const range = ['sv', 'sv\uffff'];
    const queries: [string, string, string[]][] = [
      [byEmail, 'registrants_by_email', range],
      [byFirstName, 'registrants_by_first_name', range],
      [lastNameCount, 'registrants_by_last_name', [...range, ...range, ...range]],
    ];
    const answers = queries.map(([sql, , params]) => db.prepare(sql).all(...params));
    for (const [sql, index, params] of queries) {
      expect(plan(db, sql, ...params)).toContain(`INDEX ${index}`);
      expect(plan(db, sql, ...params)).not.toContain('COVERING');
    }

    expect(migrateTo(db, 90)).toEqual({ from: 80, to: 90 });
    expect(indexColumns(db, 'registrants_by_email')).toEqual(['email_norm', 'webinar_id', 'create_time']);
    expect(indexColumns(db, 'registrants_by_first_name')).toEqual([null, 'webinar_id', 'create_time', 'email_norm']);
    expect(indexColumns(db, 'registrants_by_last_name')).toEqual([null, 'webinar_id', 'create_time', 'email_norm', null]);
    for (const [sql, index, params] of queries) expect(plan(db, sql, ...params)).toContain(`COVERING INDEX ${index}`);
    // Same answers: Sven by address and first name, Erik Svensson by last name only.
    expect(queries.map(([sql, , params]) => db.prepare(sql).all(...params))).toEqual(answers);
    expect(answers[0]).toEqual([{ id: 1, create_time: '2026-10-01T00:00:00Z' }]);
    expect(answers[2]).toEqual([{ 'count(*)': 1 }]);
  });

  it('0100 lets a change heard over the event subscription stand without a sync run: run_id is empty exactly when via is event, earlier changes kept as via sync', () => {
    const { db, row } = mirrorBefore(100);
    const seen = db.prepare(`INSERT INTO registrant_changes (id, registrant_row, webinar_id, run_id, kind, from_status, to_status, observed_at, evidence) VALUES (?, ?, '1', ?, ?, ?, ?, 't', ?)`);
    seen.run(4, row, 3, 'registered', null, 'approved', 'list');
    seen.run(7, row, 3, 'deleted_outside', 'approved', null, 'read-back 3079');
    expect(() => seen.run(8, row, null, 'self_cancelled', 'approved', null, null)).toThrow(/NOT NULL constraint failed: registrant_changes.run_id/);
    const before = db.prepare('SELECT * FROM registrant_changes ORDER BY id').all() as object[];

    expect(migrateTo(db, 100)).toEqual({ from: 90, to: 100 });
    expect(db.prepare('SELECT * FROM registrant_changes ORDER BY id').all()).toEqual(before.map((change) => ({ ...change, via: 'sync' })));
    const heard = db.prepare(`INSERT INTO registrant_changes (registrant_row, webinar_id, run_id, kind, observed_at, via) VALUES (?, '1', ?, 'self_cancelled', 't', ?)`);
    heard.run(row, null, 'event');
    expect(() => heard.run(row, 3, 'event')).toThrow(/CHECK constraint/);
    expect(() => heard.run(row, null, 'sync')).toThrow(/CHECK constraint/);
    expect(() => heard.run(row, null, 'webhook')).toThrow(/CHECK constraint/);
    expect(() => heard.run(999, null, 'event')).toThrow(/FOREIGN KEY/);
    // The rebuilt table has both indexes again (by_run came with 0080); the overview counts a run's changes from it.
    expect(indexNames(db, 'registrant_changes')).toEqual(['registrant_changes_by_registrant', 'registrant_changes_by_run']);
    expect(plan(db, 'SELECT kind, count(*) FROM registrant_changes WHERE run_id = 3 GROUP BY kind')).toContain('COVERING INDEX registrant_changes_by_run (run_id=?)');
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'registrant_changes_new'`).pluck().get()).toBe(0);
  });

  it('0110 records each stretch the event subscription was heard without a gap, and how many webinars a run left to it', () => {
    const { db } = mirrorBefore(110);
    expect(columnNames(db, 'sync_runs')).not.toContain('kept_by_events');

    expect(migrateTo(db, 110)).toEqual({ from: 100, to: 110 });
    expect(isStrict(db, 'live_coverage')).toBe(true);
    expect(columnNames(db, 'live_coverage')).toEqual(['id', 'connected_at', 'trusted_until', 'ended_at']);
    const stretch = db.prepare('INSERT INTO live_coverage (connected_at, trusted_until, ended_at) VALUES (?, ?, ?)');
    stretch.run('2026-10-01T10:00:00Z', '2026-10-01T10:01:30Z', null);
    stretch.run('2026-10-01T09:00:00Z', '2026-10-01T09:50:00Z', '2026-10-01T09:49:00Z');
    expect(() => stretch.run('2026-10-01T11:00:00Z', null, null)).toThrow(/NOT NULL constraint failed: live_coverage.trusted_until/);
    expect(() => stretch.run(Buffer.from('t'), 't', null)).toThrow(/cannot store BLOB value in TEXT column live_coverage.connected_at/);
    expect(db.prepare('SELECT count(*) FROM live_coverage WHERE ended_at IS NULL').pluck().get()).toBe(1);
    // The run from before has no count; a run's count is a number.
    expect(db.prepare('SELECT kept_by_events FROM sync_runs WHERE id = 3').pluck().get()).toBeNull();
    db.prepare('UPDATE sync_runs SET kept_by_events = 4 WHERE id = 3').run();
    expect(() => db.prepare(`UPDATE sync_runs SET kept_by_events = 'four' WHERE id = 3`).run()).toThrow(/cannot store TEXT value in INTEGER column sync_runs.kept_by_events/);
  });

  it('0120 keeps the erasures a restore applied again from the ledger: one per subject, of a request the restored register may not hold, found by request', () => {
    const db = storeBefore(120);
    expect(migrateTo(db, 120)).toEqual({ from: 110, to: 120 });
    expect(isStrict(db, 'restored_erasures')).toBe(true);
    expect(columnNames(db, 'restored_erasures')).toEqual(['subject_hash', 'request_id', 'erased_at', 'reapplied_at', 'backup_taken_at']);
    const record = db.prepare('INSERT INTO restored_erasures (subject_hash, request_id, erased_at, reapplied_at, backup_taken_at) VALUES (?, ?, ?, ?, ?)');
    // Filed after the backup: the register has no such request, and foreign keys are on.
    record.run('h1', 'DSR-2026-0007', '2026-10-02T00:00:00Z', '2026-10-05T00:00:00Z', '2026-10-01T00:00:00Z');
    record.run('h2', null, '2026-10-03T00:00:00Z', '2026-10-05T00:00:00Z', '2026-10-01T00:00:00Z');
    expect(db.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(0);
    expect(() => record.run('h1', 'DSR-2026-0008', 't', 't', 't')).toThrow(/UNIQUE constraint failed: restored_erasures.subject_hash/);
    expect(() => record.run('h3', null, null, 't', 't')).toThrow(/NOT NULL constraint failed: restored_erasures.erased_at/);
    // What the request's detail reads (requests/index.ts), from the new index.
    const latest = 'SELECT erased_at, reapplied_at FROM restored_erasures WHERE request_id = ? ORDER BY erased_at DESC LIMIT 1';
    expect(plan(db, latest, 'DSR-2026-0007')).toContain('INDEX restored_erasures_by_request (request_id=?)');
    expect(db.prepare(latest).get('DSR-2026-0007')).toEqual({ erased_at: '2026-10-02T00:00:00Z', reapplied_at: '2026-10-05T00:00:00Z' });
  });
});
