import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS, type Migration } from '../../electron/core/store/migrations';
import { searchByPrefix } from '../../electron/core/store/mirror-queries';

function memoryDb() {
  return new Database(':memory:');
}

function tableNames(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('are numbered in steps of 10, in order, with unique versions', () => {
    MIGRATIONS.forEach((migration, index) => expect(migration.version).toBe((index + 1) * 10));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length * 10);
  });

  it('0010 creates app_meta, a STRICT table recording when the database was created', () => {
    const db = memoryDb();
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(tableNames(db)).toEqual(['app_meta']);
    expect(db.prepare(`SELECT value FROM app_meta WHERE key = 'created_at'`).get()).toMatchObject({ value: expect.any(String) });
    expect(() => db.prepare(`INSERT INTO app_meta (key, value) VALUES ('n', x'00')`).run()).toThrow(/cannot store BLOB value in TEXT column/);
  });

  it('0020 creates the settings table, STRICT, keyed by setting name', () => {
    const db = memoryDb();
    migrate(db, MIGRATIONS.slice(0, 1));
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(tableNames(db)).toEqual(['app_meta', 'settings']);
    db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('zoom_plan', '"pro"', 'now')`).run();
    expect(() => db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('zoom_plan', '"free"', 'now')`).run()).toThrow(/UNIQUE/);
  });

  it('0030 creates the mirror: STRICT tables whose checks refuse unknown statuses and change kinds', () => {
    const db = memoryDb();
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(tableNames(db)).toEqual([
      'absentees',
      'app_meta',
      'occurrences',
      'panelists',
      'participants',
      'poll_answers',
      'qa_questions',
      'registrant_changes',
      'registrant_occurrences',
      'registrants',
      'settings',
      'suppressed_subjects',
      'survey_answers',
      'sync_run_webinars',
      'sync_runs',
      'webinar_instances',
      'webinars',
    ]);
    const strict = db.prepare(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND strict = 0 AND name NOT LIKE 'sqlite_%'`).pluck().all();
    expect(strict).toEqual([]);
    db.prepare(`INSERT INTO webinars (id, first_seen_at) VALUES ('1', 'now')`).run();
    db.prepare(`INSERT INTO sync_runs (mode, status, started_at) VALUES ('full', 'running', 'now')`).run();
    const insert = db.prepare(`INSERT INTO registrants (webinar_id, registrant_id, status, present, first_seen_at, last_seen_at, last_seen_run) VALUES ('1', ?, ?, 1, 'now', 'now', 1)`);
    insert.run('a', 'approved');
    expect(() => insert.run('b', 'cancelled')).toThrow(/CHECK constraint/);
    expect(() => insert.run('a', 'pending')).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO registrant_changes (registrant_row, webinar_id, run_id, kind, observed_at) VALUES (1, '1', 1, 'vanished', 'now')`).run()).toThrow(/CHECK constraint/);
    db.pragma('foreign_keys = ON');
    expect(() =>
      db.prepare(`INSERT INTO registrants (webinar_id, registrant_id, status, present, first_seen_at, last_seen_at, last_seen_run) VALUES ('2', 'c', 'approved', 1, 'now', 'now', 1)`).run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('0040 creates the request register and an audit log whose triggers refuse UPDATE and DELETE', () => {
    const db = memoryDb();
    migrate(db, MIGRATIONS.slice(0, 4));
    expect(tableNames(db)).toEqual(expect.arrayContaining(['requests', 'request_events', 'audit_log']));
    const insert = db.prepare(`INSERT INTO audit_log (at, actor, action, details, prev_hash, hash) VALUES ('now', 'a', 'x', '{}', 'p', 'h')`);
    insert.run();
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'b'`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO requests (id, type, subject_hash, channel, received_at, original_due_at, due_at, status, created_at) VALUES ('DSR-2026-0001', 'erasure', 'h', 'email', 'n', 'n', 'n', 'extended', 'n')`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
  });

  it("0080 indexes a webinar's registrants in registration order and the changes by run, so the window's pages and the overview use them (EXPLAIN QUERY PLAN)", () => {
    const db = memoryDb();
    migrate(db);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan(`SELECT id FROM registrants WHERE event_id = '1' ORDER BY create_time, id LIMIT 100 OFFSET 5000`)).toContain('registrants_by_webinar_created');
    expect(plan(`SELECT id FROM registrants WHERE event_id = '1' ORDER BY create_time, id LIMIT 100`)).not.toContain('TEMP B-TREE');
    expect(plan(`SELECT kind, count(*) FROM registrant_changes WHERE run_id = 3 GROUP BY kind`)).toContain('registrant_changes_by_run');
    expect(plan(`SELECT sum(present AND status = 'approved'), sum(suppressed) FROM registrants WHERE event_id = '1'`)).toContain('COVERING INDEX registrants_by_webinar_state');
    // The search box: each of its three prefix ranges from an index.
    for (const webinar of ['1', undefined]) {
      const { sql, params } = searchByPrefix('Sv', webinar);
      const search = (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM (${sql})`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      for (const index of ['registrants_by_email', 'registrants_by_first_name', 'registrants_by_last_name']) expect(search).toContain(`COVERING INDEX ${index}`);
    }
    expect(db.prepare("SELECT name FROM pragma_table_info('sync_runs')").pluck().all() as string[]).toContain('warnings');
  });

  it('0130 keeps the desk\'s "Working as" name as the operator every act without --by is recorded under', () => {
    const db = memoryDb();
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 130),
    );
    db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('reviewer_name', '"Dana DPO"', 'now')`).run();
    migrate(db);
    expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'operator', value: '"Dana DPO"' }]);
  });

  it('0140 lets a request wait for the processor: the requests table is rebuilt with its rows, indexes and foreign keys intact', () => {
    const db = memoryDb();
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 140),
    );
    const indexesBefore = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'requests' ORDER BY name`).pluck().all();
    db.prepare(
      `INSERT INTO requests (id, type, subject_email, subject_masked, subject_hash, channel, received_at, original_due_at, due_at, status, created_at)
       VALUES ('DSR-2026-0001', 'erasure', NULL, 'e***@example.com', 'h', 'email', 't', 't', 't', 'completed', 't')`,
    ).run();
    db.prepare(`INSERT INTO request_events (request_id, at, actor, action) VALUES ('DSR-2026-0001', 't', 'Dana DPO', 'filed')`).run();
    migrate(db);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'requests' ORDER BY name`).pluck().all()).toEqual(indexesBefore);
    db.prepare(`UPDATE requests SET status = 'waiting_for_processor' WHERE id = 'DSR-2026-0001'`).run();
    expect(() => db.prepare(`UPDATE requests SET status = 'nonsense'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO request_events (request_id, at, actor, action) VALUES ('DSR-2099-0001', 't', 'x', 'filed')`).run()).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) FROM request_events').pluck().get()).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_rebuilt'`).pluck().get()).toBe(0);
  });

  it('0170 turns webinars into events in place: every row, ID and foreign key kept, stored residuals and warnings naming the event', () => {
    const db = memoryDb();
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 170),
    );
    db.prepare(`INSERT INTO webinars (id, topic, first_seen_at) VALUES ('81234567890', 'Spring launch', 't')`).run();
    db.prepare(`INSERT INTO sync_runs (id, mode, status, started_at, warnings) VALUES (7, 'full', 'completed', 't', ?)`).run(
      JSON.stringify([{ webinar_id: '81234567890', source: 'survey', code: 'ZOOM_ERROR', message: 'm' }]),
    );
    db.prepare(`INSERT INTO sync_run_webinars (run_id, webinar_id, position) VALUES (7, '81234567890', 0)`).run();
    db.prepare(`INSERT INTO webinar_instances (webinar_id, uuid) VALUES ('81234567890', 'u1')`).run();
    const row = db
      .prepare(
        `INSERT INTO registrants (webinar_id, registrant_id, email, email_norm, status, present, first_seen_at, last_seen_at, last_seen_run) VALUES ('81234567890', 'r1', 'A@x.org', 'a@x.org', 'approved', 1, 't', 't', 7)`,
      )
      .run().lastInsertRowid;
    db.prepare(`INSERT INTO registrant_changes (registrant_row, webinar_id, run_id, kind, observed_at) VALUES (?, '81234567890', 7, 'registered', 't')`).run(row);
    db.prepare(`INSERT INTO participants (webinar_id, instance_uuid, ordinal, last_seen_run, name) VALUES ('81234567890', 'u1', 0, 7, 'A')`).run();
    db.prepare(
      `INSERT INTO requests (id, type, subject_email, subject_masked, subject_hash, channel, received_at, original_due_at, due_at, status, created_at)
       VALUES ('DSR-2026-0001', 'erasure', NULL, 'a***@x.org', 'h', 'email', 't', 't', 't', 'completed', 't')`,
    ).run();
    db.prepare(`INSERT INTO job_runs (request_id, planned_at, notes, residual) VALUES ('DSR-2026-0001', 't', '[]', ?)`).run(JSON.stringify([{ source: 'qa', webinar_id: '81234567890', records: 2 }]));
    db.prepare(`INSERT INTO job_actions (request_id, step, webinar_id, registrant_id, source, action, state) VALUES ('DSR-2026-0001', 1, '81234567890', 'r1', 'registrant', 'delete', 'done')`).run();

    migrate(db);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['events', 'event_instances', 'sync_run_events']));
    expect(tableNames(db)).not.toEqual(expect.arrayContaining(['webinars']));
    expect(db.prepare('SELECT id, kind, topic FROM events').all()).toEqual([{ id: '81234567890', kind: 'webinar', topic: 'Spring launch' }]);
    expect(db.prepare('SELECT id, event_id, registrant_id, email FROM registrants').all()).toEqual([{ id: Number(row), event_id: '81234567890', registrant_id: 'r1', email: 'A@x.org' }]);
    for (const table of ['registrant_changes', 'participants', 'event_instances', 'sync_run_events', 'job_actions']) {
      expect(db.prepare(`SELECT count(*) FROM ${table} WHERE event_id = '81234567890'`).pluck().get()).toBe(1);
    }
    expect(JSON.parse(db.prepare('SELECT residual FROM job_runs').pluck().get() as string)).toEqual([
      { source: 'qa', webinar_id: '81234567890', event_type: 'webinar', event_id: '81234567890', records: 2 },
    ]);
    expect(JSON.parse(db.prepare('SELECT warnings FROM sync_runs').pluck().get() as string)[0]).toMatchObject({ event_type: 'webinar', event_id: '81234567890' });
    // The foreign keys followed the renamed table: a registrant of an unknown event is still refused.
    expect(() =>
      db.prepare(`INSERT INTO registrants (event_id, registrant_id, status, present, first_seen_at, last_seen_at, last_seen_run) VALUES ('9', 'x', 'approved', 1, 't', 't', 7)`).run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO events (id, kind, first_seen_at) VALUES ('2', 'seminar', 't')`).run()).toThrow(/CHECK/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('records each step in user_version and skips what is applied', () => {
    const db = memoryDb();
    expect(migrate(db)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
  });

  it('applies all pending migrations in one transaction: a failing one rolls back the lot', () => {
    const db = memoryDb();
    const broken: Migration = { version: LATEST_SCHEMA_VERSION + 10, name: 'broken', up: (d) => d.exec('CREATE TABLE nope (x TEXT) STRICT; SELECT * FROM missing_table') };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/no such table/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tableNames(db)).toEqual([]);
  });
});
