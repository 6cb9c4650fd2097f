import type { EventKind } from '../../../shared/events';
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { normaliseEmail } from '../../../shared/email';
import type { ZoomPlan } from '../../../shared/settings';
import { CATEGORY_HEADER, dailyBucket, nextUtcMidnight, PLAN_LIMITS, REGISTRANT_DAILY_ADDS, REGISTRANT_DAILY_STATUS_CHANGES, type RateCategory } from '../zoom/limits';
import { seedAccount, type SeedName } from './seed';
import type { SandboxAccount, SandboxChange } from './state';

// The sandbox's state (its account, tokens, counters, faults and request log) and Zoom's rules
// over it: rate limits and paging. The API (api.ts), the control endpoints (control.ts) and the
// HTTP server (server.ts) all work on one runtime.

export const SANDBOX_CLIENT_ID = 'sandbox-client-id';
/** The ID of the sandbox's one WebSocket event subscription (zoom-api.md §5.1a). */
export const SANDBOX_SUBSCRIPTION_ID = 'sandbox-event-subscription';
const PAGE_TOKEN_TTL_MS = 15 * 60_000;
const MAX_PAGE_SIZE = 300;
const DEFAULT_PAGE_SIZE = 30;

export interface SandboxOptions {
  port?: number;
  seed?: SeedName;
  plan?: ZoomPlan;
  rngSeed?: number;
  /** Zoom's account ID (default `sandbox-account`): a second sandbox as a second account, its events numbered apart. */
  accountId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** The large seed's shape: how many webinars and meetings share how many registrants (default 50, 0 and 100,000). */
  webinars?: number;
  meetings?: number;
  registrants?: number;
  /** How long each page of a paged list takes to answer (Zoom's own time on a large list); 0 by default. */
  pageLatencyMs?: number;
}

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  category: RateCategory | null;
  /** Set when the call took effect although its reply was lost (an injected fault). */
  applied?: boolean;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Params = Record<string, string>;
export interface RouteContext {
  params: Params;
  query: URLSearchParams;
  body: unknown;
}
export interface Route {
  method: string;
  pattern: RegExp;
  category: RateCategory;
  handle(ctx: RouteContext): Reply;
}

/** A call that takes effect on Zoom, whose reply is then lost: a 500 instead of the answer, or a dropped connection. */
export interface LostReply {
  method: 'DELETE' | 'PUT';
  as: 500 | 'drop';
}

export const zoomError = (status: number, code: number, message: string): Reply => ({ status, body: { code, message } });
export const eventMissing = (kind: EventKind, id: string) => zoomError(404, 3001, `${kind === 'webinar' ? 'Webinar' : 'Meeting'} does not exist: ${id}.`);
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
// Lookups return the thing found or the Zoom error reply to send; only replies carry a status.
export const isReply = (value: object): value is Reply => typeof (value as Partial<Reply>).status === 'number';

export class SandboxRuntime {
  seedName: SeedName;
  account!: SandboxAccount;
  /** Hear the account's changes that Zoom announces with an event (the event socket, websocket.ts). */
  readonly changeListeners = new Set<(change: SandboxChange) => void>();
  /** Open event-subscription sockets, and how many events went out over them. */
  readonly eventSockets = new Set<WebSocket>();
  eventsSent = 0;
  plan: ZoomPlan;
  readonly clientSecret: string;
  tokenTtlMs: number;
  /** The scopes its tokens grant (POST /_sandbox/scopes narrows them, to test a misconfigured app). */
  scopes = 'user:read:admin webinar:read:admin webinar:write:admin meeting:read:admin meeting:write:admin report:read:admin';
  clockOffsetMs = 0;
  /** Paged list answers wait this long (POST /_sandbox/latency): what the sync's own work hides behind. */
  pageLatencyMs: number;
  port = 0;
  readonly tokens = new Map<string, number>();
  readonly pageTokens = new Map<string, { key: string; afterSeq: number; expiresAt: number }>();
  readonly recent = new Map<RateCategory, number[]>();
  readonly dailyCounts = new Map<string, number>();
  readonly registrantCounts = new Map<string, number>();
  readonly requestLog: LoggedRequest[] = [];
  apiCalls = 0;
  readonly faults = {
    stormRemaining: 0,
    stormRetryAfterMs: 1000,
    failAt: new Map<number, number>(),
    dropAt: new Set<number>(),
    slowMs: 0,
    exhausted: new Set<string>(),
    lostReplies: [] as LostReply[],
    /** Registrants the next N list calls of their webinar leave out: a listing that raced a change. */
    hiddenInLists: new Map<string, number>(),
    /** The OAuth endpoint refuses the credentials (an app deactivated or its secret regenerated). */
    refuseCredentials: false,
    /** Events are sent this long after the change (users report late events, zoom-api.md §5.1a). */
    eventDelayMs: 0,
  };

  constructor(readonly options: SandboxOptions) {
    this.seedName = options.seed ?? 'demo';
    this.adopt(seedAccount(this.seedName, { rngSeed: options.rngSeed, webinars: options.webinars, meetings: options.meetings, registrants: options.registrants, accountId: options.accountId }));
    this.plan = options.plan ?? 'pro';
    this.clientSecret = options.clientSecret ?? randomBytes(18).toString('base64url');
    this.tokenTtlMs = (options.tokenTtlSeconds ?? 3600) * 1000;
    this.pageLatencyMs = options.pageLatencyMs ?? 0;
  }

  /** Makes `account` the sandbox's account; its changes from now on are announced as events. */
  adopt(account: SandboxAccount): void {
    this.account = account;
    account.onChange = (change) => {
      for (const listener of this.changeListeners) listener(change);
    };
  }

  /** The sandbox's clock: real time, moved on by the clock control endpoint. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  utcDay(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }

  /** What `dsr-desk sandbox` prints and `connect --sandbox` reads. */
  info() {
    return {
      api_url: `http://127.0.0.1:${this.port}/v2`,
      oauth_url: `http://127.0.0.1:${this.port}`,
      account_id: this.account.accountId,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: this.clientSecret,
      ws_url: `ws://127.0.0.1:${this.port}/ws`,
      event_subscription_id: SANDBOX_SUBSCRIPTION_ID,
    };
  }
}

/** Zoom's rules over the runtime: rate limits (per second, per day, per registrant) and paging. */
export function zoomRules(rt: SandboxRuntime) {
  function checkRateLimit(category: RateCategory): Reply | null {
    const limits = PLAN_LIMITS[rt.plan];
    const bucket = dailyBucket(rt.plan, category);
    const dailyKey = `${rt.utcDay()}:${bucket}`;
    if (bucket) {
      const limit = limits.daily[bucket]!;
      const used = rt.faults.exhausted.has(bucket) ? limit : (rt.dailyCounts.get(dailyKey) ?? 0);
      if (used >= limit) {
        return {
          status: 429,
          body: {
            code: 429,
            message: `You have exceeded the daily rate limit (${limit}) of ${CATEGORY_HEADER[category]} API requests permitted for this account. You may resume these requests at GMT 00:00:00.`,
          },
          headers: {
            'X-RateLimit-Category': CATEGORY_HEADER[category],
            'X-RateLimit-Type': 'Daily-limit',
            'X-RateLimit-Limit': String(limit),
            'X-RateLimit-Remaining': '0',
            'Retry-After': iso(nextUtcMidnight(new Date(rt.now())).getTime()),
          },
        };
      }
    }
    const { requests, windowMs } = limits.perWindow[category];
    const real = Date.now();
    const starts = (rt.recent.get(category) ?? []).filter((t) => t > real - windowMs);
    rt.recent.set(category, starts);
    if (starts.length >= requests) {
      return {
        status: 429,
        body: { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' },
        headers: {
          'X-RateLimit-Category': CATEGORY_HEADER[category],
          'X-RateLimit-Type': 'QPS',
          'X-RateLimit-Limit': String(requests),
          'X-RateLimit-Remaining': '0',
          'Retry-After': new Date(starts[0]! + windowMs).toISOString(),
        },
      };
    }
    starts.push(real);
    if (bucket) rt.dailyCounts.set(dailyKey, (rt.dailyCounts.get(dailyKey) ?? 0) + 1);
    return null;
  }

  /** Zoom's per-registrant, per-webinar daily limits (3 adds, 10 status changes). */
  function countForRegistrant(kind: 'add' | 'status', eventKind: EventKind, eventId: number, email: string): Reply | null {
    const key = `${rt.utcDay()}:${kind}:${eventKind}:${eventId}:${normaliseEmail(email)}`;
    const used = (rt.registrantCounts.get(key) ?? 0) + 1;
    rt.registrantCounts.set(key, used);
    if (kind === 'add' && used > REGISTRANT_DAILY_ADDS) {
      return zoomError(
        429,
        429,
        `You have exceeded the daily rate limit (${REGISTRANT_DAILY_ADDS}) of Webinar Batch Registration API requests permitted for (${email}) this particular registrant. You may resume these requests at GMT 00:00:00.`,
      );
    }
    if (kind === 'status' && used > REGISTRANT_DAILY_STATUS_CHANGES) {
      return zoomError(
        429,
        429,
        `You have exceeded the daily rate limit of (${REGISTRANT_DAILY_STATUS_CHANGES}) for webinar Update registrant's status API requests for the registrant (${email}). You may resume these requests at GMT 00:00:00.`,
      );
    }
    return null;
  }

  function pageOf<T>(key: string, query: URLSearchParams, items: T[], seqOf: (item: T, index: number) => number, listKey: string, present: (item: T) => unknown = (item) => item): Reply {
    const requested = Number(query.get('page_size') ?? DEFAULT_PAGE_SIZE);
    // Zoom's documented maximum; whether it clamps or rejects larger sizes is unverified, we clamp.
    const pageSize = Number.isFinite(requested) && requested > 0 ? Math.min(MAX_PAGE_SIZE, Math.floor(requested)) : DEFAULT_PAGE_SIZE;
    let afterSeq = 0;
    const token = query.get('next_page_token');
    if (token) {
      const cursor = rt.pageTokens.get(token);
      if (!cursor || cursor.key !== key || cursor.expiresAt < rt.now()) return zoomError(400, 300, 'The next page token is invalid or expired.');
      afterSeq = cursor.afterSeq;
    }
    // Items come in ascending seq (insertion order), so the page starts where a binary search puts
    // the cursor: a page costs its own rows, not a pass over the whole list (it took 150 ms at 100k).
    let start = 0;
    for (let end = items.length; start < end;) {
      const middle = (start + end) >>> 1;
      if (seqOf(items[middle]!, middle) > afterSeq) end = middle;
      else start = middle + 1;
    }
    const page = items.slice(start, start + pageSize);
    let next = '';
    if (items.length - start > pageSize) {
      next = randomBytes(24).toString('base64url');
      const last = start + pageSize - 1;
      rt.pageTokens.set(next, { key, afterSeq: seqOf(items[last]!, last), expiresAt: rt.now() + PAGE_TOKEN_TTL_MS });
    }
    return {
      status: 200,
      body: { page_count: Math.ceil(items.length / pageSize), page_number: 1, page_size: pageSize, total_records: items.length, next_page_token: next, [listKey]: page.map((item) => present(item)) },
    };
  }

  return { checkRateLimit, countForRegistrant, pageOf };
}
