import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../../electron/core/store/migrations';
import { columnNames, memoryDb, migrateTo, storeBefore, tableNames } from './helper';

describe('migrations 0130-0170: the operator, after the job, legal grounds, job observations, events', () => {
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

  it('0150 records the Art 17(1) ground an approved erasure relies on and when the exceptions were checked, the requests from before keeping theirs empty', () => {
    const db = storeBefore(150);
    db.prepare(
      `INSERT INTO requests (id, type, subject_email, subject_masked, subject_hash, channel, received_at, original_due_at, due_at, status, decision_by, decision_at, decision_article, created_at)
       VALUES ('DSR-2026-0001', 'erasure', 'a@x.org', 'a***@x.org', 'h', 'email', 't', 't', 't', 'approved', 'Dana DPO', '2026-10-01T00:00:00Z', '17', 't')`,
    ).run();
    const before = db.prepare('SELECT * FROM requests').get() as object;
    expect(columnNames(db, 'requests')).not.toContain('decision_ground');

    expect(migrateTo(db, 150)).toEqual({ from: 140, to: 150 });
    expect(db.prepare('SELECT * FROM requests').get()).toEqual({ ...before, decision_ground: null, exceptions_checked_at: null });
    db.prepare(`UPDATE requests SET decision_ground = '17(1)(c)', exceptions_checked_at = '2026-10-01T00:00:00Z' WHERE id = 'DSR-2026-0001'`).run();
    expect(db.prepare('SELECT decision_ground, exceptions_checked_at FROM requests').get()).toEqual({ decision_ground: '17(1)(c)', exceptions_checked_at: '2026-10-01T00:00:00Z' });
    // The register is STRICT since 0040 and the rebuild of 0140: the new columns hold text only.
    for (const column of ['decision_ground', 'exceptions_checked_at']) {
      expect(() => db.prepare(`UPDATE requests SET ${column} = x'00'`).run()).toThrow(`cannot store BLOB value in TEXT column requests.${column}`);
    }
  });

  it("0160 gives a job action a note of what the read-back saw (a key and its values), the journal's rows kept as they were", () => {
    const db = storeBefore(160);
    db.prepare(
      `INSERT INTO requests (id, type, subject_email, subject_masked, subject_hash, channel, received_at, original_due_at, due_at, status, created_at)
       VALUES ('DSR-2026-0001', 'erasure', NULL, 'a***@x.org', 'h', 'email', 't', 't', 't', 'running', 't')`,
    ).run();
    db.prepare(
      `INSERT INTO job_actions (request_id, step, webinar_id, registrant_id, source, action, state, http_status, zoom_code, message, at)
       VALUES ('DSR-2026-0001', 1, '1', 'r1', 'registrant', 'delete', 'done', 404, 3079, 'Zoom no longer holds this registration.', 't')`,
    ).run();
    const before = db.prepare('SELECT * FROM job_actions').get() as object;
    expect(columnNames(db, 'job_actions')).not.toContain('note');

    expect(migrateTo(db, 160)).toEqual({ from: 150, to: 160 });
    expect(db.prepare('SELECT * FROM job_actions').get()).toEqual({ ...before, note: null });
    expect(db.prepare(`SELECT type, "notnull" FROM pragma_table_info('job_actions') WHERE name = 'note'`).get()).toEqual({ type: 'TEXT', notnull: 0 });
    const note = { key: 'registrationGone', params: {} };
    db.prepare('UPDATE job_actions SET note = ? WHERE id = 1').run(JSON.stringify(note));
    expect(JSON.parse(db.prepare('SELECT note FROM job_actions WHERE id = 1').pluck().get() as string)).toEqual(note);
    expect(() => db.prepare(`UPDATE job_actions SET note = x'00'`).run()).toThrow(/cannot store BLOB value in TEXT column job_actions.note/);
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
});
