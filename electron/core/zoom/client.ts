import type { ZoomPlan } from '../../../shared/settings';
import { createLogger } from '../log';
import { ZoomApiError, ZoomDailyLimitReached, zoomErrorFor } from './errors';
import { CATEGORY_HEADER, nextUtcMidnight, PLAN_LIMITS, type RateCategory } from './limits';
import { TokenSource, type Token, type ZoomCredentialsInput } from './oauth';
import { RateLimiter, realClock, type Clock } from './rate-limiter';
import type {
  Page,
  RegistrantStatus,
  ZoomPanelist,
  ZoomParticipant,
  ZoomPastInstance,
  ZoomPollEntry,
  ZoomQaEntry,
  ZoomRegistrant,
  ZoomRegistrantRecord,
  ZoomSurveyEntry,
  ZoomUser,
  ZoomEvent,
  ZoomEventSummary,
} from './types';
import type { EventKind } from '../../../shared/events';

const log = createLogger('zoom');

export interface ZoomClientOptions {
  credentials: ZoomCredentialsInput & { api_url: string };
  plan: ZoomPlan;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Per attempt. */
  timeoutMs?: number;
  /** Retries of 5xx and network errors on calls that are safe to repeat. */
  maxRetries?: number;
  /** Retries after per-second 429s (each waits as long as Zoom asked). */
  maxRateLimitRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/**
 * How a call may be repeated. `safe`: reads, which can be sent again after a 5xx or a dropped
 * connection. `once`: adds, status changes and deletes. Adds and status changes count against
 * Zoom's per-registrant daily limits (3 adds, 10 status changes), and a delete's evidence must show
 * one delete; after an unknown outcome the caller re-reads Zoom instead of sending them blind again.
 */
type Repeat = 'safe' | 'once';

interface CallSpec {
  category: RateCategory;
  repeat: Repeat;
}

const READ_LIGHT: CallSpec = { category: 'light', repeat: 'safe' };
const READ_MEDIUM: CallSpec = { category: 'medium', repeat: 'safe' };
const READ_HEAVY: CallSpec = { category: 'heavy', repeat: 'safe' };

export const MAX_STATUS_BATCH = 30;
const MAX_PAGE_SIZE = 300;

type Query = Record<string, string | number | undefined>;

/** Past/report endpoints take an ID or an instance UUID; a UUID starting with "/" or holding "//" is encoded twice. */
export function pathRef(idOrUuid: number | string): string {
  const text = String(idOrUuid);
  const once = encodeURIComponent(text);
  return text.startsWith('/') || text.includes('//') ? encodeURIComponent(once) : once;
}

/** Where each kind's calls live (zoom-api.md §3-§4 for webinars, §4.1a for meetings). */
const PATHS: Record<EventKind, { live: string; past: string; report: string; user: string }> = {
  webinar: { live: '/webinars', past: '/past_webinars', report: '/report/webinars', user: 'webinars' },
  meeting: { live: '/meetings', past: '/past_meetings', report: '/report/meetings', user: 'meetings' },
};
const live = (kind: EventKind, id: number | string) => `${PATHS[kind].live}/${pathRef(id)}`;
const past = (kind: EventKind, id: number | string) => `${PATHS[kind].past}/${pathRef(id)}`;
const report = (kind: EventKind, id: number | string) => `${PATHS[kind].report}/${pathRef(id)}`;

function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return now + Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at;
}

export class ZoomClient {
  readonly apiUrl: string;
  /** Calls sent (retries included) and 429 answers waited out, for progress figures. */
  readonly stats = { calls: 0, rateLimitWaits: 0 };
  private readonly fetchImpl: typeof fetch;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;
  private readonly tokens: TokenSource;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRateLimitRetries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;

  constructor(options: ZoomClientOptions) {
    this.apiUrl = options.credentials.api_url;
    this.fetchImpl = options.fetch ?? fetch;
    this.clock = options.clock ?? realClock;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 4;
    this.maxRateLimitRetries = options.maxRateLimitRetries ?? 20;
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.backoffMaxMs = options.backoffMaxMs ?? 8_000;
    this.limiter = new RateLimiter(PLAN_LIMITS[options.plan].perWindow, this.clock);
    this.tokens = new TokenSource(options.credentials, this.fetchImpl, this.timeoutMs, () => this.clock.now());
  }

  // ---- the calls -------------------------------------------------------------------------

  /** The scopes granted with the current token (null: none yet, or Zoom didn't say). */
  grantedScopes(): string[] | null {
    return this.tokens.scopes;
  }

  /**
   * A token for the event subscription's socket, which carries it in its URL (zoom-api.md §5.1a).
   * `stale`: the socket was turned away with this one, or it is about to expire, so it is forgotten
   * and a new one requested.
   */
  async eventToken(stale?: string): Promise<Token> {
    if (stale) this.tokens.invalidate(stale);
    return this.tokens.token();
  }

  getMe(): Promise<ZoomUser> {
    return this.call(READ_LIGHT, 'GET', '/users/me');
  }

  listUsers(): AsyncGenerator<Page<ZoomUser>> {
    return this.pages(READ_MEDIUM, '/users', { status: 'active' }, 'users');
  }

  /**
   * Events of one kind of one user (`me` by default). Zoom lists only unexpired webinars; for
   * meetings `type` is passed explicitly, as its default differs between Zoom's references (§4.1a).
   */
  listEvents(kind: EventKind, userId = 'me', type: 'scheduled' | 'upcoming' | 'previous_meetings' = 'scheduled'): AsyncGenerator<Page<ZoomEventSummary>> {
    return this.pages(READ_MEDIUM, `/users/${encodeURIComponent(userId)}/${PATHS[kind].user}`, { type }, PATHS[kind].user);
  }

  /**
   * Every event of a kind the credentials can see: every user's when the app may list users,
   * otherwise only the token owner's. Each event once, even when two hosts' lists overlap.
   */
  async *listAccountEvents(kind: EventKind): AsyncGenerator<ZoomEventSummary> {
    const seen = new Set<number>();
    const userIds: string[] = [];
    try {
      for await (const page of this.listUsers()) userIds.push(...page.items.map((user) => user.id));
    } catch (error) {
      if (!(error instanceof ZoomApiError) || error.code !== 'ZOOM_NO_PERMISSION') throw error;
      log.info("cannot list account users; listing only the token owner's events", { kind });
      userIds.splice(0, userIds.length, 'me');
    }
    // Whether `scheduled` still lists a meeting that has ended is unverified (§4.1a): meetings are
    // listed as `previous_meetings` too, so one held last week keeps its reports in the mirror.
    const types = kind === 'meeting' ? (['scheduled', 'previous_meetings'] as const) : (['scheduled'] as const);
    for (const userId of userIds) {
      for (const type of types) {
        let pagesRead = 0;
        try {
          for await (const page of this.listEvents(kind, userId, type)) {
            pagesRead++;
            for (const event of page.items) {
              if (seen.has(event.id)) continue;
              seen.add(event.id);
              yield event;
            }
          }
        } catch (error) {
          // An account whose API knows no `previous_meetings` answers its first page with 400: the
          // scheduled list stands. A refusal later in the list (an expired page token) still fails the sync.
          if (type === 'scheduled' || pagesRead > 0 || !(error instanceof ZoomApiError) || error.httpStatus !== 400) throw error;
          log.warn('Zoom refused to list previous meetings; ended meetings are read only as far as the scheduled list shows them', { code: error.zoomCode });
        }
      }
    }
  }

  getEvent(kind: EventKind, id: number | string, options: { occurrenceId?: string; showPreviousOccurrences?: boolean } = {}): Promise<ZoomEvent> {
    return this.call(READ_LIGHT, 'GET', live(kind, id), {
      query: { occurrence_id: options.occurrenceId, show_previous_occurrences: options.showPreviousOccurrences ? 'true' : undefined },
    });
  }

  /** One status at a time: Zoom's default is `approved` only, and no status lists self-cancelled people. */
  listRegistrants(kind: EventKind, eventId: number | string, status: RegistrantStatus, occurrenceId?: string): AsyncGenerator<Page<ZoomRegistrant>> {
    return this.pages(READ_MEDIUM, `${live(kind, eventId)}/registrants`, { status, occurrence_id: occurrenceId }, 'registrants');
  }

  /**
   * One registrant as Zoom holds it, listed or not. `status` is a plain string here: a registrant
   * who cancelled themselves answers with "all", which the spec doesn't list (zoom-api.md §3.2).
   */
  async getRegistrant(kind: EventKind, eventId: number | string, registrantId: string, occurrenceId?: string): Promise<{ httpStatus: number; registrant: ZoomRegistrantRecord }> {
    const { httpStatus, body } = await this.send<ZoomRegistrantRecord>(READ_LIGHT, 'GET', `${live(kind, eventId)}/registrants/${encodeURIComponent(registrantId)}`, {
      query: { occurrence_id: occurrenceId },
    });
    return { httpStatus, registrant: body };
  }

  addRegistrant(kind: EventKind, eventId: number | string, registrant: Partial<ZoomRegistrant> & { email: string; first_name: string }, occurrenceIds?: string[]) {
    return this.call<{ registrant_id: string; join_url: string }>({ category: 'light', repeat: 'once' }, 'POST', `${live(kind, eventId)}/registrants`, {
      query: { occurrence_ids: occurrenceIds?.join(',') },
      body: registrant,
    });
  }

  /** Approve, deny or cancel (which Zoom turns into `denied`), in batches of at most 30; the HTTP status Zoom answered the last batch with. */
  async updateRegistrantStatus(
    kind: EventKind,
    eventId: number | string,
    action: 'approve' | 'deny' | 'cancel',
    registrants: { id: string; email?: string }[],
    occurrenceId?: string,
  ): Promise<{ httpStatus: number }> {
    let answered = { httpStatus: 0 };
    for (let i = 0; i < registrants.length; i += MAX_STATUS_BATCH) {
      answered = await this.send({ category: 'medium', repeat: 'once' }, 'PUT', `${live(kind, eventId)}/registrants/status`, {
        query: { occurrence_id: occurrenceId },
        body: { action, registrants: registrants.slice(i, i + MAX_STATUS_BATCH) },
      });
    }
    return answered;
  }

  /** Not repeated blindly either: after an unknown outcome the erasure job reads Zoom back first, so Zoom never sees a second delete. */
  async deleteRegistrant(kind: EventKind, eventId: number | string, registrantId: string, occurrenceId?: string): Promise<{ httpStatus: number }> {
    return this.send({ category: 'light', repeat: 'once' }, 'DELETE', `${live(kind, eventId)}/registrants/${encodeURIComponent(registrantId)}`, {
      query: { occurrence_id: occurrenceId },
    });
  }

  /** The answer's key is the kind's plural (`webinars` or `meetings`, §4.1a). */
  async listPastInstances(kind: EventKind, eventId: number | string): Promise<ZoomPastInstance[]> {
    const body = await this.call<Record<string, ZoomPastInstance[] | undefined>>(READ_LIGHT, 'GET', `${past(kind, eventId)}/instances`);
    return body[PATHS[kind].user] ?? [];
  }

  /** Webinars only: Zoom keeps no absentee list for meetings. */
  listAbsentees(webinarIdOrUuid: number | string, occurrenceId?: string): AsyncGenerator<Page<ZoomRegistrant>> {
    return this.pages(READ_HEAVY, `${past('webinar', webinarIdOrUuid)}/absentees`, { occurrence_id: occurrenceId }, 'registrants');
  }

  listPastParticipants(kind: EventKind, idOrUuid: number | string): AsyncGenerator<Page<ZoomParticipant>> {
    return this.pages(READ_MEDIUM, `${past(kind, idOrUuid)}/participants`, {}, 'participants');
  }

  /** The report carries registrant_id only when asked for it. */
  listReportParticipants(kind: EventKind, idOrUuid: number | string): AsyncGenerator<Page<ZoomParticipant>> {
    return this.pages(READ_HEAVY, `${report(kind, idOrUuid)}/participants`, { include_fields: 'registrant_id' }, 'participants');
  }

  async reportQa(kind: EventKind, idOrUuid: number | string): Promise<ZoomQaEntry[]> {
    return (await this.call<{ questions?: ZoomQaEntry[] }>(READ_HEAVY, 'GET', `${report(kind, idOrUuid)}/qa`)).questions ?? [];
  }

  async reportPolls(kind: EventKind, idOrUuid: number | string): Promise<ZoomPollEntry[]> {
    return (await this.call<{ questions?: ZoomPollEntry[] }>(READ_HEAVY, 'GET', `${report(kind, idOrUuid)}/polls`)).questions ?? [];
  }

  async reportSurvey(kind: EventKind, idOrUuid: number | string): Promise<ZoomSurveyEntry[]> {
    return (await this.call<{ survey_answers?: ZoomSurveyEntry[] }>(READ_HEAVY, 'GET', `${report(kind, idOrUuid)}/survey`)).survey_answers ?? [];
  }

  /** Webinars only: meetings have no panelists. */
  async listPanelists(webinarId: number | string): Promise<ZoomPanelist[]> {
    return (await this.call<{ panelists?: ZoomPanelist[] }>(READ_MEDIUM, 'GET', `${live('webinar', webinarId)}/panelists`)).panelists ?? [];
  }

  // ---- the machinery ---------------------------------------------------------------------

  /** Follows next_page_token with the largest page Zoom allows; yields each page as it arrives. */
  private async *pages<T>(spec: CallSpec, path: string, query: Query, key: string): AsyncGenerator<Page<T>> {
    let nextPageToken: string | undefined;
    do {
      const { httpStatus, body } = await this.send<Record<string, unknown>>(spec, 'GET', path, {
        query: { ...query, page_size: MAX_PAGE_SIZE, next_page_token: nextPageToken },
      });
      const items = (body[key] as T[] | undefined) ?? [];
      yield { items, total_records: typeof body.total_records === 'number' ? body.total_records : null, httpStatus };
      nextPageToken = typeof body.next_page_token === 'string' && body.next_page_token !== '' ? body.next_page_token : undefined;
    } while (nextPageToken);
  }

  private backoff(attempt: number): number {
    // Full jitter: spreads retries of parallel callers instead of synchronising them.
    return Math.random() * Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** attempt);
  }

  private async call<T>(spec: CallSpec, method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    return (await this.send<T>(spec, method, path, options)).body;
  }

  /** One call with its retries; the answer's HTTP status with its body, so evidence records what Zoom said. */
  private async send<T>(spec: CallSpec, method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<{ httpStatus: number; body: T }> {
    const url = new URL(this.apiUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    let failures = 0;
    let rateLimited = 0;
    let refreshedToken = false;

    for (;;) {
      await this.limiter.acquire(spec.category);
      const token = await this.tokens.get();
      let response: Response;
      this.stats.calls++;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        const what = (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : 'the connection failed';
        if (spec.repeat === 'safe' && failures < this.maxRetries) {
          log.warn('network error, retrying', { method, path: url.pathname, attempt: failures + 1, what });
          await this.clock.sleep(this.backoff(failures++));
          continue;
        }
        throw new ZoomApiError('ZOOM_UNAVAILABLE', {
          httpStatus: null,
          zoomCode: null,
          zoomMessage: `${method} ${url.pathname}: ${what}`,
          hint:
            spec.repeat === 'safe'
              ? `Gave up after ${failures + 1} attempts; try again later.`
              : 'Not repeated automatically: the call may have reached Zoom and counts against a per-registrant daily limit. Re-read Zoom before trying again.',
        });
      }

      if (response.ok) {
        const text = await response.text();
        return { httpStatus: response.status, body: (text ? JSON.parse(text) : undefined) as T };
      }
      const body = (await response.json().catch(() => ({}))) as { code?: number; message?: string };

      if (response.status === 401 && body.code === 124 && !refreshedToken) {
        // Expired or revoked token: get a new one once and send the call again once.
        log.info('access token refused, requesting a new one');
        this.tokens.invalidate(token);
        refreshedToken = true;
        continue;
      }

      if (response.status === 429) {
        const now = this.clock.now();
        const type = response.headers.get('x-ratelimit-type') ?? '';
        const message = body.message ?? '';
        const retryAt = retryAfterMs(response.headers.get('retry-after'), now);
        if (/daily/i.test(type) || /daily rate limit/i.test(message)) {
          const perRegistrant = /registrant/i.test(message);
          throw new ZoomDailyLimitReached(perRegistrant ? 'ZOOM_REGISTRANT_LIMIT' : 'ZOOM_DAILY_LIMIT', {
            httpStatus: 429,
            zoomCode: body.code ?? null,
            zoomMessage: message,
            resumeAt: new Date(retryAt ?? nextUtcMidnight(new Date(now)).getTime()),
            scope: perRegistrant ? 'per-registrant' : `${response.headers.get('x-ratelimit-category') ?? CATEGORY_HEADER[spec.category]} category`,
          });
        }
        if (rateLimited < this.maxRateLimitRetries) {
          rateLimited++;
          this.stats.rateLimitWaits++;
          // Zoom's QPS answers may carry no Retry-After; a second is what it asks for elsewhere.
          this.limiter.pause(spec.category, retryAt ?? now + 1000);
          log.info('rate limited, waiting', { category: spec.category, waitMs: (retryAt ?? now + 1000) - now });
          continue;
        }
        throw new ZoomApiError('ZOOM_RATE_LIMITED', {
          httpStatus: 429,
          zoomCode: body.code ?? null,
          zoomMessage: message,
          hint: `Still rate limited after ${rateLimited} waits; another app on this Zoom account may be using the same limit. Try again later.`,
        });
      }

      if (response.status >= 500 && spec.repeat === 'safe' && failures < this.maxRetries) {
        log.warn('server error, retrying', { method, path: url.pathname, status: response.status, attempt: failures + 1 });
        await this.clock.sleep(this.backoff(failures++));
        continue;
      }
      throw zoomErrorFor(response.status, body);
    }
  }
}
