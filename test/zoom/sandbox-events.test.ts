import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { control, getToken, rawApi, sandbox } from './sandbox-helpers';

// The sandbox's WebSocket event subscription against zoom-api.md §5.1/§5.1a: token in the query,
// heartbeat, envelope, one event per change (its control endpoints included), no replay, and the
// faults tests need (a dropped socket, late events, an expiring token).

const UPCOMING = 81234567890;

interface Envelope {
  module: string;
  success: boolean;
  content: string;
}

/** An open socket and every envelope it received. */
async function open(box: ZoomSandbox, token?: string): Promise<{ ws: WebSocket; received: Envelope[]; closed: Promise<number> }> {
  const url = `${box.wsUrl}?subscriptionId=${box.eventSubscriptionId}&access_token=${token ?? (await getToken(box))}`;
  const ws = new WebSocket(url);
  const received: Envelope[] = [];
  ws.on('message', (data) => received.push(JSON.parse(String(data)) as Envelope));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, received, closed };
}

/** The answer of a connection the sandbox turns away at the door. */
function refusal(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk) => (body += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('open', () => reject(new Error('the socket opened')));
    ws.on('error', () => undefined);
  });
}

async function until<T>(find: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const events = (received: Envelope[]) => received.filter((e) => e.module === 'message').map((e) => JSON.parse(e.content) as { event: string; event_ts: number; payload: Record<string, any> });

describe('sandbox event subscription (/ws)', () => {
  it('turns away a connection without a token, with a token it did not issue, or for another subscription', async () => {
    const box = await sandbox({ seed: 'demo' });
    expect(box.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const missing = await refusal(`${box.wsUrl}?subscriptionId=${box.eventSubscriptionId}`);
    expect(missing).toEqual({ status: 401, body: expect.stringContaining('token is empty') });
    expect((await refusal(`${box.wsUrl}?subscriptionId=${box.eventSubscriptionId}&access_token=made-up`)).status).toBe(401);
    expect((await refusal(`${box.wsUrl}?subscriptionId=another&access_token=${await getToken(box)}`)).status).toBe(404);
  });

  it('greets with build_connection, answers every heartbeat, and sends each change as a message envelope holding the event as a JSON string', async () => {
    const box = await sandbox({ seed: 'demo' });
    const { ws, received } = await open(box);
    await until(() => received.find((e) => e.module === 'build_connection'));
    ws.send(JSON.stringify({ module: 'heartbeat' }));
    expect(await until(() => received.find((e) => e.module === 'heartbeat'))).toEqual({ module: 'heartbeat', success: true, content: 'live' });

    const { registrant_id: id } = await control<{ registrant_id: string }>(box, 'POST', 'register', { webinar_id: UPCOMING, email: 'ed.event@example.org', first_name: 'Ed', city: 'Essen' });
    await control(box, 'POST', 'host-action', { webinar_id: UPCOMING, registrant_id: id, action: 'deny' });
    await control(box, 'POST', 'host-action', { webinar_id: UPCOMING, registrant_id: id, action: 'approve' });
    await control(box, 'POST', 'host-action', { webinar_id: UPCOMING, registrant_id: id, action: 'cancel' });
    await control(box, 'POST', 'host-action', { webinar_id: UPCOMING, registrant_id: id, action: 'approve' });
    await control(box, 'POST', 'self-cancel', { webinar_id: UPCOMING, registrant_id: id });
    expect((await rawApi(box, 'DELETE', `/webinars/${UPCOMING}`)).status).toBe(204);
    const got = await until(() => (events(received).length === 7 ? events(received) : undefined));
    expect(received.filter((e) => e.module === 'message').every((e) => e.success === true && typeof e.content === 'string')).toBe(true);
    expect(got.map((e) => e.event)).toEqual([
      'webinar.registration_created',
      'webinar.registration_denied',
      'webinar.registration_approved',
      'webinar.registration_cancelled',
      'webinar.registration_approved',
      'webinar.registration_cancelled',
      'webinar.deleted',
    ]);
    const [created, denied, , hostCancel, , selfCancel, deleted] = got;
    expect(created!.payload).toMatchObject({
      account_id: 'sandbox-account',
      object: { id: UPCOMING, registrant: { id, email: 'ed.event@example.org', first_name: 'Ed', city: 'Essen', status: 'pending', custom_questions: [] } },
    });
    expect(created!.payload).not.toHaveProperty('operator');
    expect(denied!.payload).toMatchObject({ operator: expect.any(String), operator_id: expect.any(String), object: { registrant: { id, email: 'ed.event@example.org' } } });
    // A host's cancel and the registrant's own are the same event; only the operator differs (unverified for Zoom).
    expect(hostCancel!.payload.operator_id).toEqual(expect.any(String));
    expect(selfCancel!.payload).not.toHaveProperty('operator_id');
    expect(Object.keys(selfCancel!.payload.object.registrant).sort()).toEqual(Object.keys(hostCancel!.payload.object.registrant).sort());
    expect(deleted!.payload.object).toMatchObject({ id: UPCOMING, uuid: expect.any(String) });
    expect(deleted!.payload.object).not.toHaveProperty('registrant');
    expect(got.every((e) => typeof e.event_ts === 'number')).toBe(true);
    ws.close();
  });

  it('replays nothing: a change while no socket is open is never sent', async () => {
    const box = await sandbox({ seed: 'demo' });
    const first = await open(box);
    expect((await control<{ dropped: number }>(box, 'POST', 'events', { drop: true })).dropped).toBe(1);
    expect(await first.closed).toBe(1006);
    await control(box, 'POST', 'register', { webinar_id: UPCOMING, email: 'missed@example.org', first_name: 'Miss' });
    const second = await open(box);
    await control(box, 'POST', 'register', { webinar_id: UPCOMING, email: 'heard@example.org', first_name: 'Heard' });
    const got = await until(() => (events(second.received).length > 0 ? events(second.received) : undefined));
    expect(got.map((e) => e.payload.object.registrant.email)).toEqual(['heard@example.org']);
    expect(await control(box, 'GET', 'events')).toEqual({ connections: 1, sent: 1 });
    second.ws.close();
  });

  it('delays events on demand and closes a socket whose token expires or is revoked', async () => {
    const box = await sandbox({ seed: 'demo' });
    const { received, closed } = await open(box);
    await control(box, 'POST', 'faults', { event_delay_ms: 400 });
    const at = Date.now();
    await control(box, 'POST', 'register', { webinar_id: UPCOMING, email: 'late@example.org', first_name: 'Late' });
    await until(() => (events(received).length > 0 ? true : undefined));
    expect(Date.now() - at).toBeGreaterThanOrEqual(380);
    await control(box, 'POST', 'faults', { revoke_tokens: true });
    expect(await closed).toBe(4001);

    await control(box, 'POST', 'faults', { clear: true, token_ttl_seconds: 1 });
    const short = await open(box);
    expect(await short.closed).toBe(4001);
  });
});
