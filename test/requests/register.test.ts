import { describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../electron/core/service';
import { REQUEST_ACTIONS, REQUEST_STATUSES, refusalOf, type RequestDetail, type RequestStatus } from '../../shared/requests';
import { tempDataDir } from '../helpers';

let clock = new Date('2026-11-02T09:00:00Z');
const at = (iso: string) => (clock = new Date(iso));

async function core(dataDir = tempDataDir()): Promise<Core> {
  const opened = await openCore({ dataDir, now: () => clock });
  await opened.dispatch('updateSettings', { time_zone: 'Europe/Berlin' });
  return opened;
}

async function ok<T = RequestDetail>(c: Core, name: string, input: unknown): Promise<T> {
  const result = await c.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

const dana = 'Dana DPO';

describe('the request register', () => {
  it('files a request with its Art 12(3) due date and records every step with who, when and why', async () => {
    at('2026-11-02T09:00:00Z');
    const c = await core();
    try {
      const filed = await ok<{ id: string; status: string; due_at: string; days_left: number }>(c, 'createRequest', {
        type: 'erasure',
        email: ' Erika.Mustermann@Example.COM ',
        received_at: '2026-10-31T23:30:00Z', // 1 November in Berlin
        by: dana,
      });
      expect(filed).toMatchObject({ id: 'DSR-2026-0001', status: 'received', due_at: '2026-12-01T22:59:59.999Z', days_left: 29 });

      at('2026-11-03T10:00:00Z');
      await ok(c, 'verifyIdentity', { id: filed.id, method: 'answered from the registered address', by: dana });
      at('2026-11-04T10:00:00Z');
      const approved = await ok(c, 'approveRequest', { id: filed.id, by: 'Rui Reviewer', note: 'no 17(3) exception applies' });
      expect(approved).toMatchObject({
        status: 'approved',
        subject_email: 'erika.mustermann@example.com',
        identity: { method: 'answered from the registered address', by: dana, at: '2026-11-03T10:00:00.000Z' },
        decision: { outcome: 'approved', by: 'Rui Reviewer', reason: 'no 17(3) exception applies' },
      });
      expect(approved.timeline.map((e) => [e.action, e.from, e.to, e.by])).toEqual([
        ['filed', null, 'received', dana],
        ['verify_identity', 'received', 'identity_verified', dana],
        ['approve', 'identity_verified', 'approved', 'Rui Reviewer'],
      ]);
      const listed = await ok<{ requests: { id: string }[] }>(c, 'listRequests', { status: 'approved' });
      expect(listed.requests.map((r) => r.id)).toEqual([filed.id]);
    } finally {
      await c.close();
    }
  });

  it('moves a due date past the public holidays set in the settings', async () => {
    at('2026-11-25T09:00:00Z');
    const c = await core();
    try {
      await ok(c, 'updateSettings', { holidays: ['2026-12-25', '2026-12-28'] });
      const filed = await ok<{ due_at: string }>(c, 'createRequest', { type: 'access', email: 'someone@example.org', by: dana });
      expect(filed.due_at).toBe('2026-12-29T22:59:59.999Z'); // 25th a holiday, 26-27 a weekend, 28th a holiday
      expect(await c.dispatch('updateSettings', { holidays: ['25.12.2026'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/YYYY-MM-DD/) } });
    } finally {
      await c.close();
    }
  });

  it('refuses every illegal move with INVALID_STATE, saying what to do, and changes nothing', async () => {
    // The rules themselves, every action in every state.
    const allowed = REQUEST_ACTIONS.flatMap((action) => REQUEST_STATUSES.filter((status) => refusalOf(action, status, 'approved') === null).map((status) => `${action}@${status}`));
    expect(allowed.sort()).toEqual(
      [
        'verify_identity@received',
        // Another address, only before the job runs (its plan covers what the request held then).
        ...['received', 'identity_verified', 'approved'].map((s) => `add_address@${s}`),
        'approve@identity_verified',
        'refuse@received',
        'refuse@identity_verified',
        ...['received', 'identity_verified', 'approved', 'partial', 'failed'].map((s) => `hold@${s}`),
        'resume@on_hold',
        ...['approved', 'partial', 'failed', 'running'].map((s) => `start_job@${s}`),
        'finish_job@running',
        ...['received', 'identity_verified', 'approved', 'running', 'partial', 'failed', 'on_hold', 'waiting_for_processor'].map((s) => `extend@${s}`),
        'processor_done@waiting_for_processor',
      ].sort(),
    );
    expect(refusalOf('approve', 'received')).toMatch(/verify the subject's identity/);
    expect(refusalOf('approve', 'completed' as RequestStatus)).toMatch(/it is closed/);

    at('2026-11-02T09:00:00Z');
    const c = await core();
    try {
      const { id } = await ok<{ id: string }>(c, 'createRequest', { type: 'access', email: 'someone@example.org', by: dana });
      const before = await ok(c, 'getRequest', { id });
      const audit = await ok<{ entries: number }>(c, 'verifyAudit', {});
      for (const [name, input] of [
        ['approveRequest', { id, by: dana }],
        ['resumeRequest', { id, by: dana }],
      ] as const) {
        const refused = await c.dispatch(name, input);
        expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: expect.stringContaining(id) } });
      }
      await ok(c, 'refuseRequest', { id, by: dana, reason: 'the sender could not be identified', article: '12(2)' });
      const again = await c.dispatch('verifyIdentity', { id, method: 'late reply', by: dana });
      expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: expect.stringMatching(/refused.*closed/) } });
      const after = await ok(c, 'getRequest', { id });
      expect(after.timeline).toHaveLength(before.timeline.length + 1); // only the refusal
      expect((await ok<{ entries: number }>(c, 'verifyAudit', {})).entries).toBe(audit.entries + 1);
    } finally {
      await c.close();
    }
  });

  it('extends once, before the first deadline, with a reason and the date the subject was told', async () => {
    at('2026-11-02T09:00:00Z');
    const c = await core();
    try {
      const { id } = await ok<{ id: string }>(c, 'createRequest', { type: 'access', email: 'someone@example.org', received_at: '2026-11-02T08:00:00Z', by: dana });
      at('2026-11-20T09:00:00Z');
      const future = await c.dispatch('extendRequest', { id, by: dana, reason: 'many systems to search', notified_at: '2026-11-21T09:00:00Z' });
      expect(future).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/future/) } });
      const extended = await ok(c, 'extendRequest', { id, by: dana, reason: 'many systems to search', notified_at: '2026-11-19T15:00:00Z' });
      expect(extended).toMatchObject({ extended: true, original_due_at: '2026-12-02T22:59:59.999Z', due_at: '2027-02-02T22:59:59.999Z' });
      const twice = await c.dispatch('extendRequest', { id, by: dana, reason: 'still more', notified_at: '2026-11-19T15:00:00Z' });
      expect(twice).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/one extension/) } });

      const { id: late } = await ok<{ id: string }>(c, 'createRequest', { type: 'access', email: 'other@example.org', received_at: '2026-10-01T08:00:00Z', by: dana });
      const list = await ok<{ requests: { id: string; overdue: boolean; days_left: number }[] }>(c, 'listRequests', {});
      expect(list.requests.find((r) => r.id === late)).toMatchObject({ overdue: true, days_left: -18 }); // due 2 November
      const tooLate = await c.dispatch('extendRequest', { id: late, by: dana, reason: 'forgot', notified_at: '2026-11-19T15:00:00Z' });
      expect(tooLate).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/first deadline .* passed/) } });
    } finally {
      await c.close();
    }
  });

  it('purges the subject from closed requests after the retention period, keeping dates, outcome and the hash', async () => {
    at('2026-11-02T09:00:00Z');
    const dataDir = tempDataDir();
    let c = await core(dataDir);
    const { id } = await ok<{ id: string }>(c, 'createRequest', { type: 'erasure', email: 'gone@example.org', note: 'called twice', by: dana });
    await ok(c, 'refuseRequest', { id, by: dana, reason: 'gone@example.org is not a subscriber', article: '12(5)' });
    const hash = c.store.db.prepare('SELECT subject_hash FROM requests WHERE id = ?').pluck().get(id);
    await c.close();

    at('2029-11-03T09:00:00Z'); // three years and a day later: opening the register purges it
    c = await core(dataDir);
    try {
      const purged = await ok(c, 'getRequest', { id });
      expect(purged).toMatchObject({ subject_email: null, notes: [], status: 'refused', decision: { outcome: 'refused', reason: null, article: '12(5)' }, purged_at: '2029-11-03T09:00:00.000Z' });
      expect(JSON.stringify(purged)).not.toContain('gone@example.org');
      // Nor does the append-only audit log hold the free text the purge removed.
      const log = JSON.stringify(c.store.db.prepare('SELECT * FROM audit_log').all());
      expect(log).not.toContain('gone@example.org');
      expect(log).not.toContain('called twice');
      expect(c.store.db.prepare('SELECT subject_hash FROM requests WHERE id = ?').pluck().get(id)).toBe(hash);
      expect(purged.timeline.at(-1)).toMatchObject({ action: 'retention_purged', by: 'retention' });
      expect(await ok(c, 'verifyAudit', {})).toMatchObject({ ok: true });
    } finally {
      await c.close();
    }
  });
});
