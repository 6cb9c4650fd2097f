import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../electron/core/sandbox/server';
import { openCore } from '../../electron/core/service';
import type { Change } from '../../shared/mirror';
import { runCliAsync, tempDataDir } from '../helpers';
import { approvedRequest, SUBJECT } from '../jobs/job-helpers';
import { call, connectedCore, sandboxRegistrants } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { eventSockets, liveCore, reconciliations, startWatch, UPCOMING, watching, type Watch } from './live-helpers';

// `dsr-desk watch` against the sandbox's event subscription (zoom-api.md §5.1a), each test as a
// person would run it: connected with the subscription, a sync, then watch left running in a
// process of its own while registrants and hosts act on Zoom (the sandbox's control endpoints).

const debugEnv = { ...process.env, DSR_DESK_LOG: 'debug' };

async function changesOf(dataDir: string, webinarId: string): Promise<Change[]> {
  const run = await runCliAsync(['--json', '--data-dir', dataDir, 'changes', '--webinar', webinarId]);
  expect(run.code).toBe(0);
  return (run.json as { changes: Change[] }).changes;
}

function expectNoPersonalData(watch: Watch, values: string[]): void {
  const log = watch.stderr();
  expect(log).toContain('"subsystem":"live"'); // the log was written, at debug level
  for (const value of values) expect(log.toLowerCase()).not.toContain(value.toLowerCase());
}

describe('dsr-desk watch', () => {
  it('says how to set up an event subscription when none is set, and changes nothing', async () => {
    const box = await sandbox({ seed: 'demo' });
    const dataDir = tempDataDir();
    await (await connectedCore(box, dataDir)).close();
    const run = await runCliAsync(['--json', '--data-dir', dataDir, 'watch']);
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ error: { code: 'INVALID_STATE', message: expect.stringContaining('connect again with --event-subscription-id ID') } });
    expect((await control<{ connections: number }>(box, 'GET', 'events')).connections).toBe(0);
  });

  it('puts a self-cancel into the mirror as self_cancelled within 2 s, with one GET and no sync, and logs nothing personal', async () => {
    const { box, dataDir, watch } = await watching('demo', debugEnv);
    const people = await control<{ registrants: { id: string; email: string; first_name: string; last_name?: string; status: string }[] }>(box, 'GET', `registrants?event_id=${UPCOMING}`);
    const target = people.registrants.find((r) => r.status === 'approved' && r.email !== SUBJECT)!;
    await control(box, 'DELETE', 'requests');

    const started = Date.now();
    await control(box, 'POST', 'self-cancel', { event_id: UPCOMING, registrant_id: target.id });
    const change = await watch.waitFor(() => watch.changes.find((c) => c.registrant_id === target.id), 2000, 'the self-cancel');
    const elapsed = Date.now() - started;
    console.log(`self-cancel on Zoom → self_cancelled in the mirror: ${elapsed} ms`);
    expect(change).toEqual({
      webinar_id: UPCOMING,
      event_type: 'webinar',
      event_id: UPCOMING,
      account: 'default',
      registrant_id: target.id,
      kind: 'self_cancelled',
      observed_at: expect.any(String),
      via: 'event',
    });
    expect(elapsed).toBeLessThan(2000);

    // Classified by one read-back, not a sync: no list was read.
    const calls = (await control<{ requests: LoggedRequest[] }>(box, 'GET', 'requests')).requests.filter((r) => r.path !== '/oauth/token');
    expect(calls.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET /webinars/${UPCOMING}/registrants/${target.id} 200`]);

    expect(await watch.stop()).toBe(0);
    const recorded = (await changesOf(dataDir, UPCOMING)).filter((c) => c.registrant_id === target.id);
    expect(recorded.map((c) => [c.kind, c.via])).toEqual([
      ['registered', 'sync'],
      ['self_cancelled', 'event'],
    ]);
    expect(recorded[1]!.evidence).toMatch(/^observed live: Zoom sent webinar\.registration_cancelled at .*; read back: GET registrant answered HTTP 200 with status "all"$/);
    expectNoPersonalData(watch, [target.email, target.first_name, target.last_name ?? target.email]);
  });

  it('knows a person who registered and cancelled themselves between syncs, and a later erasure deletes and verifies that registration', async () => {
    const { box, dataDir, watch } = await watching('demo', debugEnv);
    const person = { email: 'lea.lebendig@example.org', first_name: 'Lea', last_name: 'Lebendig', city: 'Leipzig' };
    const { registrant_id: id } = await control<{ registrant_id: string }>(box, 'POST', 'register', { event_id: UPCOMING, ...person });
    await control(box, 'POST', 'self-cancel', { event_id: UPCOMING, registrant_id: id });
    await watch.waitFor(() => watch.changes.find((c) => c.registrant_id === id && c.kind === 'self_cancelled'), 5000, 'the self-cancel');
    expect(watch.changes.filter((c) => c.registrant_id === id).map((c) => `${c.kind} ${c.via}`)).toEqual(['registered event', 'self_cancelled event']);
    expect(await watch.stop()).toBe(0);
    expectNoPersonalData(watch, Object.values(person));

    // No list shows it now: only the events made it known. The erasure finds, deletes and verifies it.
    expect((await sandboxRegistrants(box, UPCOMING)).find((r) => r.id === id)?.state).toBe('self_cancelled');
    const core = await openCore({ dataDir });
    try {
      const requestId = await approvedRequest(core, 'erasure', person.email);
      const result = await call(core, 'runJob', { id: requestId, by: 'Dana DPO' });
      expect(result.status).toBe('completed');
      const step = result.steps.find((s) => s.registrant_id === id)!;
      expect(step.actions.find((a) => a.action === 'delete')).toMatchObject({ result: 'done', http_status: 204 });
      expect(step.verified).toBe(true);
    } finally {
      await core.close();
    }
    expect((await sandboxRegistrants(box, UPCOMING)).find((r) => r.id === id)?.state).toBe('deleted');
  });

  it("records an erasure job's own cancels, which come back as events, as the job's and not as a host's cancels", async () => {
    const { dataDir, watch } = await watching('demo', debugEnv);
    const core = await openCore({ dataDir });
    let registrants: string[];
    try {
      const requestId = await approvedRequest(core);
      const result = await call(core, 'runJob', { id: requestId, by: 'Dana DPO' });
      expect(result.status).toBe('completed');
      registrants = [...new Set(result.steps.filter((s) => s.actions.some((a) => a.action === 'cancel' && a.result === 'done')).map((s) => s.registrant_id!))];
      expect(registrants.length).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
    // Each cancel comes back as an event: wait until each is either set aside as the job's or recorded.
    const echoes = () =>
      watch
        .stderr()
        .split('\n')
        .filter((line) => line.includes('an erasure job is acting on')).length;
    const heard = () => echoes() + watch.changes.filter((c) => registrants.includes(c.registrant_id)).length;
    await watch.waitFor(() => heard() >= registrants.length || undefined, 10_000, "the job's cancels as events");
    expect(await watch.stop()).toBe(0);
    expect(watch.changes.filter((c) => registrants.includes(c.registrant_id))).toEqual([]);
    const run = await runCliAsync(['--json', '--data-dir', dataDir, 'changes']);
    const recorded = (run.json as { changes: Change[] }).changes.filter((c) => registrants.includes(c.registrant_id));
    expect(recorded.filter((c) => c.via === 'event')).toEqual([]);
    expect(recorded.map((c) => c.kind)).not.toContain('host_cancelled');
  });

  it('after the socket drops mid-stream, reconnects and reconciles: no change lost, none recorded twice', async () => {
    const { box, dataDir, watch } = await watching('empty', debugEnv);
    const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { topic: 'Live stream test' });
    const webinarId = String(id);
    const register = async (n: number) => (await control<{ registrant_id: string }>(box, 'POST', 'register', { event_id: webinarId, email: `p${n}@example.org`, first_name: `P${n}` })).registrant_id;

    const before: string[] = [];
    for (let n = 0; n < 10; n++) before.push(await register(n));
    await watch.waitFor(() => before.every((r) => watch.changes.some((c) => c.registrant_id === r)) || undefined, 5000, 'the first ten registrations');

    // The socket is dropped; what happens until it is back is never sent (Zoom replays nothing).
    expect((await control<{ dropped: number }>(box, 'POST', 'events', { drop: true })).dropped).toBe(1);
    const during: string[] = [];
    for (let n = 10; n < 15; n++) during.push(await register(n));
    await control(box, 'POST', 'self-cancel', { event_id: webinarId, registrant_id: before[0] });
    await control(box, 'POST', 'self-cancel', { event_id: webinarId, registrant_id: before[1] });
    await control(box, 'POST', 'host-action', { event_id: webinarId, registrant_id: before[2], action: 'cancel' });
    expect((await eventSockets(box)).connections).toBe(0);

    await watch.waitFor(() => reconciliations(watch) >= 2 || undefined, 30_000, 'the reconciliation after reconnecting');
    expect((await eventSockets(box)).connections).toBe(1);
    const after: string[] = [];
    for (let n = 15; n < 20; n++) after.push(await register(n));
    await control(box, 'POST', 'self-cancel', { event_id: webinarId, registrant_id: during[0] });
    await watch.waitFor(() => watch.changes.some((c) => c.registrant_id === during[0] && c.kind === 'self_cancelled') || undefined, 5000, 'the last self-cancel');
    await watch.waitFor(() => after.every((r) => watch.changes.some((c) => c.registrant_id === r)) || undefined, 5000, 'the last registrations');
    expect(await watch.stop()).toBe(0);

    const expected = new Map<string, string[]>();
    for (const r of [...before, ...during, ...after]) expected.set(r, ['registered']);
    expected.get(before[0]!)!.push('self_cancelled');
    expected.get(before[1]!)!.push('self_cancelled');
    expected.get(before[2]!)!.push('host_cancelled');
    expected.get(during[0]!)!.push('self_cancelled');
    const heard = new Map<string, string[]>();
    for (const c of watch.changes.filter((c) => c.event_id === webinarId)) heard.set(c.registrant_id, [...(heard.get(c.registrant_id) ?? []), c.kind]);
    expect(heard).toEqual(expected);
    // What happened while the socket was down came from the reconciliation, the rest from events.
    for (const r of during) expect(watch.changes.find((c) => c.registrant_id === r && c.kind === 'registered')!.via).toBe('reconcile');
    for (const r of after) expect(watch.changes.find((c) => c.registrant_id === r)!.via).toBe('event');

    const stored = new Map<string, string[]>();
    for (const c of await changesOf(dataDir, webinarId)) stored.set(c.registrant_id, [...(stored.get(c.registrant_id) ?? []), c.kind]);
    expect(stored).toEqual(expected);
  });

  it('reconnects with a new token when Zoom revokes the old one, and stops with a clear error once Zoom refuses the credentials', async () => {
    const { box, watch } = await watching('demo', debugEnv);
    await control(box, 'POST', 'faults', { revoke_tokens: true });
    await watch.waitFor(() => reconciliations(watch) >= 2 || undefined, 30_000, 'the reconciliation after reconnecting');
    expect((await eventSockets(box)).connections).toBe(1);
    const { registrant_id: id } = await control<{ registrant_id: string }>(box, 'POST', 'register', { event_id: UPCOMING, email: 'tom.token@example.org', first_name: 'Tom' });
    await watch.waitFor(() => watch.changes.find((c) => c.registrant_id === id), 5000, 'an event on the new connection');

    await control(box, 'POST', 'faults', { refuse_credentials: true, revoke_tokens: true });
    expect(await watch.exited).toBe(1);
    const error = watch.changes.at(-1) as unknown as { error: { code: string; message: string } };
    expect(error.error.code).toBe('ZOOM_AUTH_FAILED');
    expect(error.error.message).toContain('Zoom did not accept the Server-to-Server OAuth credentials');
  });

  it('stores nothing personal from an event about an erased subject who registers again', async () => {
    const box = await sandbox({ seed: 'demo' });
    const dataDir = tempDataDir();
    const core = await liveCore(box, dataDir);
    await call(core, 'syncZoom', {});
    const requestId = await approvedRequest(core);
    expect((await call(core, 'runJob', { id: requestId, by: 'Dana DPO' })).status).toBe('completed');
    await core.close();
    const watch = startWatch(dataDir, debugEnv);
    await watch.waitFor(() => reconciliations(watch) >= 1 || undefined, 30_000, 'the first reconciliation');

    // A webinar the mirror has not seen yet (its details are read when its first event comes), where the address is not blocked.
    const { id: webinarId } = await control<{ id: number }>(box, 'POST', 'webinars', { topic: 'Announced after the erasure' });
    const again = { email: SUBJECT, first_name: 'Erika', last_name: 'Mustermann', city: 'Musterstadt', phone: '+49 30 1234567', comments: 'Ich bin wieder da' };
    const { registrant_id: id } = await control<{ registrant_id: string }>(box, 'POST', 'register', { event_id: webinarId, ...again });
    expect(id).toEqual(expect.any(String));
    await control(box, 'POST', 'host-action', { event_id: webinarId, registrant_id: id, action: 'cancel' });
    await watch.waitFor(() => watch.changes.find((c) => c.registrant_id === id && c.kind === 'host_cancelled'), 5000, 'the cancel');
    expect(await watch.stop()).toBe(0);
    expectNoPersonalData(watch, Object.values(again));

    const mirror = await openCore({ dataDir });
    try {
      const row = mirror.store.db.prepare('SELECT * FROM registrants WHERE registrant_id = ?').get(id) as Record<string, unknown>;
      expect(row).toMatchObject({ suppressed: 1, email: null, email_norm: null, first_name: null, last_name: null, city: null, phone: null, comments: null, status: 'denied' });
      expect(row.subject_hash).toEqual(expect.any(String));
      const evidence = mirror.store.db.prepare('SELECT evidence FROM registrant_changes WHERE registrant_row = ?').pluck().all(row.id) as string[];
      expect(evidence).toHaveLength(2);
      for (const text of evidence) for (const value of Object.values(again)) expect(text).not.toContain(value);
    } finally {
      await mirror.close();
    }
  });
});
