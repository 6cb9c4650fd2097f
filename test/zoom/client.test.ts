import { describe, expect, it } from 'vitest';
import { checkBaseUrl } from '../../electron/core/zoom/base-url';
import { ZoomApiError, ZoomDailyLimitReached } from '../../electron/core/zoom/errors';
import { nextUtcMidnight } from '../../electron/core/zoom/limits';
import type { RegistrantStatus } from '../../electron/core/zoom/types';
import { clientFor, collect, control, sandbox } from './sandbox-helpers';

// Contract tests: the real client against the real sandbox over loopback HTTP.

const STATUSES: RegistrantStatus[] = ['approved', 'pending', 'denied'];

async function bigWebinar(box: Awaited<ReturnType<typeof sandbox>>) {
  const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { registrants: { approved: 1210, pending: 1003, denied: 1050 }, approval: 1 });
  const truth = await control<{ registrants: { id: string; status: RegistrantStatus }[] }>(box, 'GET', `registrants?webinar_id=${id}`);
  return { id, truth: truth.registrants };
}

function expectExactlyOnce(listed: { id: string }[], expected: { id: string }[]) {
  const ids = listed.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length); // no duplicates
  expect([...ids].sort()).toEqual(expected.map((r) => r.id).sort()); // none lost
}

describe('Zoom client against the sandbox', () => {
  it('pages through 1,000+ registrants in every status, each exactly once', async () => {
    const box = await sandbox();
    const { id, truth } = await bigWebinar(box);
    const client = clientFor(box);
    for (const status of STATUSES) {
      const listed = await collect(client.listRegistrants('webinar', id, status));
      expect(listed.length).toBeGreaterThanOrEqual(1000);
      expectExactlyOnce(
        listed,
        truth.filter((r) => r.status === status),
      );
    }
    const pageCalls = box.requests().filter((r) => r.path.endsWith('/registrants'));
    expect(pageCalls.every((r) => r.query.page_size === '300')).toBe(true);
    expect(pageCalls.filter((r) => r.query.status === 'approved')).toHaveLength(5);
  });

  it('survives a 429 storm and injected 5xx errors with no lost or duplicated results', async () => {
    const box = await sandbox();
    const { id, truth } = await bigWebinar(box);
    const client = clientFor(box);
    await control(box, 'POST', 'faults', { rate_limit_storm: { count: 6, retry_after_ms: 150 }, fail_calls: { nth: 7, status: 503, count: 2 } }); // calls 1-6 meet the storm, 7-8 fail
    const pending = client.listRegistrants('webinar', id, 'pending');
    const listed = [];
    let pages = 0;
    for await (const page of pending) {
      listed.push(...page.items);
      if (++pages === 2) await control(box, 'POST', 'faults', { fail_calls: { nth: 1, status: 500 }, drop_calls: { nth: 2 } });
    }
    expectExactlyOnce(
      listed,
      truth.filter((r) => r.status === 'pending'),
    );
    const statuses = box.requests().map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    expect(statuses.filter((s) => s >= 500)).toHaveLength(3);
    expect(statuses.filter((s) => s === 0)).toHaveLength(1); // the dropped connection
  });

  it('recovers from a token that expires mid-listing with exactly one refresh', async () => {
    const box = await sandbox({ tokenTtlSeconds: 600 });
    const { id, truth } = await bigWebinar(box);
    const client = clientFor(box);
    const listed = [];
    let pages = 0;
    for await (const page of client.listRegistrants('webinar', id, 'approved')) {
      listed.push(...page.items);
      // Zoom's clock moves past the token's lifetime (but not the 15-minute page token's).
      if (++pages === 2) await control(box, 'POST', 'clock', { advance_ms: 601_000 });
    }
    expectExactlyOnce(
      listed,
      truth.filter((r) => r.status === 'approved'),
    );
    const log = box.requests();
    expect(log.filter((r) => r.path === '/oauth/token')).toHaveLength(2);
    expect(log.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('gives up with ZOOM_AUTH_FAILED when a fresh token is refused too (no refresh loop)', async () => {
    const box = await sandbox({ tokenTtlSeconds: 0 });
    const client = clientFor(box);
    await expect(client.getMe()).rejects.toMatchObject({ code: 'ZOOM_AUTH_FAILED', httpStatus: 401, zoomCode: 124 });
    expect(box.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(2);
  });

  it('surfaces a daily-limit 429 as ZOOM_DAILY_LIMIT with the time it can resume', async () => {
    const box = await sandbox({ seed: 'demo' });
    await control(box, 'POST', 'faults', { exhaust_daily: 'heavy_shared' });
    const error = await clientFor(box)
      .reportQa('webinar', 81_234_567_892)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZoomDailyLimitReached);
    const daily = error as ZoomDailyLimitReached;
    expect(daily.code).toBe('ZOOM_DAILY_LIMIT');
    expect(daily.resumeAt.toISOString()).toBe(nextUtcMidnight(new Date()).toISOString());
    expect(daily.message).toContain(`resets at ${daily.resumeAt.toISOString()}`);
    expect(box.requests().filter((r) => r.status === 429)).toHaveLength(1); // not retried
  });

  it('never repeats a status change blindly: a 5xx is reported, not retried, and per-registrant limits stop it', async () => {
    const box = await sandbox();
    const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { registrants: { pending: 1 } });
    const [person] = (await control<{ registrants: { id: string; email: string }[] }>(box, 'GET', `registrants?webinar_id=${id}`)).registrants;
    const client = clientFor(box);
    await control(box, 'POST', 'faults', { fail_calls: { nth: 2, status: 502 } }); // call 1 is the token-free GET below
    await client.getEvent('webinar', id);
    await expect(client.updateRegistrantStatus('webinar', id, 'approve', [{ id: person!.id }])).rejects.toMatchObject({ code: 'ZOOM_UNAVAILABLE', httpStatus: 502 });
    expect(box.requests().filter((r) => r.method === 'PUT')).toHaveLength(1);

    // The refused call never reached the registrant, so ten changes remain for today.
    for (let i = 0; i < 10; i++) await client.updateRegistrantStatus('webinar', id, i % 2 ? 'approve' : 'deny', [{ id: person!.id }]);
    const limit = await client.updateRegistrantStatus('webinar', id, 'deny', [{ id: person!.id }]).catch((e: unknown) => e);
    expect(limit).toMatchObject({ code: 'ZOOM_REGISTRANT_LIMIT', httpStatus: 429 });
    expect((limit as Error).message).not.toContain(person!.email); // Zoom names the person; we don't repeat it
    expect(box.requests().filter((r) => r.method === 'PUT')).toHaveLength(12);
  });

  it('sends status changes in batches of at most 30', async () => {
    const box = await sandbox();
    const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { registrants: { pending: 65 } });
    const people = (await control<{ registrants: { id: string }[] }>(box, 'GET', `registrants?webinar_id=${id}`)).registrants;
    await clientFor(box).updateRegistrantStatus(
      'webinar',
      id,
      'approve',
      people.map((p) => ({ id: p.id })),
    );
    expect(box.requests().filter((r) => r.method === 'PUT')).toHaveLength(3);
    expect((await collect(clientFor(box).listRegistrants('webinar', id, 'approved'))).length).toBe(65);
  });

  it("names Zoom's errors with HTTP status, Zoom code and message", async () => {
    const box = await sandbox({ seed: 'demo' });
    const client = clientFor(box);
    await expect(client.getEvent('webinar', 1)).rejects.toMatchObject({ code: 'ZOOM_WEBINAR_NOT_FOUND', httpStatus: 404, zoomCode: 3001 });
    await expect(client.getRegistrant('webinar', 81_234_567_890, 'nobody')).rejects.toMatchObject({ code: 'ZOOM_REGISTRANT_NOT_FOUND', httpStatus: 400, zoomCode: 3079 });
    await expect(client.deleteRegistrant('webinar', 81_234_567_890, 'nobody')).rejects.toMatchObject({ code: 'ZOOM_REGISTRANT_NOT_FOUND', zoomCode: 3000 });
    await expect(client.listRegistrants('webinar', 81_234_567_891, 'approved', '42').next()).rejects.toMatchObject({ code: 'ZOOM_VALIDATION', zoomCode: 300 });
    const wrongSecret = clientFor(box, { credentials: { ...box.credentials, client_secret: 'wrong', api_url: box.apiUrl, oauth_url: box.oauthUrl } });
    const refused = await wrongSecret.getMe().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ZoomApiError);
    expect(refused).toMatchObject({ code: 'ZOOM_AUTH_FAILED', httpStatus: 401 });
    expect((refused as Error).message).toMatch(/invalid_client/);
  });

  it('times out a slow answer, retries it, and gives up with ZOOM_UNAVAILABLE', async () => {
    const box = await sandbox({ seed: 'demo' });
    const client = clientFor(box, { timeoutMs: 150, maxRetries: 1 });
    await client.getMe();
    await control(box, 'POST', 'faults', { slow_ms: 600 });
    await expect(client.getEvent('webinar', 81_234_567_890)).rejects.toMatchObject({ code: 'ZOOM_UNAVAILABLE', message: expect.stringMatching(/no answer within 150 ms.*Gave up after 2 attempts/) });
  });

  it('lists every webinar of the account once, across users', async () => {
    const box = await sandbox({ seed: 'demo' });
    const ids = [];
    for await (const webinar of clientFor(box).listAccountEvents('webinar')) ids.push(webinar.id);
    expect(ids.sort()).toEqual([81_234_567_890, 81_234_567_891, 81_234_567_892]);
  });

  it('reads attendee records that hold personal data', async () => {
    const box = await sandbox({ seed: 'demo' });
    const client = clientFor(box);
    const [instance] = await client.listPastInstances('webinar', 81_234_567_892);
    expect(instance!.uuid).toMatch(/==$/);
    expect(await collect(client.listReportParticipants('webinar', instance!.uuid))).toHaveLength(14);
    expect(await collect(client.listPastParticipants('webinar', 81_234_567_892))).toHaveLength(14);
    expect(await collect(client.listAbsentees(81_234_567_892))).toHaveLength(6);
    expect((await client.reportQa('webinar', 81_234_567_892)).length).toBeGreaterThan(0);
    expect((await client.reportPolls('webinar', 81_234_567_892)).length).toBeGreaterThan(0);
    expect((await client.reportSurvey('webinar', 81_234_567_892)).length).toBeGreaterThan(0);
    expect(await client.listPanelists(81_234_567_892)).toHaveLength(2);
  });

  it('accepts https base URLs anywhere and plain http only for loopback', () => {
    expect(checkBaseUrl('--api-url', 'https://api.zoom.us/v2/')).toBe('https://api.zoom.us/v2');
    expect(checkBaseUrl('--api-url', 'http://127.0.0.1:8080/v2')).toBe('http://127.0.0.1:8080/v2');
    expect(checkBaseUrl('--oauth-url', 'http://localhost:9')).toBe('http://localhost:9');
    expect(() => checkBaseUrl('--api-url', 'http://api.zoom.us/v2')).toThrow(/must use https/);
    expect(() => checkBaseUrl('--api-url', 'http://10.0.0.5/v2')).toThrow(/127\.0\.0\.1, localhost/);
    expect(() => checkBaseUrl('--api-url', 'zoom')).toThrow(/not a URL/);
  });
});
