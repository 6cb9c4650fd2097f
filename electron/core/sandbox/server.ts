import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../log';
import { CATEGORY_HEADER, type RateCategory } from '../zoom/limits';
import { zoomApi } from './api';
import { controlEndpoints } from './control';
import { SandboxRuntime, zoomError, zoomRules, type LoggedRequest, type Reply, type SandboxOptions, type Params } from './runtime';
import type { SandboxAccount } from './state';
import { attachEventSocket } from './websocket';

// The Zoom sandbox: a real HTTP server on 127.0.0.1 that answers like Zoom's REST API v2 and
// OAuth endpoint for everything DSR Desk uses (zoom-api.md, api.ts), plus control endpoints under
// /_sandbox/ (control.ts) that tests and the demo use to seed data, act as a registrant or host
// outside the app, inject faults and read the request log. This module is the request pipeline:
// tokens, injected faults, rate limits, then the route.

export { SANDBOX_CLIENT_ID, type LoggedRequest, type SandboxOptions } from './runtime';

const log = createLogger('sandbox');

/** Where `dsr-desk sandbox` listens unless told otherwise, and where `connect --sandbox` looks. */
export const SANDBOX_DEFAULT_PORT = 9733;

export interface ZoomSandbox {
  port: number;
  apiUrl: string;
  oauthUrl: string;
  wsUrl: string;
  eventSubscriptionId: string;
  credentials: { account_id: string; client_id: string; client_secret: string };
  account(): SandboxAccount;
  requests(): LoggedRequest[];
  close(): Promise<void>;
}

/** A page of a paged list (zoomRules' pageOf): every one carries next_page_token, empty on the last. */
const isPage = (reply: Reply) => reply.status === 200 && typeof reply.body === 'object' && reply.body !== null && 'next_page_token' in reply.body;

export async function startZoomSandbox(options: SandboxOptions = {}): Promise<ZoomSandbox> {
  const rt = new SandboxRuntime(options);
  const { checkRateLimit } = zoomRules(rt);
  const api = zoomApi(rt);
  const control = controlEndpoints(rt, api);

  function send(res: http.ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { 'x-zm-trackingid': `v=2.0;clid=sbx;rid=${randomBytes(8).toString('hex')}`, ...reply.headers };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(reply.body));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const parseJson = (): unknown => (rawBody ? JSON.parse(rawBody) : undefined);

    if (url.pathname.startsWith('/_sandbox/')) {
      let body: Record<string, unknown> = Object.fromEntries(url.searchParams);
      try {
        body = { ...body, ...((parseJson() as object) ?? {}) };
      } catch {
        return send(res, { status: 400, body: { message: 'body is not JSON' } });
      }
      return send(res, control(req.method ?? 'GET', url.pathname, body));
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const reply = api.issueToken(req, url, rawBody);
      rt.requestLog.push({ seq: 0, at: new Date().toISOString(), method: 'POST', path: '/oauth/token', query: {}, status: reply.status, category: null });
      return send(res, reply);
    }
    if (!url.pathname.startsWith('/v2/')) return send(res, zoomError(404, 404, 'Not found.'));

    const path = url.pathname.slice(3);
    const call = ++rt.apiCalls;
    let category: RateCategory | null = null;
    const finish = (reply: Reply) => {
      rt.requestLog.push({ seq: call, at: new Date().toISOString(), method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), status: reply.status, category });
      send(res, reply);
    };

    if (rt.faults.dropAt.delete(call)) {
      rt.requestLog.push({ seq: call, at: new Date().toISOString(), method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), status: 0, category });
      req.socket.destroy();
      return;
    }
    if (rt.faults.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, rt.faults.slowMs));

    const match = api.routes.map((route) => ({ route, params: route.method === req.method ? route.pattern.exec(path) : null })).find((m) => m.params);
    if (!match) return finish(zoomError(404, 404, 'Not found.'));
    category = match.route.category;

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = bearer ? rt.tokens.get(bearer) : undefined;
    if (expiresAt === undefined || expiresAt <= rt.now()) return finish(zoomError(401, 124, 'Invalid access token.'));

    if (rt.faults.stormRemaining > 0) {
      rt.faults.stormRemaining--;
      return finish({
        status: 429,
        body: { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' },
        headers: { 'X-RateLimit-Category': CATEGORY_HEADER[category], 'X-RateLimit-Type': 'QPS', 'Retry-After': new Date(Date.now() + rt.faults.stormRetryAfterMs).toISOString() },
      });
    }
    const failStatus = rt.faults.failAt.get(call);
    if (failStatus !== undefined) {
      rt.faults.failAt.delete(call);
      return finish(zoomError(failStatus, failStatus, 'Internal server error (injected by the sandbox).'));
    }
    const limited = checkRateLimit(category);
    if (limited) return finish(limited);

    let body: unknown;
    try {
      body = parseJson();
    } catch {
      return finish(zoomError(400, 300, 'Request Body should be a valid JSON object.'));
    }
    const reply = match.route.handle({ params: match.params as unknown as Params, query: url.searchParams, body });
    if (rt.pageLatencyMs > 0 && isPage(reply)) await new Promise((resolve) => setTimeout(resolve, rt.pageLatencyMs));
    const lostAt = reply.status < 300 && /\/registrants\//.test(path) ? rt.faults.lostReplies.findIndex((f) => f.method === req.method) : -1;
    if (lostAt >= 0) {
      // The change is made; the caller never learns it: the case an erasure job must read back.
      const [lost] = rt.faults.lostReplies.splice(lostAt, 1);
      if (lost!.as === 'drop') {
        rt.requestLog.push({ seq: call, at: new Date().toISOString(), method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), status: 0, category, applied: true });
        req.socket.destroy();
        return;
      }
      rt.requestLog.push({ seq: call, at: new Date().toISOString(), method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), status: 500, category, applied: true });
      return send(res, zoomError(500, 500, 'Internal server error (injected by the sandbox after the change was made).'));
    }
    finish(reply);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('sandbox request failed', { error });
      if (!res.headersSent) send(res, zoomError(500, 500, 'Sandbox internal error.'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });

  const events = attachEventSocket(server, rt);
  rt.port = (server.address() as AddressInfo).port;
  const details = rt.info();

  return {
    port: rt.port,
    apiUrl: details.api_url,
    oauthUrl: details.oauth_url,
    wsUrl: details.ws_url,
    eventSubscriptionId: details.event_subscription_id,
    credentials: { account_id: details.account_id, client_id: details.client_id, client_secret: details.client_secret },
    account: () => rt.account,
    requests: () => rt.requestLog,
    close: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
