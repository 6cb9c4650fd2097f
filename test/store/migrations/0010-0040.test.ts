import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../../electron/core/store/migrations';
import { memoryDb, tableNames } from './helper';

describe('migrations 0010-0040: the store, the mirror, the register', () => {
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
});
