import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { normaliseEmail } from '../../../shared/email';
import { REGISTRANT_STATUSES, type RegistrantStatus } from '../zoom/types';
import type { EventKind } from '../../../shared/events';
import { eventMissing, isReply, SANDBOX_CLIENT_ID, zoomError, zoomRules, type Params, type Reply, type Route, type SandboxRuntime } from './runtime';
import type { SandboxAccount, SandboxRegistrant, SandboxEvent } from './state';

// The sandbox's Zoom REST API v2 and OAuth endpoint, as zoom-api.md describes them.

export function zoomApi(rt: SandboxRuntime) {
  const { countForRegistrant, pageOf } = zoomRules(rt);

  function needEvent(kind: EventKind, ref: string): SandboxEvent | Reply {
    return rt.account.findEvent(kind, ref) ?? eventMissing(kind, ref);
  }

  function publicRegistrant(registrant: SandboxRegistrant) {
    const { seq: _seq, occurrence_ids: _occurrences, ...visible } = registrant;
    return visible;
  }

  function endedEvent(kind: EventKind, ref: string): SandboxEvent | Reply {
    const entry = rt.account.findEvent(kind, ref);
    if (!entry || !entry.endedAt) return zoomError(404, 3001, kind === 'webinar' ? 'Webinar ID is invalid or not end.' : `Meeting ${ref} is not found or has expired.`);
    return entry;
  }

  function checkOccurrence(entry: SandboxEvent, occurrenceId: string | null): Reply | null {
    if (occurrenceId === null) return null;
    return entry.event.occurrences?.some((o) => o.occurrence_id === occurrenceId) ? null : zoomError(400, 300, `Invalid occurrence_id: ${occurrenceId}`);
  }

  /** The event and the registrant Zoom holds that a /webinars|meetings/{id}/registrants/{registrantId} path names (held may be missing). */
  function findRegistrant(kind: EventKind, params: Params, query: URLSearchParams): { entry: SandboxEvent; id: string; held: ReturnType<SandboxAccount['heldRegistrant']> } | Reply {
    const entry = needEvent(kind, params[1]!);
    if (isReply(entry)) return entry;
    const badOccurrence = checkOccurrence(entry, query.get('occurrence_id'));
    if (badOccurrence) return badOccurrence;
    const id = decodeURIComponent(params[2]!);
    return { entry, id, held: rt.account.heldRegistrant(entry, id) };
  }

  function addRegistration(entry: SandboxEvent, body: Record<string, unknown>, occurrenceIds: string[] | null = null): Reply {
    if (entry.event.settings.approval_type === 2) return zoomError(400, 3000, `This ${entry.kind} does not have registration as required: ${entry.event.id}.`);
    if (entry.endedAt) return zoomError(400, 3038, `${entry.kind === 'webinar' ? 'Webinar' : 'Meeting'} is over, you cannot register now. If you have any questions, contact the ${entry.kind} host.`);
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const firstName = typeof body.first_name === 'string' ? body.first_name.trim() : '';
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || firstName === '') {
      return { status: 400, body: { code: 300, message: 'Validation Failed.', errors: [{ field: email ? 'first_name' : 'email', message: 'Invalid field.' }] } };
    }
    if (entry.blocked.has(normaliseEmail(email))) {
      // Code and status of this refusal are unverified (zoom-api.md §3.3); the wording is users' report.
      return zoomError(400, 3000, `The email address ${email} cannot be used to register for this ${entry.kind}.`);
    }
    for (const occurrenceId of occurrenceIds ?? []) {
      const bad = checkOccurrence(entry, occurrenceId);
      if (bad) return bad;
    }
    const { occurrence_ids: _ignored, webinar_id: _webinar, auto_approve: _autoApprove, ...fields } = body;
    const existing = rt.account.registrantByEmail(entry, email);
    const registrant = existing ?? rt.account.register(entry, { ...fields, email, first_name: firstName } as never, { occurrenceIds });
    return {
      status: 201,
      body: {
        id: entry.event.id,
        registrant_id: registrant.id,
        topic: entry.event.topic,
        start_time: entry.event.start_time,
        join_url: registrant.join_url,
        status: registrant.status,
        occurrences: entry.event.occurrences ?? [],
      },
    };
  }

  /** Occurrences named on a registration (comma-separated); null registers for all of them. */
  function occurrenceList(value: unknown): string[] | null {
    return typeof value === 'string' && value.trim() !== '' ? value.split(',').map((id) => id.trim()) : null;
  }

  /** The calls of one kind of event: meetings mirror webinars (zoom-api.md §4.1, §4.1a) but have no panelists or absentees. */
  function eventRoutes(kind: EventKind): Route[] {
    const plural = `${kind}s`;
    /**
     * Which events a user's list shows for its `type`: `upcoming` those not ended, a meeting list's
     * `previous_meetings` those ended, `scheduled` every one unless the behaviour says a meeting's
     * scheduled list leaves ended ones out (unverified, zoom-api.md §4.1a).
     */
    const listedAs = (type: string | null, ended: boolean): boolean => {
      if (type === 'upcoming' || type === 'upcoming_meetings') return !ended;
      if (kind === 'meeting' && type === 'previous_meetings') return ended;
      if (kind === 'meeting' && !rt.account.behaviour.scheduledMeetingsIncludeEnded) return !ended;
      return true;
    };
    return [
      {
        method: 'GET',
        pattern: new RegExp(`^/users/([^/]+)/${plural}$`),
        category: 'medium',
        handle: ({ params, query }) => {
          const userId = params[1] === 'me' ? rt.account.users[0]!.id : decodeURIComponent(params[1]!);
          const user = rt.account.users.find((u) => u.id === userId || u.email === userId);
          if (!user) return zoomError(404, 1001, `User does not exist: ${userId}.`);
          if (kind === 'meeting' && query.get('type') === 'previous_meetings' && !rt.account.behaviour.previousMeetingsListed) return zoomError(400, 300, 'Invalid field.');
          // Only unexpired events: upcoming ones and those that ended less than 30 days ago.
          const listed = [...rt.account.eventsOf(kind).values()]
            .filter((e) => e.event.host_id === user.id && (!e.endedAt || Date.parse(e.endedAt) > rt.now() - 30 * 86_400_000))
            .filter((e) => listedAs(query.get('type'), e.endedAt !== null))
            .map((e) => {
              const { id, uuid, host_id, topic, type, start_time, duration, timezone, created_at, join_url, pmi } = e.event;
              // A meeting list item carries no settings (zoom-api.md §4.1a): whether it takes registration needs GET one.
              return { id, uuid, host_id, topic, type, start_time, duration, timezone, created_at, join_url, ...(kind === 'meeting' ? { pmi } : {}) };
            });
          return pageOf(`${plural}:${user.id}`, query, listed, (_w, i) => i + 1, plural);
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/${plural}/([^/]+)$`),
        category: 'light',
        handle: ({ params }) => {
          const entry = needEvent(kind, params[1]!);
          if (isReply(entry)) return entry;
          return { status: 200, body: { ...entry.event, host_email: rt.account.users.find((u) => u.id === entry.event.host_id)?.email } };
        },
      },
      {
        method: 'DELETE',
        pattern: new RegExp(`^/${plural}/(\\d+)$`),
        category: 'light',
        handle: ({ params }) => {
          const entry = needEvent(kind, params[1]!);
          if (isReply(entry)) return entry;
          rt.account.deleteEvent(entry);
          return { status: 204 };
        },
      },
      {
        method: 'PUT',
        pattern: new RegExp(`^/${plural}/(\\d+)/registrants/status$`),
        category: 'medium',
        handle: ({ params, body }) => {
          const entry = needEvent(kind, params[1]!);
          if (isReply(entry)) return entry;
          const request = body as { action?: unknown; registrants?: unknown };
          if (!['approve', 'deny', 'cancel'].includes(request?.action as string) || !Array.isArray(request.registrants)) {
            return { status: 400, body: { code: 300, message: 'Validation Failed.', errors: [{ field: 'action', message: 'Invalid field.' }] } };
          }
          if (request.registrants.length > 30) {
            return { status: 400, body: { code: 300, message: 'Validation Failed.', errors: [{ field: 'registrants', message: 'At most 30 registrants.' }] } };
          }
          const targets = (request.registrants as { id?: string; email?: string }[])
            .map((r) => (r.id ? entry.registrants.get(r.id) : r.email ? rt.account.registrantByEmail(entry, r.email) : undefined))
            .filter((r): r is SandboxRegistrant => r !== undefined);
          for (const target of targets) {
            const limited = countForRegistrant('status', kind, entry.event.id, target.email);
            if (limited) return limited;
          }
          for (const target of targets) rt.account.applyStatus(entry, target, request.action as 'approve' | 'deny' | 'cancel');
          return { status: 204 };
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/${plural}/(\\d+)/registrants$`),
        category: 'medium',
        handle: ({ params, query }) => {
          const entry = needEvent(kind, params[1]!);
          if (isReply(entry)) return entry;
          const status = (query.get('status') ?? 'approved') as RegistrantStatus; // Zoom's default is approved only
          if (!REGISTRANT_STATUSES.includes(status)) return { status: 400, body: { code: 300, message: 'Validation Failed.', errors: [{ field: 'status', message: 'Invalid field.' }] } };
          const occurrenceId = query.get('occurrence_id');
          const badOccurrence = checkOccurrence(entry, occurrenceId);
          if (badOccurrence) return badOccurrence;
          const listed = rt.account.listed(entry, status, occurrenceId);
          const hidden = rt.faults.hiddenInLists;
          const items = hidden.size === 0 ? listed : listed.filter((r) => !hidden.has(r.id));
          for (const [id, calls] of hidden) {
            if (!entry.registrants.has(id)) continue;
            if (calls <= 1) hidden.delete(id);
            else hidden.set(id, calls - 1);
          }
          return pageOf(`registrants:${kind}:${entry.event.id}:${status}:${occurrenceId ?? ''}`, query, items, (r) => r.seq, 'registrants', publicRegistrant);
        },
      },
      {
        method: 'POST',
        pattern: new RegExp(`^/${plural}/(\\d+)/registrants$`),
        category: 'light',
        handle: ({ params, query, body }) => {
          const entry = needEvent(kind, params[1]!);
          if (isReply(entry)) return entry;
          const email = typeof (body as { email?: unknown })?.email === 'string' ? (body as { email: string }).email : '';
          if (email) {
            const limited = countForRegistrant('add', kind, entry.event.id, email);
            if (limited) return limited;
          }
          return addRegistration(entry, (body ?? {}) as Record<string, unknown>, occurrenceList(query.get('occurrence_ids')));
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/${plural}/(\\d+)/registrants/([^/]+)$`),
        category: 'light',
        handle: ({ params, query }) => {
          const found = findRegistrant(kind, params, query);
          if (isReply(found)) return found;
          const answersSelfCancelled = kind === 'webinar' || rt.account.behaviour.selfCancelledMeetingAnswersAll;
          if (!found.held || (!found.held.listed && !answersSelfCancelled)) return zoomError(400, 3079, `This registrant does not exist: ${found.id}.`);
          const { registrant, listed } = found.held;
          // A self-cancelled record answers with a status the spec doesn't list (zoom-api.md §3.2).
          return { status: 200, body: { ...publicRegistrant(registrant), ...(listed ? {} : { status: 'all', join_url: '' }), language: 'en-US' } };
        },
      },
      {
        method: 'DELETE',
        pattern: new RegExp(`^/${plural}/(\\d+)/registrants/([^/]+)$`),
        category: 'light',
        handle: ({ params, query }) => {
          const found = findRegistrant(kind, params, query);
          if (isReply(found)) return found;
          const deletable = found.held && (found.held.listed || rt.account.behaviour.selfCancelledDeletable);
          if (!deletable) return zoomError(400, 3000, `Registrant ${found.id} was not found.`);
          rt.account.deleteRegistrant(found.entry, found.held!.registrant);
          return { status: 204 };
        },
      },
      ...webinarOnly(kind, {
        method: 'GET',
        pattern: /^\/webinars\/(\d+)\/panelists$/,
        category: 'medium',
        handle: ({ params }) => {
          const entry = needEvent(kind, params[1]!);
          if (isReply(entry)) return entry;
          return { status: 200, body: { total_records: entry.panelists.length, panelists: entry.panelists } };
        },
      }),
      {
        method: 'GET',
        pattern: new RegExp(`^/past_${plural}/([^/]+)/instances$`),
        category: 'light',
        handle: ({ params }) => {
          const entry = needEvent(kind, decodeURIComponent(params[1]!));
          if (isReply(entry)) return entry;
          return { status: 200, body: { [plural]: entry.instances } };
        },
      },
      ...webinarOnly(kind, {
        method: 'GET',
        pattern: /^\/past_webinars\/([^/]+)\/absentees$/,
        category: 'heavy',
        handle: ({ params, query }) => {
          const entry = endedEvent(kind, decodeURIComponent(decodeURIComponent(params[1]!)));
          if (isReply(entry)) return entry;
          // Derived once per state of the lists, not per page (a page of a 20,000-row list cost the whole list).
          let absent = entry.lists.get('absentees');
          if (!absent) {
            const attended = new Set(entry.participants.map((p) => p.registrant_id));
            absent = rt.account.listed(entry, 'approved', null).filter((r) => !attended.has(r.id));
            entry.lists.set('absentees', absent);
          }
          return pageOf(`absentees:${entry.event.id}`, query, absent, (r) => r.seq, 'registrants', publicRegistrant);
        },
      }),
      {
        method: 'GET',
        pattern: new RegExp(`^/past_${plural}/([^/]+)/participants$`),
        category: 'medium',
        handle: ({ params, query }) => {
          const entry = endedEvent(kind, decodeURIComponent(decodeURIComponent(params[1]!)));
          if (isReply(entry)) return entry;
          return pageOf(`past-participants:${kind}:${entry.event.id}`, query, entry.participants, (_p, i) => i + 1, 'participants');
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/report/${plural}/([^/]+)/participants$`),
        category: 'heavy',
        handle: ({ params, query }) => {
          const entry = endedEvent(kind, decodeURIComponent(decodeURIComponent(params[1]!)));
          if (isReply(entry)) return entry;
          // registrant_id only when asked for with include_fields (zoom-api.md §4).
          const withIds = query.get('include_fields')?.split(',').includes('registrant_id');
          return pageOf(
            `report-participants:${kind}:${entry.event.id}`,
            query,
            entry.participants,
            (_p, i) => i + 1,
            'participants',
            ({ registrant_id, ...rest }) => (withIds ? { ...rest, registrant_id } : rest),
          );
        },
      },
      ...(['qa', 'polls', 'survey'] as const).map((report): Route => ({
        method: 'GET',
        pattern: new RegExp(`^/report/${plural}/([^/]+)/${report}$`),
        category: 'heavy',
        handle: ({ params }) => {
          const entry = endedEvent(kind, decodeURIComponent(decodeURIComponent(params[1]!)));
          if (isReply(entry)) return entry;
          const base = { id: entry.event.id, uuid: entry.event.uuid, start_time: entry.event.start_time };
          if (report === 'qa') return { status: 200, body: { ...base, questions: entry.qa } };
          if (report === 'polls') return { status: 200, body: { ...base, questions: entry.polls } };
          // The meeting survey names its meeting as meeting_id/meeting_uuid (zoom-api.md §4.1a).
          const surveyBase = kind === 'meeting' ? { meeting_id: entry.event.id, meeting_uuid: entry.event.uuid, start_time: entry.event.start_time } : base;
          return { status: 200, body: { ...surveyBase, survey_answers: entry.survey } };
        },
      })),
    ];
  }

  function webinarOnly(kind: EventKind, route: Route): Route[] {
    return kind === 'webinar' ? [route] : [];
  }

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/users\/me$/,
      category: 'light',
      handle: () => ({ status: 200, body: { ...rt.account.users[0], account_id: rt.account.accountId } }),
    },
    {
      method: 'GET',
      pattern: /^\/users$/,
      category: 'medium',
      handle: ({ query }) => pageOf('users', query, rt.account.users, (_u, i) => i + 1, 'users'),
    },
    ...eventRoutes('webinar'),
    ...eventRoutes('meeting'),
  ];

  function issueToken(req: http.IncomingMessage, url: URL, rawBody: string): Reply {
    const form = new URLSearchParams(rawBody);
    const param = (name: string) => url.searchParams.get(name) ?? form.get(name);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (!basic) return { status: 400, body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client', code: 4706 } };
    const [clientId, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    if (param('grant_type') !== 'account_credentials') return { status: 400, body: { reason: 'Unsupported grant type', error: 'unsupported_grant_type', code: 4705 } };
    if (clientId !== SANDBOX_CLIENT_ID || secret !== rt.clientSecret || rt.faults.refuseCredentials)
      return { status: 401, body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client', code: 4702 } };
    if (param('account_id') !== rt.account.accountId) return { status: 400, body: { reason: 'Invalid account_id', error: 'invalid_request', code: 4700 } };
    const token = `sbx.${randomBytes(32).toString('base64url')}`;
    rt.tokens.set(token, rt.now() + rt.tokenTtlMs);
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: Math.round(rt.tokenTtlMs / 1000),
        scope: rt.scopes,
        api_url: `http://127.0.0.1:${rt.port}`,
      },
    };
  }

  return { routes, issueToken, addRegistration, occurrenceList, publicRegistrant };
}

export type ZoomApi = ReturnType<typeof zoomApi>;
