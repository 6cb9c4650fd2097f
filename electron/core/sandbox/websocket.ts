import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createLogger } from '../log';
import { SANDBOX_SUBSCRIPTION_ID, type SandboxRuntime } from './runtime';
import type { SandboxAccount, SandboxChange } from './state';

// The sandbox's WebSocket event subscription, as zoom-api.md §5.1a describes Zoom's: GET /ws with
// subscriptionId and access_token in the query, a `build_connection` message on success, a reply to
// every `{"module":"heartbeat"}`, and each event in a `message` envelope whose content is the event
// as a JSON string. Events raised while no socket is open are lost (Zoom replays nothing); a socket
// whose token expires or is revoked is closed. Framing is the `ws` library's.

const log = createLogger('sandbox');

/** How often open sockets are checked against their token's expiry. */
const TOKEN_CHECK_MS = 250;

export function attachEventSocket(server: http.Server, rt: SandboxRuntime): { close(): void } {
  const wss = new WebSocketServer({ noServer: true });
  const tokenOf = new Map<WebSocket, string>();

  const refuse = (socket: Duplex, status: number, message: string) => {
    const body = JSON.stringify({ code: status, message });
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Not Found'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname !== '/ws') return refuse(socket, 404, 'Not found.');
    if (url.searchParams.get('subscriptionId') !== SANDBOX_SUBSCRIPTION_ID) return refuse(socket, 404, 'Event subscription not found.');
    const token = url.searchParams.get('access_token');
    if (!token) return refuse(socket, 401, 'token is empty');
    const expiresAt = rt.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= rt.now()) return refuse(socket, 401, 'Invalid access token.');
    wss.handleUpgrade(req, socket, head, (ws) => {
      rt.eventSockets.add(ws);
      tokenOf.set(ws, token);
      ws.on('close', () => {
        rt.eventSockets.delete(ws);
        tokenOf.delete(ws);
      });
      ws.on('error', () => ws.terminate());
      ws.on('message', (data) => {
        let module: unknown;
        try {
          module = (JSON.parse(String(data)) as { module?: unknown }).module;
        } catch {
          module = undefined;
        }
        if (module === 'heartbeat') ws.send(JSON.stringify({ module: 'heartbeat', success: true, content: 'live' }));
      });
      ws.send(JSON.stringify({ module: 'build_connection', success: true, content: 'connected' }));
    });
  });

  const expiry = setInterval(() => {
    for (const [ws, token] of tokenOf) {
      const expiresAt = rt.tokens.get(token);
      if (expiresAt === undefined || expiresAt <= rt.now()) ws.close(4001, 'access token expired or revoked');
    }
  }, TOKEN_CHECK_MS);
  expiry.unref();

  const onChange = (change: SandboxChange) => {
    if (rt.eventSockets.size === 0) return; // no replay: nobody hears it, it is lost
    const envelope = JSON.stringify({ module: 'message', success: true, content: JSON.stringify(zoomEvent(change, rt.account, rt.now())) });
    const send = () => {
      for (const ws of rt.eventSockets) {
        if (ws.readyState !== ws.OPEN) continue;
        ws.send(envelope);
        rt.eventsSent++;
      }
    };
    if (rt.faults.eventDelayMs > 0) setTimeout(send, rt.faults.eventDelayMs).unref();
    else send();
  };
  rt.changeListeners.add(onChange);

  return {
    close() {
      clearInterval(expiry);
      rt.changeListeners.delete(onChange);
      for (const ws of rt.eventSockets) ws.terminate();
      wss.close();
      log.info('event socket closed');
    },
  };
}

/** The event Zoom sends for a change, shaped as zoom-api.md §5.1 gives each payload. */
export function zoomEvent(change: SandboxChange, account: SandboxAccount, nowMs: number): { event: string; event_ts: number; payload: Record<string, unknown> } {
  // Meetings send the same four registration events and `meeting.deleted` (zoom-api.md §4.1a).
  const { event: webinar, kind } = change.entry;
  const host = account.users.find((u) => u.id === webinar.host_id) ?? account.users[0];
  const object: Record<string, unknown> = {
    uuid: webinar.uuid,
    id: webinar.id,
    host_id: webinar.host_id,
    topic: webinar.topic,
    type: webinar.type,
    start_time: webinar.start_time,
    duration: webinar.duration,
    timezone: webinar.timezone,
    ...(webinar.occurrences?.length ? { occurrences: webinar.occurrences.map((o) => ({ occurrence_id: o.occurrence_id, start_time: o.start_time })) } : {}),
  };
  if (change.kind === 'event_deleted') {
    return { event: `${kind}.deleted`, event_ts: nowMs, payload: { account_id: account.accountId, operator: host?.email, operator_id: host?.id, operation: 'single', object } };
  }
  const r = change.registrant;
  const named = { id: r.id, first_name: r.first_name, ...(r.last_name ? { last_name: r.last_name } : {}), email: r.email };
  const byHost = { operator: host?.email, operator_id: host?.id };
  switch (change.kind) {
    case 'registration_created': {
      const { seq: _seq, occurrence_ids: _occurrences, create_time: _created, language: _language, ...fields } = r;
      return {
        event: `${kind}.registration_created`,
        event_ts: nowMs,
        payload: { account_id: account.accountId, object: { ...object, registrant: { ...fields, custom_questions: r.custom_questions ?? [] } } },
      };
    }
    case 'registration_approved':
      return { event: `${kind}.registration_approved`, event_ts: nowMs, payload: { account_id: account.accountId, ...byHost, object: { ...object, registrant: { ...named, join_url: r.join_url } } } };
    case 'registration_denied':
      return { event: `${kind}.registration_denied`, event_ts: nowMs, payload: { account_id: account.accountId, ...byHost, object: { ...object, registrant: named } } };
    case 'registration_cancelled':
      // Identical for both kinds of cancel, as Zoom's (ZOOM-211588); who the operator is on a
      // self-cancel is unverified: the sandbox names the registrant and leaves operator_id out.
      return {
        event: `${kind}.registration_cancelled`,
        event_ts: nowMs,
        payload: { account_id: account.accountId, ...(change.by === 'host' ? byHost : { operator: r.email }), object: { ...object, registrant: named } },
      };
  }
}
