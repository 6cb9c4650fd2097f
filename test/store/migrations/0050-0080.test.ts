import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/migrations';
import { searchByPrefix } from '../../../electron/core/store/mirror-queries';
import { columnNames, indexNames, isStrict, memoryDb, migrateTo, plan, storeBefore, tableNames } from './helper';

const REQUEST = `INSERT INTO requests (id, type, subject_email, subject_hash, channel, received_at, original_due_at, due_at, status, created_at)
                 VALUES ('DSR-2026-0001', 'erasure', 'a@x.org', 'h', 'email', 't', 't', 't', 'approved', 't')`;

describe('migrations 0050-0080: the jobs, an erasure that holds, the documents, the desk', () => {
  it('0050 creates the job journal, job runs and processor tasks: one action per step and kind, only known actions and states, each of a filed request', () => {
    const db = storeBefore(50);
    db.prepare(REQUEST).run();
    expect(migrateTo(db, 50)).toEqual({ from: 40, to: 50 });
    for (const table of ['job_actions', 'job_runs', 'processor_tasks']) expect(isStrict(db, table)).toBe(true);
    // The journal keeps the IDs a retry needs and no column for the subject's data.
    expect(columnNames(db, 'job_actions')).toEqual([
      'id',
      'request_id',
      'step',
      'webinar_id',
      'registrant_id',
      'occurrence_id',
      'source',
      'action',
      'state',
      'http_status',
      'zoom_code',
      'message',
      'at',
    ]);
    const action = db.prepare(`INSERT INTO job_actions (request_id, step, webinar_id, registrant_id, source, action, state) VALUES (?, ?, '1', 'r1', 'registrant', ?, ?)`);
    action.run('DSR-2026-0001', 1, 'delete', 'intended');
    action.run('DSR-2026-0001', 1, 'verify', 'pending');
    expect(() => action.run('DSR-2026-0001', 1, 'delete', 'done')).toThrow(/UNIQUE constraint failed: job_actions.request_id, job_actions.step, job_actions.action/);
    expect(() => action.run('DSR-2026-0001', 2, 'erase', 'pending')).toThrow(/CHECK constraint/);
    expect(() => action.run('DSR-2026-0001', 2, 'delete', 'unknown')).toThrow(/CHECK constraint/);
    expect(() => action.run('DSR-2099-0001', 1, 'delete', 'pending')).toThrow(/FOREIGN KEY/);

    const run = db.prepare(`INSERT INTO job_runs (request_id, planned_at, notes, residual) VALUES (?, 't', '[]', '[]')`);
    run.run('DSR-2026-0001');
    expect(() => run.run('DSR-2026-0001')).toThrow(/UNIQUE constraint failed: job_runs.request_id/);
    expect(() => run.run('DSR-2099-0001')).toThrow(/FOREIGN KEY/);

    const task = db.prepare(`INSERT INTO processor_tasks (request_id, processor, status, letter, created_at) VALUES (?, 'Zoom', ?, 'Dear Zoom', 't')`);
    expect(() => task.run('DSR-2026-0001', 'forgotten')).toThrow(/CHECK constraint/);
    task.run('DSR-2026-0001', 'open');
    expect(() => task.run('DSR-2026-0001', 'sent')).toThrow(/UNIQUE constraint failed: processor_tasks.request_id/);
    expect(db.prepare('SELECT action, state FROM job_actions ORDER BY id').all()).toEqual([
      { action: 'delete', state: 'intended' },
      { action: 'verify', state: 'pending' },
    ]);
  });

  it('0060 rebuilds registrant_changes for the deleted_outside kind with every change kept, and adds what an erasure that holds needs', () => {
    const db = storeBefore(60);
    db.prepare(`INSERT INTO webinars (id, first_seen_at) VALUES ('1', 't')`).run();
    db.prepare(`INSERT INTO sync_runs (id, mode, status, started_at) VALUES (3, 'full', 'completed', 't')`).run();
    const row = db
      .prepare(
        `INSERT INTO registrants (webinar_id, registrant_id, email, email_norm, status, present, first_seen_at, last_seen_at, last_seen_run) VALUES ('1', 'r1', 'a@x.org', 'a@x.org', 'approved', 0, 't', 't', 3)`,
      )
      .run().lastInsertRowid;
    const change = db.prepare(`INSERT INTO registrant_changes (id, registrant_row, webinar_id, run_id, kind, from_status, to_status, observed_at, request_id) VALUES (?, ?, '1', 3, ?, ?, ?, 't', ?)`);
    change.run(5, row, 'registered', null, 'approved', null);
    change.run(9, row, 'deleted_by_request', 'approved', null, 'DSR-2026-0001');
    expect(() => change.run(10, row, 'deleted_outside', 'approved', null, null)).toThrow(/CHECK constraint/);
    const before = db.prepare('SELECT * FROM registrant_changes ORDER BY id').all() as object[];

    expect(migrateTo(db, 60)).toEqual({ from: 50, to: 60 });
    expect(db.prepare('SELECT * FROM registrant_changes ORDER BY id').all()).toEqual(before.map((c) => ({ ...c, evidence: null })));
    change.run(10, row, 'deleted_outside', 'approved', null, null);
    expect(() => change.run(11, row, 'vanished', 'approved', null, null)).toThrow(/CHECK constraint/);
    expect(() => change.run(12, 999, 'deleted', 'approved', null, null)).toThrow(/FOREIGN KEY/);
    expect(indexNames(db, 'registrant_changes')).toEqual(['registrant_changes_by_registrant']);
    expect(tableNames(db)).not.toContain('registrant_changes_new');
    expect(isStrict(db, 'registrant_changes')).toBe(true);

    db.prepare(`UPDATE registrants SET gone_kind = 'deleted_outside' WHERE id = ?`).run(row);
    expect(() => db.prepare(`UPDATE registrants SET gone_kind = 'vanished'`).run()).toThrow(/CHECK constraint/);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['leases', 'suppressed_names']));
    db.prepare(`INSERT INTO leases (name, holder, host, pid, acquired_at, renewed_at) VALUES ('sync', 'h', 'host', 1, 't', 't')`).run();
    expect(() => db.prepare(`INSERT INTO leases (name, holder, host, pid, acquired_at, renewed_at) VALUES ('sync', 'other', 'host', 2, 't', 't')`).run()).toThrow(/UNIQUE/);
    // A name hash belongs to a suppressed subject.
    expect(() => db.prepare(`INSERT INTO suppressed_names (name_hash, subject_hash) VALUES ('n', 'unknown')`).run()).toThrow(/FOREIGN KEY/);
    db.prepare(`INSERT INTO suppressed_subjects (subject_hash, request_id, added_at) VALUES ('s', 'DSR-2026-0001', 't')`).run();
    db.prepare(`INSERT INTO suppressed_names (name_hash, subject_hash) VALUES ('n', 's')`).run();
    expect(columnNames(db, 'job_runs')).toEqual(expect.arrayContaining(['planned_from_run', 'planned_from_at']));
    expect(columnNames(db, 'requests')).toEqual(expect.arrayContaining(['subject_masked', 'address_purged_at']));
    // Every table holding a person's rows finds a suppressed subject's rows by the keyed hash, from an index of those rows only.
    for (const table of ['registrants', 'participants', 'absentees', 'qa_questions', 'poll_answers', 'survey_answers', 'panelists']) {
      expect(columnNames(db, table)).toContain('subject_hash');
      expect(plan(db, `SELECT count(*) FROM ${table} WHERE subject_hash = ?`, 'h')).toContain(`INDEX ${table}_by_subject_hash`);
      expect(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).pluck().get(`${table}_by_subject_hash`)).toMatch(/WHERE subject_hash IS NOT NULL$/);
    }
  });

  it("0070 adds the reply language (English or German), the package a job wrote, and an index that reads one request's audit entries in order", () => {
    const db = storeBefore(70);
    db.prepare(REQUEST).run();
    const audit = db.prepare(`INSERT INTO audit_log (at, actor, action, request_id, details, prev_hash, hash) VALUES ('t', 'Dana DPO', ?, ?, '{}', 'p', 'h')`);
    audit.run('request.filed', 'DSR-2026-0001');
    audit.run('settings.changed', null);
    audit.run('request.approved', 'DSR-2026-0001');
    const evidence = 'SELECT seq, action FROM audit_log WHERE request_id = ? ORDER BY seq';
    expect(plan(db, evidence, 'DSR-2026-0001')).not.toContain('audit_log_by_request');

    expect(migrateTo(db, 70)).toEqual({ from: 60, to: 70 });
    expect(plan(db, evidence, 'DSR-2026-0001')).toContain('INDEX audit_log_by_request (request_id=?)');
    expect(plan(db, evidence, 'DSR-2026-0001')).not.toContain('TEMP B-TREE');
    expect(db.prepare(evidence).all('DSR-2026-0001')).toEqual([
      { seq: 1, action: 'request.filed' },
      { seq: 3, action: 'request.approved' },
    ]);
    expect(db.prepare('SELECT language FROM requests').pluck().get()).toBeNull();
    db.prepare(`UPDATE requests SET language = 'de'`).run();
    expect(() => db.prepare(`UPDATE requests SET language = 'fr'`).run()).toThrow(/CHECK constraint/);
    expect(columnNames(db, 'job_runs')).toContain('package');
    db.prepare(`INSERT INTO job_runs (request_id, planned_at, notes, residual, package) VALUES ('DSR-2026-0001', 't', '[]', '[]', ?)`).run(JSON.stringify([{ file: 'access.json', sha256: 'ab' }]));
    expect(() => db.prepare(`UPDATE job_runs SET package = x'00'`).run()).toThrow(/cannot store BLOB value in TEXT column/);
  });

  it("0080 indexes a webinar's registrants in registration order and the changes by run, so the window's pages and the overview use them (EXPLAIN QUERY PLAN)", () => {
    const db = memoryDb();
    migrate(db);
    expect(plan(db, `SELECT id FROM registrants WHERE event_id = '1' ORDER BY create_time, id LIMIT 100 OFFSET 5000`)).toContain('registrants_by_webinar_created');
    expect(plan(db, `SELECT id FROM registrants WHERE event_id = '1' ORDER BY create_time, id LIMIT 100`)).not.toContain('TEMP B-TREE');
    expect(plan(db, `SELECT kind, count(*) FROM registrant_changes WHERE run_id = 3 GROUP BY kind`)).toContain('registrant_changes_by_run');
    expect(plan(db, `SELECT sum(present AND status = 'approved'), sum(suppressed) FROM registrants WHERE event_id = '1'`)).toContain('COVERING INDEX registrants_by_webinar_state');
    // The search box: each of its three prefix ranges from an index.
    for (const webinar of ['1', undefined]) {
      const { sql, params } = searchByPrefix('Sv', webinar);
      const search = (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM (${sql})`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      for (const index of ['registrants_by_email', 'registrants_by_first_name', 'registrants_by_last_name']) expect(search).toContain(`COVERING INDEX ${index}`);
    }
    expect(db.prepare("SELECT name FROM pragma_table_info('sync_runs')").pluck().all() as string[]).toContain('warnings');
  });
});
