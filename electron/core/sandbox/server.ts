import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZoomPlan } from '../../../shared/settings';
import { createLogger } from '../log';
import {
  CATEGORY_HEADER,
  dailyBucket,
  nextUtcMidnight,
  PLAN_LIMITS,
  REGISTRANT_DAILY_ADDS,
  REGISTRANT_DAILY_STATUS_CHANGES,
  type RateCategory,
} from '../zoom/limits';
import { REGISTRANT_STATUSES, type RegistrantStatus } from '../zoom/types';
import { makePerson } from './people';
import { makeWebinar, registerPerson, seedAccount, SEEDS, type SeedName } from './seed';
import { normaliseEmail } from '../../../shared/email';
import { type SandboxAccount, type SandboxRegistrant, type SandboxWebinar } from './state';

/** A call that takes effect on Zoom, whose reply is then lost: a 500 instead of the answer, or a dropped connection. */
interface LostReply {
  method: 'DELETE' | 'PUT';
  as: 500 | 'drop';
}

// The Zoom sandbox: a real HTTP server on 127.0.0.1 that answers like Zoom's REST API v2 and
// OAuth endpoint for everything DSR Desk uses (zoom-api.md), plus control endpoints under
// /_sandbox/ (not part of Zoom) that tests and the demo use to seed data, act as a registrant or
// host outside the app, inject faults and read the request log.

const log = createLogger('sandbox');

export const SANDBOX_CLIENT_ID = 'sandbox-client-id';
/** Where `dsr-desk sandbox` listens unless told otherwise, and where `connect --sandbox` looks. */
export const SANDBOX_DEFAULT_PORT = 9733;
const PAGE_TOKEN_TTL_MS = 15 * 60_000;
const MAX_PAGE_SIZE = 300;
const DEFAULT_PAGE_SIZE = 30;

export interface SandboxOptions {
  port?: number;
  seed?: SeedName;
  plan?: ZoomPlan;
  rngSeed?: number;
  clientSecret?: string;
  tokenTtlSeconds?: number;
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

export interface ZoomSandbox {
  port: number;
  apiUrl: string;
  oauthUrl: string;
  credentials: { account_id: string; client_id: string; client_secret: string };
  account(): SandboxAccount;
  requests(): LoggedRequest[];
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Params = Record<string, string>;
interface RouteContext {
  params: Params;
  query: URLSearchParams;
  body: unknown;
}
interface Route {
  method: string;
  pattern: RegExp;
  category: RateCategory;
  handle(ctx: RouteContext): Reply;
}

const zoomError = (status: number, code: number, message: string): Reply => ({ status, body: { code, message } });
const webinarMissing = (id: string) => zoomError(404, 3001, `Webinar does not exist: ${id}.`);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startZoomSandbox(options: SandboxOptions = {}): Promise<ZoomSandbox> {
  let seedName: SeedName = options.seed ?? 'demo';
  let account = seedAccount(seedName, { rngSeed: options.rngSeed });
  let plan: ZoomPlan = options.plan ?? 'pro';
  const clientSecret = options.clientSecret ?? randomBytes(18).toString('base64url');
  let tokenTtlMs = (options.tokenTtlSeconds ?? 3600) * 1000;

  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;
  const utcDay = () => new Date(now()).toISOString().slice(0, 10);

  const tokens = new Map<string, number>();
  const pageTokens = new Map<string, { key: string; afterSeq: number; expiresAt: number }>();
  const recent = new Map<RateCategory, number[]>();
  const dailyCounts = new Map<string, number>();
  const registrantCounts = new Map<string, number>();
  const requestLog: LoggedRequest[] = [];
  let apiCalls = 0;
  const faults = {
    stormRemaining: 0,
    stormRetryAfterMs: 1000,
    failAt: new Map<number, number>(),
    dropAt: new Set<number>(),
    slowMs: 0,
    exhausted: new Set<string>(),
    lostReplies: [] as LostReply[],
    /** Registrants the next N list calls of their webinar leave out: a listing that raced a change. */
    hiddenInLists: new Map<string, number>(),
  };

  // ---- Zoom's rules ------------------------------------------------------------------------

  function checkRateLimit(category: RateCategory): Reply | null {
    const limits = PLAN_LIMITS[plan];
    const bucket = dailyBucket(plan, category);
    const dailyKey = `${utcDay()}:${bucket}`;
    if (bucket) {
      const limit = limits.daily[bucket]!;
      const used = faults.exhausted.has(bucket) ? limit : dailyCounts.get(dailyKey) ?? 0;
      if (used >= limit) {
        return {
          status: 429,
          body: { code: 429, message: `You have exceeded the daily rate limit (${limit}) of ${CATEGORY_HEADER[category]} API requests permitted for this account. You may resume these requests at GMT 00:00:00.` },
          headers: {
            'X-RateLimit-Category': CATEGORY_HEADER[category],
            'X-RateLimit-Type': 'Daily-limit',
            'X-RateLimit-Limit': String(limit),
            'X-RateLimit-Remaining': '0',
            'Retry-After': iso(nextUtcMidnight(new Date(now())).getTime()),
          },
        };
      }
    }
    const { requests, windowMs } = limits.perWindow[category];
    const real = Date.now();
    const starts = (recent.get(category) ?? []).filter((t) => t > real - windowMs);
    recent.set(category, starts);
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
    if (bucket) dailyCounts.set(dailyKey, (dailyCounts.get(dailyKey) ?? 0) + 1);
    return null;
  }

  /** Zoom's per-registrant, per-webinar daily limits (3 adds, 10 status changes). */
  function countForRegistrant(kind: 'add' | 'status', webinarId: number, email: string): Reply | null {
    const key = `${utcDay()}:${kind}:${webinarId}:${normaliseEmail(email)}`;
    const used = (registrantCounts.get(key) ?? 0) + 1;
    registrantCounts.set(key, used);
    if (kind === 'add' && used > REGISTRANT_DAILY_ADDS) {
      return zoomError(429, 429, `You have exceeded the daily rate limit (${REGISTRANT_DAILY_ADDS}) of Webinar Batch Registration API requests permitted for (${email}) this particular registrant. You may resume these requests at GMT 00:00:00.`);
    }
    if (kind === 'status' && used > REGISTRANT_DAILY_STATUS_CHANGES) {
      return zoomError(429, 429, `You have exceeded the daily rate limit of (${REGISTRANT_DAILY_STATUS_CHANGES}) for webinar Update registrant's status API requests for the registrant (${email}). You may resume these requests at GMT 00:00:00.`);
    }
    return null;
  }

  function needWebinar(ref: string): SandboxWebinar | Reply {
    return account.findWebinar(ref) ?? webinarMissing(ref);
  }
  // Lookups return the thing found or the Zoom error reply to send; only replies carry a status.
  const isReply = (value: object): value is Reply => typeof (value as Partial<Reply>).status === 'number';

  function pageOf<T>(key: string, query: URLSearchParams, items: T[], seqOf: (item: T, index: number) => number, listKey: string, present: (item: T) => unknown = (item) => item): Reply {
    const requested = Number(query.get('page_size') ?? DEFAULT_PAGE_SIZE);
    // Zoom's documented maximum; whether it clamps or rejects larger sizes is unverified, we clamp.
    const pageSize = Number.isFinite(requested) && requested > 0 ? Math.min(MAX_PAGE_SIZE, Math.floor(requested)) : DEFAULT_PAGE_SIZE;
    let afterSeq = 0;
    const token = query.get('next_page_token');
    if (token) {
      const cursor = pageTokens.get(token);
      if (!cursor || cursor.key !== key || cursor.expiresAt < now()) return zoomError(400, 300, 'The next page token is invalid or expired.');
      afterSeq = cursor.afterSeq;
    }
    const remaining = items.map((item, index) => ({ item, seq: seqOf(item, index) })).filter((entry) => entry.seq > afterSeq);
    const page = remaining.slice(0, pageSize);
    let next = '';
    if (remaining.length > pageSize) {
      next = randomBytes(24).toString('base64url');
      pageTokens.set(next, { key, afterSeq: page[page.length - 1]!.seq, expiresAt: now() + PAGE_TOKEN_TTL_MS });
    }
    return {
      status: 200,
      body: { page_count: Math.ceil(items.length / pageSize), page_number: 1, page_size: pageSize, total_records: items.length, next_page_token: next, [listKey]: page.map((entry) => present(entry.item)) },
    };
  }

  function publicRegistrant(registrant: SandboxRegistrant) {
    const { seq: _seq, occurrence_ids: _occurrences, ...visible } = registrant;
    return visible;
  }

  function endedWebinar(ref: string): SandboxWebinar | Reply {
    const entry = account.findWebinar(ref);
    if (!entry || !entry.endedAt) return zoomError(404, 3001, 'Webinar ID is invalid or not end.');
    return entry;
  }

  function registrantsFor(entry: SandboxWebinar, status: RegistrantStatus, occurrenceId: string | null) {
    return [...entry.registrants.values()].filter(
      (r) => r.status === status && (occurrenceId === null || r.occurrence_ids === null || r.occurrence_ids.includes(occurrenceId)),
    );
  }

  function checkOccurrence(entry: SandboxWebinar, occurrenceId: string | null): Reply | null {
    if (occurrenceId === null) return null;
    return entry.webinar.occurrences?.some((o) => o.occurrence_id === occurrenceId) ? null : zoomError(400, 300, `Invalid occurrence_id: ${occurrenceId}`);
  }

  /** The webinar and the registrant Zoom holds that a /webinars/{id}/registrants/{registrantId} path names (held may be missing). */
  function findRegistrant(params: Params, query: URLSearchParams): { entry: SandboxWebinar; id: string; held: ReturnType<SandboxAccount['heldRegistrant']> } | Reply {
    const entry = needWebinar(params[1]!);
    if (isReply(entry)) return entry;
    const badOccurrence = checkOccurrence(entry, query.get('occurrence_id'));
    if (badOccurrence) return badOccurrence;
    const id = decodeURIComponent(params[2]!);
    return { entry, id, held: account.heldRegistrant(entry, id) };
  }

  function addRegistration(entry: SandboxWebinar, body: Record<string, unknown>, occurrenceIds: string[] | null = null): Reply {
    if (entry.webinar.settings.approval_type === 2) return zoomError(400, 3000, `This webinar does not have registration as required: ${entry.webinar.id}.`);
    if (entry.endedAt) return zoomError(400, 3038, 'Webinar is over, you cannot register now. If you have any questions, contact the webinar host.');
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const firstName = typeof body.first_name === 'string' ? body.first_name.trim() : '';
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || firstName === '') {
      return { status: 400, body: { code: 300, message: 'Validation Failed.', errors: [{ field: email ? 'first_name' : 'email', message: 'Invalid field.' }] } };
    }
    if (entry.blocked.has(normaliseEmail(email))) {
      // Code and status of this refusal are unverified (zoom-api.md §3.3); the wording is users' report.
      return zoomError(400, 3000, `The email address ${email} cannot be used to register for this webinar.`);
    }
    for (const occurrenceId of occurrenceIds ?? []) {
      const bad = checkOccurrence(entry, occurrenceId);
      if (bad) return bad;
    }
    const { occurrence_ids: _ignored, webinar_id: _webinar, ...fields } = body;
    const existing = account.registrantByEmail(entry, email);
    const registrant = existing ?? account.register(entry, { ...fields, email, first_name: firstName } as never, { occurrenceIds });
    return {
      status: 201,
      body: {
        id: entry.webinar.id,
        registrant_id: registrant.id,
        topic: entry.webinar.topic,
        start_time: entry.webinar.start_time,
        join_url: registrant.join_url,
        status: registrant.status,
        occurrences: entry.webinar.occurrences ?? [],
      },
    };
  }

  /** Occurrences named on a registration (comma-separated); null registers for all of them. */
  function occurrenceList(value: unknown): string[] | null {
    return typeof value === 'string' && value.trim() !== '' ? value.split(',').map((id) => id.trim()) : null;
  }

  // ---- the API -----------------------------------------------------------------------------

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/users\/me$/,
      category: 'light',
      handle: () => ({ status: 200, body: { ...account.users[0], account_id: account.accountId } }),
    },
    {
      method: 'GET',
      pattern: /^\/users$/,
      category: 'medium',
      handle: ({ query }) => pageOf('users', query, account.users, (_u, i) => i + 1, 'users'),
    },
    {
      method: 'GET',
      pattern: /^\/users\/([^/]+)\/webinars$/,
      category: 'medium',
      handle: ({ params, query }) => {
        const userId = params[1] === 'me' ? account.users[0]!.id : decodeURIComponent(params[1]!);
        const user = account.users.find((u) => u.id === userId || u.email === userId);
        if (!user) return zoomError(404, 1001, `User does not exist: ${userId}.`);
        // Only unexpired webinars: upcoming ones and those that ended less than 30 days ago.
        const listed = [...account.webinars.values()]
          .filter((e) => e.webinar.host_id === user.id && (!e.endedAt || Date.parse(e.endedAt) > now() - 30 * 86_400_000))
          .filter((e) => query.get('type') !== 'upcoming' || !e.endedAt)
          .map((e) => {
            const { id, uuid, host_id, topic, type, start_time, duration, timezone, created_at, join_url } = e.webinar;
            return { id, uuid, host_id, topic, type, start_time, duration, timezone, created_at, join_url };
          });
        return pageOf(`webinars:${user.id}`, query, listed, (_w, i) => i + 1, 'webinars');
      },
    },
    {
      method: 'GET',
      pattern: /^\/webinars\/([^/]+)$/,
      category: 'light',
      handle: ({ params }) => {
        const entry = needWebinar(params[1]!);
        if (isReply(entry)) return entry;
        return { status: 200, body: { ...entry.webinar, host_email: account.users.find((u) => u.id === entry.webinar.host_id)?.email } };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/webinars\/(\d+)$/,
      category: 'light',
      handle: ({ params }) => {
        const entry = needWebinar(params[1]!);
        if (isReply(entry)) return entry;
        account.webinars.delete(entry.webinar.id);
        return { status: 204 };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/webinars\/(\d+)\/registrants\/status$/,
      category: 'medium',
      handle: ({ params, body }) => {
        const entry = needWebinar(params[1]!);
        if (isReply(entry)) return entry;
        const request = body as { action?: unknown; registrants?: unknown };
        if (!['approve', 'deny', 'cancel'].includes(request?.action as string) || !Array.isArray(request.registrants)) {
          return { status: 400, body: { code: 300, message: 'Validation Failed.', errors: [{ field: 'action', message: 'Invalid field.' }] } };
        }
        if (request.registrants.length > 30) {
          return { status: 400, body: { code: 300, message: 'Validation Failed.', errors: [{ field: 'registrants', message: 'At most 30 registrants.' }] } };
        }
        const targets = (request.registrants as { id?: string; email?: string }[])
          .map((r) => (r.id ? entry.registrants.get(r.id) : r.email ? account.registrantByEmail(entry, r.email) : undefined))
          .filter((r): r is SandboxRegistrant => r !== undefined);
        for (const target of targets) {
          const limited = countForRegistrant('status', entry.webinar.id, target.email);
          if (limited) return limited;
        }
        for (const target of targets) account.applyStatus(entry, target, request.action as 'approve' | 'deny' | 'cancel');
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: /^\/webinars\/(\d+)\/registrants$/,
      category: 'medium',
      handle: ({ params, query }) => {
        const entry = needWebinar(params[1]!);
        if (isReply(entry)) return entry;
        const status = (query.get('status') ?? 'approved') as RegistrantStatus; // Zoom's default is approved only
        if (!REGISTRANT_STATUSES.includes(status)) return { status: 400, body: { code: 300, message: 'Validation Failed.', errors: [{ field: 'status', message: 'Invalid field.' }] } };
        const occurrenceId = query.get('occurrence_id');
        const badOccurrence = checkOccurrence(entry, occurrenceId);
        if (badOccurrence) return badOccurrence;
        const items = registrantsFor(entry, status, occurrenceId).filter((r) => !faults.hiddenInLists.has(r.id));
        for (const [id, calls] of faults.hiddenInLists) {
          if (!entry.registrants.has(id)) continue;
          if (calls <= 1) faults.hiddenInLists.delete(id);
          else faults.hiddenInLists.set(id, calls - 1);
        }
        return pageOf(`registrants:${entry.webinar.id}:${status}:${occurrenceId ?? ''}`, query, items, (r) => r.seq, 'registrants', publicRegistrant);
      },
    },
    {
      method: 'POST',
      pattern: /^\/webinars\/(\d+)\/registrants$/,
      category: 'light',
      handle: ({ params, query, body }) => {
        const entry = needWebinar(params[1]!);
        if (isReply(entry)) return entry;
        const email = typeof (body as { email?: unknown })?.email === 'string' ? (body as { email: string }).email : '';
        if (email) {
          const limited = countForRegistrant('add', entry.webinar.id, email);
          if (limited) return limited;
        }
        return addRegistration(entry, (body ?? {}) as Record<string, unknown>, occurrenceList(query.get('occurrence_ids')));
      },
    },
    {
      method: 'GET',
      pattern: /^\/webinars\/(\d+)\/registrants\/([^/]+)$/,
      category: 'light',
      handle: ({ params, query }) => {
        const found = findRegistrant(params, query);
        if (isReply(found)) return found;
        if (!found.held) return zoomError(400, 3079, `This registrant does not exist: ${found.id}.`);
        const { registrant, listed } = found.held;
        // A self-cancelled record answers with a status the spec doesn't list (zoom-api.md §3.2).
        return { status: 200, body: { ...publicRegistrant(registrant), ...(listed ? {} : { status: 'all', join_url: '' }), language: 'en-US' } };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/webinars\/(\d+)\/registrants\/([^/]+)$/,
      category: 'light',
      handle: ({ params, query }) => {
        const found = findRegistrant(params, query);
        if (isReply(found)) return found;
        const deletable = found.held && (found.held.listed || account.behaviour.selfCancelledDeletable);
        if (!deletable) return zoomError(400, 3000, `Registrant ${found.id} was not found.`);
        account.deleteRegistrant(found.entry, found.held!.registrant);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: /^\/webinars\/(\d+)\/panelists$/,
      category: 'medium',
      handle: ({ params }) => {
        const entry = needWebinar(params[1]!);
        if (isReply(entry)) return entry;
        return { status: 200, body: { total_records: entry.panelists.length, panelists: entry.panelists } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/past_webinars\/([^/]+)\/instances$/,
      category: 'light',
      handle: ({ params }) => {
        const entry = needWebinar(decodeURIComponent(params[1]!));
        if (isReply(entry)) return entry;
        return { status: 200, body: { webinars: entry.instances } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/past_webinars\/([^/]+)\/absentees$/,
      category: 'heavy',
      handle: ({ params, query }) => {
        const entry = endedWebinar(decodeURIComponent(decodeURIComponent(params[1]!)));
        if (isReply(entry)) return entry;
        const attended = new Set(entry.participants.map((p) => p.registrant_id));
        const absent = registrantsFor(entry, 'approved', null).filter((r) => !attended.has(r.id));
        return pageOf(`absentees:${entry.webinar.id}`, query, absent, (r) => r.seq, 'registrants', publicRegistrant);
      },
    },
    {
      method: 'GET',
      pattern: /^\/past_webinars\/([^/]+)\/participants$/,
      category: 'medium',
      handle: ({ params, query }) => {
        const entry = endedWebinar(decodeURIComponent(decodeURIComponent(params[1]!)));
        if (isReply(entry)) return entry;
        return pageOf(`past-participants:${entry.webinar.id}`, query, entry.participants, (_p, i) => i + 1, 'participants');
      },
    },
    {
      method: 'GET',
      pattern: /^\/report\/webinars\/([^/]+)\/participants$/,
      category: 'heavy',
      handle: ({ params, query }) => {
        const entry = endedWebinar(decodeURIComponent(decodeURIComponent(params[1]!)));
        if (isReply(entry)) return entry;
        // registrant_id only when asked for with include_fields (zoom-api.md §4).
        const withIds = query.get('include_fields')?.split(',').includes('registrant_id');
        const rows = entry.participants.map(({ registrant_id, ...rest }) => (withIds ? { ...rest, registrant_id } : rest));
        return pageOf(`report-participants:${entry.webinar.id}`, query, rows, (_p, i) => i + 1, 'participants');
      },
    },
    ...(['qa', 'polls', 'survey'] as const).map(
      (kind): Route => ({
        method: 'GET',
        pattern: new RegExp(`^/report/webinars/([^/]+)/${kind}$`),
        category: 'heavy',
        handle: ({ params }) => {
          const entry = endedWebinar(decodeURIComponent(decodeURIComponent(params[1]!)));
          if (isReply(entry)) return entry;
          const base = { id: entry.webinar.id, uuid: entry.webinar.uuid, start_time: entry.webinar.start_time };
          if (kind === 'qa') return { status: 200, body: { ...base, questions: entry.qa } };
          if (kind === 'polls') return { status: 200, body: { ...base, questions: entry.polls } };
          return { status: 200, body: { ...base, survey_answers: entry.survey } };
        },
      }),
    ),
  ];

  // ---- OAuth -------------------------------------------------------------------------------

  function issueToken(req: http.IncomingMessage, url: URL, rawBody: string): Reply {
    const form = new URLSearchParams(rawBody);
    const param = (name: string) => url.searchParams.get(name) ?? form.get(name);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (!basic) return { status: 400, body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client', code: 4706 } };
    const [clientId, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    if (param('grant_type') !== 'account_credentials') return { status: 400, body: { reason: 'Unsupported grant type', error: 'unsupported_grant_type', code: 4705 } };
    if (clientId !== SANDBOX_CLIENT_ID || secret !== clientSecret) return { status: 401, body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client', code: 4702 } };
    if (param('account_id') !== account.accountId) return { status: 400, body: { reason: 'Invalid account_id', error: 'invalid_request', code: 4700 } };
    const token = `sbx.${randomBytes(32).toString('base64url')}`;
    tokens.set(token, now() + tokenTtlMs);
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: Math.round(tokenTtlMs / 1000),
        scope: 'user:read:admin webinar:read:admin webinar:write:admin report:read:admin',
        api_url: `http://127.0.0.1:${port}`,
      },
    };
  }

  // ---- control endpoints (not Zoom) ---------------------------------------------------------

  function control(method: string, path: string, body: Record<string, unknown>): Reply {
    const entryOf = (id: unknown) => account.findWebinar(String(id));
    const registrantOf = (entry: SandboxWebinar, b: Record<string, unknown>) =>
      typeof b.registrant_id === 'string' ? entry.registrants.get(b.registrant_id) : typeof b.email === 'string' ? account.registrantByEmail(entry, b.email) : undefined;
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /_sandbox/info':
        return { status: 200, body: { ...info(), plan, seed: seedName } };
      case 'POST /_sandbox/seed': {
        const seed = body.seed as SeedName;
        if (!SEEDS.includes(seed)) return { status: 400, body: { message: `seed must be one of ${SEEDS.join(', ')}` } };
        seedName = seed;
        account = seedAccount(seed, {
          rngSeed: typeof body.rng_seed === 'number' ? body.rng_seed : options.rngSeed,
          webinars: typeof body.webinars === 'number' ? body.webinars : undefined,
          registrants: typeof body.registrants === 'number' ? body.registrants : undefined,
        });
        // A new account: its daily counts (account-wide and per registrant) start again too.
        pageTokens.clear();
        dailyCounts.clear();
        registrantCounts.clear();
        return { status: 200, body: summary() };
      }
      case 'POST /_sandbox/webinars': {
        const counts = (body.registrants ?? {}) as Partial<Record<RegistrantStatus, number>>;
        const id = 83_000_000_000 + account.webinars.size;
        const entry = makeWebinar(account, {
          id,
          topic: typeof body.topic === 'string' ? body.topic : `Test webinar ${id}`,
          hostId: account.users[0]!.id,
          startMs: now() + (body.ended ? -2 : 10) * 86_400_000,
          occurrences: typeof body.occurrences === 'number' ? body.occurrences : 0,
          approval: body.approval === 1 ? 1 : 0,
          ended: Boolean(body.ended),
        });
        // 2 and 3: attendees register per occurrence (1, the default: once for all of them).
        if (body.registration_type === 2 || body.registration_type === 3) entry.webinar.settings.registration_type = body.registration_type;
        let n = account.webinars.size * 1_000_000;
        for (const status of REGISTRANT_STATUSES) {
          for (let i = 0; i < (counts[status] ?? 0); i++) registerPerson(account, entry, makePerson(account.random, ++n), status, now() - 86_400_000);
        }
        return { status: 201, body: { id } };
      }
      case 'GET /_sandbox/registrants': {
        const entry = entryOf(body.webinar_id);
        if (!entry) return webinarMissing(String(body.webinar_id));
        return {
          status: 200,
          body: {
            registrants: [...entry.registrants.values()].map((r) => ({ ...publicRegistrant(r), state: 'listed' })),
            gone: [...entry.gone.values()].map(({ registrant, reason }) => ({ ...publicRegistrant(registrant), state: reason })),
            blocked: [...entry.blocked],
          },
        };
      }
      case 'POST /_sandbox/self-cancel':
      case 'POST /_sandbox/host-action': {
        const entry = entryOf(body.webinar_id);
        if (!entry) return webinarMissing(String(body.webinar_id));
        const registrant = registrantOf(entry, body);
        if (!registrant) return zoomError(400, 3079, 'This registrant does not exist.');
        if (path.endsWith('self-cancel')) account.selfCancel(entry, registrant);
        else if (['approve', 'deny', 'cancel'].includes(body.action as string)) account.applyStatus(entry, registrant, body.action as 'approve');
        else return { status: 400, body: { message: 'action must be approve, deny or cancel' } };
        return { status: 200, body: { registrant_id: registrant.id, status: path.endsWith('self-cancel') ? null : registrant.status } };
      }
      case 'POST /_sandbox/register': {
        const entry = entryOf(body.webinar_id);
        if (!entry) return webinarMissing(String(body.webinar_id));
        return addRegistration(entry, body, occurrenceList(body.occurrence_ids));
      }
      case 'POST /_sandbox/faults': {
        if (body.clear) {
          faults.stormRemaining = 0;
          faults.failAt.clear();
          faults.dropAt.clear();
          faults.slowMs = 0;
          faults.exhausted.clear();
          faults.lostReplies.length = 0;
          faults.hiddenInLists.clear();
        }
        const hide = body.hide_in_lists as { registrant_id?: unknown; list_calls?: number } | undefined;
        if (hide && typeof hide.registrant_id === 'string') faults.hiddenInLists.set(hide.registrant_id, hide.list_calls ?? 3);
        // The next `count` DELETE or status PUT calls (registrant writes) take effect, then lose their reply.
        const lose = body.lose_replies as { method?: string; count?: number; as?: unknown } | undefined;
        if (lose) {
          if (lose.method !== 'DELETE' && lose.method !== 'PUT') return { status: 400, body: { message: 'lose_replies.method must be DELETE or PUT' } };
          for (let i = 0; i < (lose.count ?? 1); i++) faults.lostReplies.push({ method: lose.method, as: lose.as === 'drop' ? 'drop' : 500 });
        }
        const storm = body.rate_limit_storm as { count?: number; retry_after_ms?: number } | undefined;
        if (storm) {
          faults.stormRemaining = storm.count ?? 10;
          faults.stormRetryAfterMs = storm.retry_after_ms ?? 1000;
        }
        const fail = body.fail_calls as { nth?: number; status?: number; count?: number } | undefined;
        if (fail) for (let i = 0; i < (fail.count ?? 1); i++) faults.failAt.set(apiCalls + (fail.nth ?? 1) + i, fail.status ?? 500);
        const drop = body.drop_calls as { nth?: number; count?: number } | undefined;
        if (drop) for (let i = 0; i < (drop.count ?? 1); i++) faults.dropAt.add(apiCalls + (drop.nth ?? 1) + i);
        if (typeof body.slow_ms === 'number') faults.slowMs = body.slow_ms;
        if (body.revoke_tokens) tokens.clear();
        if (typeof body.exhaust_daily === 'string') faults.exhausted.add(body.exhaust_daily);
        if (typeof body.token_ttl_seconds === 'number') tokenTtlMs = body.token_ttl_seconds * 1000;
        return { status: 200, body: { api_calls: apiCalls } };
      }
      case 'POST /_sandbox/clock':
        clockOffsetMs += typeof body.advance_ms === 'number' ? body.advance_ms : 0;
        return { status: 200, body: { now: new Date(now()).toISOString() } };
      case 'POST /_sandbox/behaviour':
        if (typeof body.deleted_email_can_reregister === 'boolean') account.behaviour.deletedEmailCanReregister = body.deleted_email_can_reregister;
        if (typeof body.self_cancelled_deletable === 'boolean') account.behaviour.selfCancelledDeletable = body.self_cancelled_deletable;
        return { status: 200, body: account.behaviour };
      case 'POST /_sandbox/plan':
        if (!['free', 'pro', 'business'].includes(body.plan as string)) return { status: 400, body: { message: 'plan must be free, pro or business' } };
        plan = body.plan as ZoomPlan;
        return { status: 200, body: { plan } };
      case 'GET /_sandbox/requests':
        return { status: 200, body: { requests: requestLog } };
      case 'DELETE /_sandbox/requests':
        requestLog.length = 0;
        return { status: 200, body: {} };
      default:
        return { status: 404, body: { message: `no sandbox control endpoint ${key}` } };
    }
  }

  function summary() {
    let registrants = 0;
    for (const entry of account.webinars.values()) registrants += entry.registrants.size;
    return { seed: seedName, webinars: account.webinars.size, registrants };
  }

  // ---- the server --------------------------------------------------------------------------

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
      const reply = issueToken(req, url, rawBody);
      requestLog.push({ seq: 0, at: new Date().toISOString(), method: 'POST', path: '/oauth/token', query: {}, status: reply.status, category: null });
      return send(res, reply);
    }
    if (!url.pathname.startsWith('/v2/')) return send(res, zoomError(404, 404, 'Not found.'));

    const path = url.pathname.slice(3);
    const call = ++apiCalls;
    let category: RateCategory | null = null;
    const finish = (reply: Reply) => {
      requestLog.push({ seq: call, at: new Date().toISOString(), method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), status: reply.status, category });
      send(res, reply);
    };

    if (faults.dropAt.delete(call)) {
      requestLog.push({ seq: call, at: new Date().toISOString(), method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), status: 0, category });
      req.socket.destroy();
      return;
    }
    if (faults.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.slowMs));

    const match = routes.map((route) => ({ route, params: route.method === req.method ? route.pattern.exec(path) : null })).find((m) => m.params);
    if (!match) return finish(zoomError(404, 404, 'Not found.'));
    category = match.route.category;

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = bearer ? tokens.get(bearer) : undefined;
    if (expiresAt === undefined || expiresAt <= now()) return finish(zoomError(401, 124, 'Invalid access token.'));

    if (faults.stormRemaining > 0) {
      faults.stormRemaining--;
      return finish({
        status: 429,
        body: { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' },
        headers: { 'X-RateLimit-Category': CATEGORY_HEADER[category], 'X-RateLimit-Type': 'QPS', 'Retry-After': new Date(Date.now() + faults.stormRetryAfterMs).toISOString() },
      });
    }
    const failStatus = faults.failAt.get(call);
    if (failStatus !== undefined) {
      faults.failAt.delete(call);
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
    const lostAt = reply.status < 300 && /\/registrants\//.test(path) ? faults.lostReplies.findIndex((f) => f.method === req.method) : -1;
    if (lostAt >= 0) {
      // The change is made; the caller never learns it: the case an erasure job must read back.
      const [lost] = faults.lostReplies.splice(lostAt, 1);
      if (lost!.as === 'drop') {
        requestLog.push({ seq: call, at: new Date().toISOString(), method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), status: 0, category, applied: true });
        req.socket.destroy();
        return;
      }
      requestLog.push({ seq: call, at: new Date().toISOString(), method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), status: 500, category, applied: true });
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
  const port = (server.address() as AddressInfo).port;

  function info() {
    return {
      api_url: `http://127.0.0.1:${port}/v2`,
      oauth_url: `http://127.0.0.1:${port}`,
      account_id: account.accountId,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: clientSecret,
    };
  }
  const details = info();

  return {
    port,
    apiUrl: details.api_url,
    oauthUrl: details.oauth_url,
    credentials: { account_id: details.account_id, client_id: details.client_id, client_secret: details.client_secret },
    account: () => account,
    requests: () => requestLog,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
