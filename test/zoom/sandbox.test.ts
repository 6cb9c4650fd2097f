import { describe, expect, it } from 'vitest';
import { seedAccount } from '../../electron/core/sandbox/seed';
import { clientFor, control, getToken, rawApi, sandbox } from './sandbox-helpers';

// The sandbox checked on its own against the reference (zoom-api.md), with raw HTTP calls.

async function webinarWith(box: Awaited<ReturnType<typeof sandbox>>, registrants: Record<string, number>, extra: Record<string, unknown> = {}) {
  return (await control<{ id: number }>(box, 'POST', 'webinars', { registrants, ...extra })).id;
}

async function listAll(box: Awaited<ReturnType<typeof sandbox>>, webinarId: number, status?: string) {
  const response = await rawApi(box, 'GET', `/webinars/${webinarId}/registrants?page_size=300${status ? `&status=${status}` : ''}`);
  return response.body.registrants as { id: string; email: string; status: string }[];
}

describe('sandbox: OAuth', () => {
  it("issues a bearer token for the right Basic credentials and account, shaped like Zoom's", async () => {
    const box = await sandbox();
    const response = await fetch(`${box.oauthUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${box.credentials.client_id}:${box.credentials.client_secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=account_credentials&account_id=${box.credentials.account_id}`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600, scope: expect.stringContaining('webinar:read:admin') });
  });

  it('refuses a wrong secret, a wrong grant type and a wrong account', async () => {
    const box = await sandbox();
    await expect(getToken(box, 'wrong')).rejects.toThrow(/token refused: 401/);
    const basic = Buffer.from(`${box.credentials.client_id}:${box.credentials.client_secret}`).toString('base64');
    const wrongGrant = await fetch(`${box.oauthUrl}/oauth/token?grant_type=client_credentials&account_id=${box.credentials.account_id}`, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}` },
    });
    expect(await wrongGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const wrongAccount = await fetch(`${box.oauthUrl}/oauth/token?grant_type=account_credentials&account_id=nope`, { method: 'POST', headers: { Authorization: `Basic ${basic}` } });
    expect(wrongAccount.status).toBe(400);
  });

  it('answers 401 code 124 to a missing, expired or revoked token', async () => {
    const box = await sandbox();
    expect((await rawApi(box, 'GET', '/users/me', undefined, 'not-a-token')).body).toEqual({ code: 124, message: 'Invalid access token.' });
    const token = await getToken(box);
    expect((await rawApi(box, 'GET', '/users/me', undefined, token)).status).toBe(200);
    await control(box, 'POST', 'clock', { advance_ms: 3601_000 });
    expect((await rawApi(box, 'GET', '/users/me', undefined, token)).status).toBe(401);
    const fresh = await getToken(box);
    await control(box, 'POST', 'faults', { revoke_tokens: true });
    expect((await rawApi(box, 'GET', '/users/me', undefined, fresh)).body.code).toBe(124);
  });
});

describe('sandbox: registrants', () => {
  it('lists only approved registrants by default, each status on request, at most 300 a page', async () => {
    const box = await sandbox();
    const id = await webinarWith(box, { approved: 320, pending: 4, denied: 2 });
    const byDefault = await rawApi(box, 'GET', `/webinars/${id}/registrants?page_size=1000`);
    expect(byDefault.body.page_size).toBe(300);
    expect(byDefault.body.total_records).toBe(320);
    expect(byDefault.body.registrants).toHaveLength(300);
    expect(byDefault.body.registrants.every((r: { status: string }) => r.status === 'approved')).toBe(true);
    expect(byDefault.body.next_page_token).not.toBe('');
    const rest = await rawApi(box, 'GET', `/webinars/${id}/registrants?page_size=300&next_page_token=${byDefault.body.next_page_token}`);
    expect(rest.body.registrants).toHaveLength(20);
    expect(rest.body.next_page_token).toBe('');
    expect(await listAll(box, id, 'pending')).toHaveLength(4);
    expect(await listAll(box, id, 'denied')).toHaveLength(2);
  });

  it('expires next_page_tokens after 15 minutes', async () => {
    const box = await sandbox();
    const id = await webinarWith(box, { approved: 40 });
    const first = await rawApi(box, 'GET', `/webinars/${id}/registrants?page_size=30`);
    await control(box, 'POST', 'clock', { advance_ms: 15 * 60_000 + 1000 });
    const late = await rawApi(box, 'GET', `/webinars/${id}/registrants?page_size=30&next_page_token=${first.body.next_page_token}`);
    expect(late.status).toBe(400);
    expect(late.body).toEqual({ code: 300, message: 'The next page token is invalid or expired.' });
  });

  it('answers each page of a list after the page latency it was given, and other calls without it', async () => {
    const box = await sandbox();
    const id = await webinarWith(box, { approved: 40 });
    const token = await getToken(box);
    const timed = async (path: string) => {
      const started = performance.now();
      const response = await rawApi(box, 'GET', path, undefined, token);
      return { ms: performance.now() - started, status: response.status };
    };
    expect(await control(box, 'POST', 'latency', { page_ms: -1 })).toEqual({ message: 'page_ms must be a number of milliseconds, 0 or more' });
    expect(await control(box, 'POST', 'latency', { page_ms: 150 })).toEqual({ page_ms: 150 });
    const page = await timed(`/webinars/${id}/registrants?page_size=30`);
    expect(page.status).toBe(200);
    expect(page.ms).toBeGreaterThanOrEqual(145);
    const single = await timed(`/webinars/${id}`);
    expect(single.status).toBe(200);
    expect(single.ms).toBeLessThan(145);
    await control(box, 'POST', 'faults', { clear: true });
    expect((await timed(`/webinars/${id}/registrants?page_size=30`)).ms).toBeGreaterThanOrEqual(145);
  });

  it('host cancel and deny both leave the registrant denied and block the address from registering again', async () => {
    const box = await sandbox();
    const id = await webinarWith(box, { approved: 2 });
    const [first, second] = await listAll(box, id);
    expect((await rawApi(box, 'PUT', `/webinars/${id}/registrants/status`, { action: 'cancel', registrants: [{ id: first!.id }] })).status).toBe(204);
    await control(box, 'POST', 'host-action', { webinar_id: id, registrant_id: second!.id, action: 'deny' });
    const denied = await listAll(box, id, 'denied');
    expect(denied.map((r) => r.id).sort()).toEqual([first!.id, second!.id].sort());
    expect(await listAll(box, id, 'approved')).toHaveLength(0);
    for (const email of [first!.email, second!.email.toUpperCase()]) {
      const again = await rawApi(box, 'POST', `/webinars/${id}/registrants`, { email, first_name: 'Again' });
      expect(again.status).toBe(400);
      expect(again.body.message).toMatch(/cannot be used to register for this webinar/);
    }
  });

  it('a registrant who cancels themselves vanishes from every list, is still answered with status "all" until deleted, and may register again', async () => {
    const box = await sandbox();
    const id = await webinarWith(box, { approved: 3 });
    const [gone] = await listAll(box, id);
    await control(box, 'POST', 'self-cancel', { webinar_id: id, registrant_id: gone!.id });
    for (const status of ['approved', 'pending', 'denied']) expect((await listAll(box, id, status)).map((r) => r.id)).not.toContain(gone!.id);
    // Zoom keeps the record (zoom-api.md §3.2, §7): GET answers it, with a status the spec doesn't list.
    const held = await rawApi(box, 'GET', `/webinars/${id}/registrants/${gone!.id}`);
    expect(held).toMatchObject({ status: 200, body: { id: gone!.id, email: gone!.email, status: 'all' } });
    const again = await rawApi(box, 'POST', `/webinars/${id}/registrants`, { email: gone!.email, first_name: 'Back' });
    expect(again.status).toBe(201);
    expect(again.body.registrant_id).not.toBe(gone!.id);
    // DELETE removes the kept record: 204, then "does not exist".
    expect((await rawApi(box, 'DELETE', `/webinars/${id}/registrants/${gone!.id}`)).status).toBe(204);
    expect((await rawApi(box, 'GET', `/webinars/${id}/registrants/${gone!.id}`)).body).toEqual({ code: 3079, message: `This registrant does not exist: ${gone!.id}.` });
    // The client takes the unknown status as it comes.
    const [other] = await listAll(box, id);
    await control(box, 'POST', 'self-cancel', { webinar_id: id, registrant_id: other!.id });
    expect(await clientFor(box).getRegistrant('webinar', id, other!.id)).toMatchObject({ httpStatus: 200, registrant: { id: other!.id, status: 'all' } });
  });

  it('can be told to refuse deleting a self-cancelled record (unverified on Zoom): "not found" while GET still answers it', async () => {
    const box = await sandbox();
    await control(box, 'POST', 'behaviour', { self_cancelled_deletable: false });
    const id = await webinarWith(box, { approved: 1 });
    const [gone] = await listAll(box, id);
    await control(box, 'POST', 'self-cancel', { webinar_id: id, registrant_id: gone!.id });
    expect((await rawApi(box, 'DELETE', `/webinars/${id}/registrants/${gone!.id}`)).body).toEqual({ code: 3000, message: `Registrant ${gone!.id} was not found.` });
    expect((await rawApi(box, 'GET', `/webinars/${id}/registrants/${gone!.id}`)).body).toMatchObject({ status: 'all' });
  });

  it('a lost reply: the DELETE or status PUT takes effect, then the caller gets a 500 or a dropped connection', async () => {
    const box = await sandbox();
    const id = await webinarWith(box, { approved: 3 });
    const [first, second, third] = await listAll(box, id);
    await control(box, 'POST', 'faults', { lose_replies: { method: 'DELETE', as: 500 } });
    expect((await rawApi(box, 'DELETE', `/webinars/${id}/registrants/${first!.id}`)).status).toBe(500);
    expect((await rawApi(box, 'GET', `/webinars/${id}/registrants/${first!.id}`)).body.code).toBe(3079); // it happened
    await control(box, 'POST', 'faults', { lose_replies: { method: 'PUT', as: 'drop' } });
    await expect(rawApi(box, 'PUT', `/webinars/${id}/registrants/status`, { action: 'cancel', registrants: [{ id: second!.id }] })).rejects.toThrow();
    expect((await rawApi(box, 'GET', `/webinars/${id}/registrants/${second!.id}`)).body.status).toBe('denied');
    expect(
      box
        .requests()
        .filter((r) => r.applied)
        .map((r) => [r.method, r.status]),
    ).toEqual([
      ['DELETE', 500],
      ['PUT', 0],
    ]);
    // Spent: the next write answers normally.
    expect((await rawApi(box, 'DELETE', `/webinars/${id}/registrants/${third!.id}`)).status).toBe(204);
  });

  it('DELETE removes the record; a second DELETE says not found; re-registration follows the sandbox setting', async () => {
    for (const canReregister of [true, false]) {
      const box = await sandbox();
      await control(box, 'POST', 'behaviour', { deleted_email_can_reregister: canReregister });
      const id = await webinarWith(box, { approved: 1 });
      const [target] = await listAll(box, id);
      expect((await rawApi(box, 'DELETE', `/webinars/${id}/registrants/${target!.id}`)).status).toBe(204);
      expect((await rawApi(box, 'GET', `/webinars/${id}/registrants/${target!.id}`)).body).toEqual({ code: 3079, message: `This registrant does not exist: ${target!.id}.` });
      expect((await rawApi(box, 'DELETE', `/webinars/${id}/registrants/${target!.id}`)).body).toEqual({ code: 3000, message: `Registrant ${target!.id} was not found.` });
      const again = await rawApi(box, 'POST', `/webinars/${id}/registrants`, { email: target!.email, first_name: 'Again' });
      expect(again.status).toBe(canReregister ? 201 : 400);
    }
  });

  it("answers Zoom's error codes: 3001 unknown webinar, 3079 unknown registrant, 300 bad JSON or field", async () => {
    const box = await sandbox();
    expect(await rawApi(box, 'GET', '/webinars/123/registrants')).toMatchObject({ status: 404, body: { code: 3001, message: 'Webinar does not exist: 123.' } });
    const id = await webinarWith(box, { approved: 1 });
    expect(await rawApi(box, 'GET', `/webinars/${id}/registrants/nobody`)).toMatchObject({ status: 400, body: { code: 3079 } });
    expect(await rawApi(box, 'POST', `/webinars/${id}/registrants`, '{not json')).toMatchObject({ status: 400, body: { code: 300, message: 'Request Body should be a valid JSON object.' } });
    expect(await rawApi(box, 'POST', `/webinars/${id}/registrants`, { email: 'x' })).toMatchObject({ status: 400, body: { code: 300, message: 'Validation Failed.' } });
    expect(await rawApi(box, 'PUT', `/webinars/${id}/registrants/status`, { action: 'cancel', registrants: Array.from({ length: 31 }, (_, i) => ({ id: String(i) })) })).toMatchObject({
      status: 400,
      body: { code: 300 },
    });
  });

  it('handles occurrences of recurring webinars', async () => {
    const box = seedAccount('demo');
    const recurring = box.webinars.get(81_234_567_891)!;
    expect(recurring.event.type).toBe(9);
    expect(recurring.event.occurrences).toHaveLength(3);
    const live = await sandbox({ seed: 'demo' });
    const occurrence = recurring.event.occurrences![1]!.occurrence_id;
    const listed = await rawApi(live, 'GET', `/webinars/81234567891/registrants?occurrence_id=${occurrence}`);
    expect(listed.body.total_records).toBe(15);
    expect((await rawApi(live, 'GET', '/webinars/81234567891/registrants?occurrence_id=999')).body.code).toBe(300);
  });
});

describe('sandbox: limits', () => {
  it("answers 429 with QPS headers past the plan's per-second limit", async () => {
    const box = await sandbox({ plan: 'free' });
    const id = await webinarWith(box, { approved: 1 });
    const token = await getToken(box);
    const answers = await Promise.all(Array.from({ length: 4 }, () => rawApi(box, 'GET', `/webinars/${id}/registrants`, undefined, token)));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBe(2); // Free Medium: 2/s
    expect(limited[0]!.headers.get('x-ratelimit-category')).toBe('Medium');
    expect(limited[0]!.headers.get('x-ratelimit-type')).toBe('QPS');
    expect(Date.parse(limited[0]!.headers.get('retry-after')!)).toBeGreaterThan(Date.now() - 1000);
  });

  it('answers 429 Daily-limit with a Retry-After at the next 00:00 UTC', async () => {
    const box = await sandbox();
    await control(box, 'POST', 'faults', { exhaust_daily: 'heavy_shared' });
    const answer = await rawApi(box, 'GET', '/report/webinars/1/qa');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('x-ratelimit-type')).toBe('Daily-limit');
    expect(answer.headers.get('retry-after')).toMatch(/^\d{4}-\d\d-\d\dT00:00:00Z$/);
  });

  it('enforces the per-registrant limits: 10 status changes and 3 adds a day', async () => {
    const box = await sandbox({ plan: 'business' });
    const id = await webinarWith(box, { pending: 1 });
    const [person] = await listAll(box, id, 'pending');
    const token = await getToken(box);
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await rawApi(box, 'PUT', `/webinars/${id}/registrants/status`, { action: i % 2 ? 'deny' : 'approve', registrants: [{ id: person!.id }] }, token)).status);
    }
    expect(statuses).toEqual([...Array(10).fill(204), 429]);
    const adds = [];
    for (let i = 0; i < 4; i++) adds.push((await rawApi(box, 'POST', `/webinars/${id}/registrants`, { email: 'four.times@example.com', first_name: 'Four' }, token)).status);
    expect(adds).toEqual([201, 201, 201, 429]);
  });
});

describe('sandbox: attendee records and seeds', () => {
  it('returns registrant_id in the participants report only with include_fields=registrant_id', async () => {
    const box = await sandbox({ seed: 'demo' });
    const plain = await rawApi(box, 'GET', '/report/webinars/81234567892/participants');
    const withIds = await rawApi(box, 'GET', '/report/webinars/81234567892/participants?include_fields=registrant_id');
    expect(plain.body.participants[0]).not.toHaveProperty('registrant_id');
    expect(withIds.body.participants[0].registrant_id).toEqual(expect.any(String));
    expect((await rawApi(box, 'GET', '/report/webinars/81234567890/qa')).body).toEqual({ code: 3001, message: 'Webinar ID is invalid or not end.' });
    const absentees = await rawApi(box, 'GET', '/past_webinars/81234567892/absentees');
    expect(absentees.body.total_records).toBe(6); // 20 approved, 14 attended
    // The absentee list is kept between pages; a change to who is approved shows at once.
    const absentee = absentees.body.registrants[0];
    expect((await rawApi(box, 'PUT', '/webinars/81234567892/registrants/status', { action: 'cancel', registrants: [{ id: absentee.id }] })).status).toBe(204);
    const after = await rawApi(box, 'GET', '/past_webinars/81234567892/absentees');
    expect(after.body.total_records).toBe(5);
    expect(after.body.registrants.map((r: { id: string }) => r.id)).not.toContain(absentee.id);
  });

  it('pages the participants report with registrant_id on every page when asked for', async () => {
    const box = await sandbox({ seed: 'demo' });
    const first = await rawApi(box, 'GET', '/report/webinars/81234567892/participants?include_fields=registrant_id&page_size=5');
    const second = await rawApi(box, 'GET', `/report/webinars/81234567892/participants?include_fields=registrant_id&page_size=5&next_page_token=${first.body.next_page_token}`);
    expect(first.body.participants).toHaveLength(5);
    expect(second.body.participants.length).toBeGreaterThan(0);
    for (const row of [...first.body.participants, ...second.body.participants]) expect(row.registrant_id).toEqual(expect.any(String));
    const ids = [...first.body.participants, ...second.body.participants].map((p: { id: string; join_time: string }) => `${p.id}/${p.join_time}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('generates the large seed deterministically: ~100k registrants over 50 webinars, or over webinars and meetings', () => {
    const a = seedAccount('large', { rngSeed: 7, now: new Date('2026-01-01T00:00:00Z') });
    const b = seedAccount('large', { rngSeed: 7, now: new Date('2026-01-01T00:00:00Z') });
    let total = 0;
    for (const entry of a.webinars.values()) total += entry.registrants.size;
    expect(a.webinars.size).toBe(50);
    expect(total).toBe(100_000);
    const firstIds = (acc: typeof a) => [...acc.webinars.values()].map((e) => [...e.registrants.keys()][0]);
    expect(firstIds(a)).toEqual(firstIds(b));
    expect(firstIds(seedAccount('large', { rngSeed: 8, now: new Date('2026-01-01T00:00:00Z') }))).not.toEqual(firstIds(a));

    // With meetings: the same registrants shared out over webinars and meetings that take registration.
    const mixed = seedAccount('large', { rngSeed: 7, now: new Date('2026-01-01T00:00:00Z'), webinars: 40, meetings: 10, registrants: 50_000 });
    const count = (events: typeof mixed.webinars) => [...events.values()].reduce((sum, e) => sum + e.registrants.size, 0);
    expect([mixed.webinars.size, mixed.meetings.size]).toEqual([40, 10]);
    expect(count(mixed.webinars) + count(mixed.meetings)).toBe(50_000);
    expect(count(mixed.meetings)).toBe(10_000);
    expect([...mixed.meetings.values()].every((m) => m.kind === 'meeting' && [2, 8].includes(m.event.type))).toBe(true);
  });
});
