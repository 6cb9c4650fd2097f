import WebSocket from 'ws';
import { AppError } from '../../../shared/errors';
import { createLogger } from '../log';
import type { Token } from '../zoom/oauth';
import { ZoomApiError } from '../zoom/errors';

// The client end of a Zoom WebSocket event subscription (zoom-api.md §5.1a): the token goes in the
// URL's query, a heartbeat goes out every 30 s, the connection is renewed on a second one with a
// fresh token before the old token expires, and a lost connection is opened again after a growing,
// jittered delay. Zoom replays nothing, so every (re)connection is announced to the caller, who
// reconciles; a renewal in place is not one.

const log = createLogger('live');

export type SocketState = 'connecting' | 'live' | 'reconnecting' | 'stopped' | 'failed';

export interface EventSocketOptions {
  url: string;
  subscriptionId: string;
  /** A token to connect with; `stale` names one not to be given again (turned away, or about to expire). */
  token(stale?: string): Promise<Token>;
  /** Each event's JSON (the `content` of a `message` envelope), in order of arrival. */
  onEvent(content: string): void;
  /** The socket is open (again): what happened while it was closed must be read from the API. */
  onConnected(): void;
  onState(state: SocketState, error?: AppError): void;
  /** Any frame from Zoom, a heartbeat's answer included: the connection is alive. */
  onAlive?(): void;
  heartbeatMs?: number;
  /** Renew the connection (a second one with a fresh token) this long before the token expires. */
  renewBeforeMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** Events remembered to drop one that both connections of a renewal deliver. */
const RECENT_EVENTS = 32;

export class EventSocket {
  private socket: WebSocket | null = null;
  private stopped = false;
  private attempt = 0;
  private timers = new Set<NodeJS.Timeout>();
  private wake: (() => void) | null = null;

  constructor(private readonly options: EventSocketOptions) {}

  /** Holds the subscription until stop(); rejects only when Zoom refuses the credentials themselves. */
  async run(): Promise<void> {
    let refused: string | undefined;
    while (!this.stopped) {
      this.options.onState(this.attempt === 0 ? 'connecting' : 'reconnecting');
      let token: Token;
      try {
        token = await this.options.token(refused);
      } catch (error) {
        if (error instanceof ZoomApiError && error.code === 'ZOOM_AUTH_FAILED') {
          this.options.onState('failed', error);
          throw error;
        }
        log.warn('no token for the event socket; trying again', { code: error instanceof AppError ? error.code : 'INTERNAL' });
        await this.pause(this.backoff());
        continue;
      }
      refused = undefined;
      const outcome = await this.hold(token);
      if (outcome === 'refused') {
        // Turned away at the door: the token is expired or revoked. One fresh token at once, then backoff.
        refused = token.value;
        if (this.attempt++ > 0) await this.pause(this.backoff());
      } else if (outcome === 'renew') {
        this.attempt = 0;
      } else if (!this.stopped) {
        await this.pause(this.backoff());
        this.attempt++;
      }
    }
    this.options.onState('stopped');
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.wake?.();
    this.socket?.close(1000, 'stopped');
  }

  /**
   * One connection, from opening to its end: why it ended decides what comes next. Before its token
   * expires a second connection is opened with a fresh one and only then is the first closed, so a
   * renewal leaves no stretch unheard and needs no reconciliation; an event both deliver meanwhile
   * is applied once.
   */
  private hold(token: Token): Promise<'refused' | 'renew' | 'lost'> {
    const { heartbeatMs = 30_000, renewBeforeMs = 5 * 60_000 } = this.options;
    return new Promise((resolve) => {
      let active: WebSocket | null = null;
      let ending: 'refused' | 'renew' | 'lost' = 'lost';
      const recent: string[] = [];

      const connect = (token: Token, replacing: WebSocket | null) => {
        const ws = new WebSocket(this.target(token), { handshakeTimeout: 15_000 });
        if (!replacing) this.socket = ws;
        let opened = false;
        let answered = true;
        const timers: NodeJS.Timeout[] = [];
        const renew = async () => {
          try {
            const fresh = await this.options.token(token.value); // not this one again: it is about to expire
            if (active === ws && !this.stopped) connect(fresh, ws);
          } catch (error) {
            log.warn('no fresh token to renew the event socket with', { code: error instanceof AppError ? error.code : 'INTERNAL' });
            ending = 'renew';
            ws.close(1000, 'renewing the access token');
          }
        };
        ws.on('unexpected-response', (_req, res) => {
          if (!replacing) ending = res.statusCode === 401 || res.statusCode === 403 ? 'refused' : 'lost';
          log.warn('event socket refused', { status: res.statusCode });
          res.resume();
          ws.terminate();
        });
        ws.on('open', () => {
          opened = true;
          // Stopped meanwhile, or the connection it was to replace has ended (and been reconnected).
          if (this.stopped || (replacing && active !== replacing)) return ws.close(1000, 'not needed');
          active = ws;
          this.socket = ws;
          if (replacing) {
            log.info('event socket renewed with a fresh token');
            replacing.close(1000, 'renewed with a fresh access token');
          } else {
            this.attempt = 0;
            log.info('event socket open');
            this.options.onState('live');
            this.options.onConnected();
          }
          timers.push(
            setInterval(() => {
              // A heartbeat unanswered for a whole interval: the connection is dead without having said so.
              if (!answered) return ws.terminate();
              answered = false;
              ws.send(JSON.stringify({ module: 'heartbeat' }));
            }, heartbeatMs),
            setTimeout(() => void renew(), Math.max(1000, token.expiresAt - renewBeforeMs - Date.now())),
          );
        });
        ws.on('message', (data) => {
          answered = true;
          this.options.onAlive?.();
          let envelope: { module?: unknown; success?: unknown; content?: unknown };
          try {
            envelope = JSON.parse(String(data)) as typeof envelope;
          } catch {
            return log.warn('event socket sent something that is not JSON; ignored');
          }
          if (envelope.module === 'message' && typeof envelope.content === 'string') {
            if (recent.includes(envelope.content)) return; // the same event over both connections of a renewal
            recent.push(envelope.content);
            if (recent.length > RECENT_EVENTS) recent.shift();
            this.options.onEvent(envelope.content);
          } else if (envelope.success === false) log.warn('event socket reported a failure', { module: String(envelope.module) });
        });
        ws.on('error', (error) => log.warn('event socket error', { name: error.name }));
        ws.on('close', (code) => {
          for (const timer of timers) clearTimeout(timer);
          if (ws !== active && (replacing || active)) {
            // The connection a renewal replaced, or a renewal that never opened: then the one it was
            // to replace is renewed by reconnecting.
            if (!opened && replacing && replacing === active) {
              log.warn('the event socket could not be renewed in place; reconnecting', { code });
              ending = 'renew';
              replacing.close(1000, 'renewing the access token');
            }
            return;
          }
          if (!this.stopped && ending === 'lost') log.warn('event socket closed', { code });
          if (code === 4001) ending = 'refused';
          active = null; // a renewal still opening is not needed any more
          this.socket = null;
          resolve(ending);
        });
      };
      connect(token, null);
    });
  }

  private target(token: Token): URL {
    const target = new URL(this.options.url);
    target.searchParams.set('subscriptionId', this.options.subscriptionId);
    target.searchParams.set('access_token', token.value);
    return target;
  }

  /** Exponential backoff with full jitter, capped: many clients don't come back in step. */
  private backoff(): number {
    const { backoffBaseMs = 1000, backoffMaxMs = 60_000 } = this.options;
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(this.attempt, 16));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.wake = null;
        resolve();
      }, ms);
      this.timers.add(timer);
      this.wake = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve();
      };
    });
  }
}
