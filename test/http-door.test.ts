import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpDoor, type HttpDoor } from '../electron/cli/http-door';
import { builtRendererDir } from '../electron/core/paths';
import { openCore, type Core } from '../electron/core/service';
import { tempDataDir } from './helpers';

// Raw HTTP requests, since fetch() won't let a caller set Host: that is exactly what a
// DNS-rebinding page does through the browser.
function request(door: HttpDoor, options: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: door.port, path: options.path, method: options.method ?? 'GET', headers: options.headers, setHost: !options.headers?.Host }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let core: Core;
let door: HttpDoor;
const CHANGE = JSON.stringify({ zoom_plan: 'free' });

beforeAll(async () => {
  core = await openCore({ dataDir: tempDataDir() });
  door = await startHttpDoor({ dispatch: core.dispatch, staticDir: builtRendererDir() });
});
afterAll(async () => {
  await door.close();
  await core.close();
});

async function planIsUnchanged() {
  expect((await core.service.getSettings({})).zoom_plan).toBe('pro');
}

describe('browser mode over loopback HTTP', () => {
  it('listens on 127.0.0.1 only, with a long random token in the URL fragment', () => {
    expect(door.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a call without the token (401) and runs nothing', async () => {
    const res = await request(door, { path: '/api/updateSettings', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: CHANGE });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await planIsUnchanged();
  });

  it('refuses a call with a wrong token (401) and runs nothing', async () => {
    const wrong = door.token.slice(0, -1) + (door.token.endsWith('A') ? 'B' : 'A');
    const res = await request(door, {
      path: '/api/updateSettings',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${wrong}` },
      body: CHANGE,
    });
    expect(res.status).toBe(401);
    await planIsUnchanged();
  });

  it('refuses Host: evil.example (403) even with the right token, and runs nothing', async () => {
    const res = await request(door, {
      path: '/api/updateSettings',
      method: 'POST',
      headers: { Host: 'evil.example', 'Content-Type': 'application/json', Authorization: `Bearer ${door.token}` },
      body: CHANGE,
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const page = await request(door, { path: '/', headers: { Host: `evil.example:${door.port}` } });
    expect(page.status).toBe(403);
    await planIsUnchanged();
  });

  it('refuses a foreign Origin (403) even with the right token, and runs nothing', async () => {
    const res = await request(door, {
      path: '/api/updateSettings',
      method: 'POST',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json', Authorization: `Bearer ${door.token}` },
      body: CHANGE,
    });
    expect(res.status).toBe(403);
    await planIsUnchanged();
  });

  it('refuses non-JSON bodies and unknown operations with named errors', async () => {
    const auth = { Authorization: `Bearer ${door.token}` };
    const form = await request(door, { path: '/api/updateSettings', method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: CHANGE });
    expect(form.status).toBe(415);
    const broken = await request(door, { path: '/api/updateSettings', method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{' });
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = await request(door, { path: '/api/dropTables', method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    await planIsUnchanged();
  });

  it('serves the built UI with a strict CSP and never a file outside it', async () => {
    const page = await request(door, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    const climb = await request(door, { path: '/..%2F..%2Fpackage.json' });
    expect(climb.status).toBe(404);
  });

  it('answers malformed percent-encoding with 400, on a page and on an operation, and runs nothing', async () => {
    for (const bad of ['/%E0%A4%A', '/assets/%ZZ.js', '/%']) {
      const page = await request(door, { path: bad });
      expect(page.status).toBe(400);
      expect(JSON.parse(page.body)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('percent-encoding') } });
    }
    const call = await request(door, {
      path: '/api/updateSettings%E0%A4%A',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${door.token}` },
      body: CHANGE,
    });
    expect(call.status).toBe(400);
    await planIsUnchanged();
  });

  it('runs a call with the right token, Host and Origin', async () => {
    const res = await request(door, {
      path: '/api/getStoreStatus',
      method: 'POST',
      headers: { Origin: `http://127.0.0.1:${door.port}`, 'Content-Type': 'application/json', Authorization: `Bearer ${door.token}` },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { encrypted: true } });
  });
});
