import { describe, expect, it } from 'vitest';
import { columnNames, isStrict, migrateTo, plan, storeBefore } from './helper';

describe('migration 0180: several addresses of one person', () => {
  it("gives every request its one address as the first of its list, with the identity check it had, and a job step room for its address's hash", () => {
    const db = storeBefore(180);
    const insert = db.prepare(
      `INSERT INTO requests (id, type, subject_email, subject_masked, subject_hash, channel, received_at, original_due_at, due_at, status, identity_method, identity_by, identity_at, created_at)
       VALUES (?, 'erasure', ?, ?, ?, 'email', 't', 't', 't', ?, ?, ?, ?, '2026-10-01T00:00:00Z')`,
    );
    insert.run('DSR-2026-0001', 'sealed-1', 'a***@x.org', 'h1', 'identity_verified', 'existing_account', 'Dana DPO', '2026-10-02T00:00:00Z');
    insert.run('DSR-2026-0002', null, 'b***@x.org', 'h2', 'completed', null, null, null);
    db.prepare(`INSERT INTO request_events (request_id, at, actor, action) VALUES ('DSR-2026-0001', 't', 'Rui Reviewer', 'filed')`).run();
    db.prepare(`INSERT INTO job_actions (request_id, step, event_id, registrant_id, source, action, state) VALUES ('DSR-2026-0002', 1, '1', 'r1', 'registrant', 'delete', 'done')`).run();
    const before = db.prepare('SELECT * FROM job_actions').get() as object;

    expect(migrateTo(db, 180)).toEqual({ from: 170, to: 180 });
    expect(db.prepare('SELECT * FROM request_addresses ORDER BY request_id').all()).toEqual([
      {
        request_id: 'DSR-2026-0001',
        position: 0,
        email: 'sealed-1',
        masked: 'a***@x.org',
        subject_hash: 'h1',
        via: 'filed',
        added_by: 'Rui Reviewer',
        added_at: '2026-10-01T00:00:00Z',
        identity_method: 'existing_account',
        identity_by: 'Dana DPO',
        identity_at: '2026-10-02T00:00:00Z',
      },
      // Purged before: the masked address and the hash only; no one recorded as filing it.
      {
        request_id: 'DSR-2026-0002',
        position: 0,
        email: null,
        masked: 'b***@x.org',
        subject_hash: 'h2',
        via: 'filed',
        added_by: '',
        added_at: '2026-10-01T00:00:00Z',
        identity_method: null,
        identity_by: null,
        identity_at: null,
      },
    ]);
    expect(db.prepare('SELECT * FROM job_actions').get()).toEqual({ ...before, subject_hash: null });
    for (const table of ['request_addresses', 'request_suggestions']) expect(isStrict(db, table)).toBe(true);
    expect(columnNames(db, 'request_suggestions')).toEqual(['request_id', 'subject_hash', 'email', 'masked', 'state', 'decided_by', 'decided_at']);
    // One address once per request; a decision is accepted or dismissed; every row names a request that exists.
    expect(() =>
      db.prepare(`INSERT INTO request_addresses (request_id, position, masked, subject_hash, via, added_by, added_at) VALUES ('DSR-2026-0001', 1, 'm', 'h1', 'added', 'x', 't')`).run(),
    ).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO request_suggestions VALUES ('DSR-2026-0001', 'h9', NULL, 'm', 'maybe', 'x', 't')`).run()).toThrow(/CHECK/);
    expect(() =>
      db.prepare(`INSERT INTO request_addresses (request_id, position, masked, subject_hash, via, added_by, added_at) VALUES ('DSR-2099-0001', 0, 'm', 'h', 'added', 'x', 't')`).run(),
    ).toThrow(/FOREIGN KEY/);
    // "Which open requests hold this address" (the duplicate check) goes through the index.
    expect(plan(db, 'SELECT request_id FROM request_addresses WHERE subject_hash = ?', 'h1')).toContain('request_addresses_by_hash');
  });
});
