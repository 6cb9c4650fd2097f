import type { ZoomPlan } from '../../../shared/settings';
import { REGISTRANT_STATUSES, type RegistrantStatus } from '../zoom/types';
import type { ZoomApi } from './api';
import { makePerson } from './people';
import { eventMissing, zoomError, type Reply, type SandboxRuntime } from './runtime';
import { addAttendance, eventIdOffset, makeEvent, registerPerson, seedAccount, SEEDS, type SeedName } from './seed';
import type { SandboxEvent } from './state';

// The control endpoints under /_sandbox/ (not part of Zoom): tests and the demo seed data, act as
// a registrant or a host outside the app, inject faults, move the clock and read the request log.

export function controlEndpoints(rt: SandboxRuntime, { addRegistration, occurrenceList, publicRegistrant }: ZoomApi) {
  function control(method: string, path: string, body: Record<string, unknown>): Reply {
    // A control call names its event as `webinar_id` or `meeting_id`
    // (`event_id` names either kind: the sandbox's IDs of the two never overlap.)
    const kindOf = (b: Record<string, unknown>) => (b.meeting_id !== undefined || (b.event_id !== undefined && rt.account.findEvent('meeting', String(b.event_id))) ? 'meeting' : 'webinar');
    const idOf = (b: Record<string, unknown>) => String(b.meeting_id ?? b.webinar_id ?? b.event_id);
    const entryOf = (b: Record<string, unknown>) => rt.account.findEvent(kindOf(b), idOf(b));
    const missing = (b: Record<string, unknown>) => eventMissing(kindOf(b), idOf(b));
    const registrantOf = (entry: SandboxEvent, b: Record<string, unknown>) =>
      typeof b.registrant_id === 'string' ? entry.registrants.get(b.registrant_id) : typeof b.email === 'string' ? rt.account.registrantByEmail(entry, b.email) : undefined;
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /_sandbox/info':
        return { status: 200, body: { ...rt.info(), plan: rt.plan, seed: rt.seedName } };
      case 'POST /_sandbox/seed': {
        const seed = body.seed as SeedName;
        if (!SEEDS.includes(seed)) return { status: 400, body: { message: `seed must be one of ${SEEDS.join(', ')}` } };
        rt.seedName = seed;
        rt.adopt(
          seedAccount(seed, {
            rngSeed: typeof body.rng_seed === 'number' ? body.rng_seed : rt.options.rngSeed,
            webinars: typeof body.webinars === 'number' ? body.webinars : undefined,
            meetings: typeof body.meetings === 'number' ? body.meetings : undefined,
            registrants: typeof body.registrants === 'number' ? body.registrants : undefined,
            accountId: rt.account.accountId,
          }),
        );
        // A new account: its daily counts (account-wide and per registrant) start again too.
        rt.pageTokens.clear();
        rt.dailyCounts.clear();
        rt.registrantCounts.clear();
        return { status: 200, body: summary() };
      }
      case 'POST /_sandbox/webinars':
      case 'POST /_sandbox/meetings': {
        const kind = path.endsWith('meetings') ? 'meeting' : 'webinar';
        const counts = (body.registrants ?? {}) as Partial<Record<RegistrantStatus, number>>;
        const id = eventIdOffset(rt.account.accountId) + (kind === 'webinar' ? 83_000_000_000 : 84_000_000_000) + rt.account.eventsOf(kind).size;
        const entry = makeEvent(rt.account, kind, {
          id,
          topic: typeof body.topic === 'string' ? body.topic : `Test ${kind} ${id}`,
          hostId: rt.account.users[0]!.id,
          startMs: rt.now() + (body.ended ? -2 : typeof body.days_ahead === 'number' ? body.days_ahead : 10) * 86_400_000,
          occurrences: typeof body.occurrences === 'number' ? body.occurrences : 0,
          approval: body.approval === 1 ? 1 : body.approval === 2 ? 2 : 0,
          ended: Boolean(body.ended),
        });
        // 2 and 3: attendees register per occurrence (1, the default: once for all of them).
        if (body.registration_type === 2 || body.registration_type === 3) entry.event.settings.registration_type = body.registration_type;
        let n = (rt.account.webinars.size + rt.account.meetings.size) * 1_000_000;
        for (const status of REGISTRANT_STATUSES) {
          for (let i = 0; i < (counts[status] ?? 0); i++) registerPerson(rt.account, entry, makePerson(rt.account.random, ++n), status, rt.now() - 86_400_000);
        }
        return { status: 201, body: { id } };
      }
      case 'POST /_sandbox/hold': {
        // The event's session takes place as scheduled (move the clock past it first): it ends an
        // hour after its start, its approved registrants attend, and its reports appear.
        const entry = entryOf(body);
        if (!entry) return missing(body);
        if (entry.endedAt || entry.event.occurrences?.length) return { status: 400, body: { message: 'only a single-session event that has not ended can be held' } };
        entry.endedAt = new Date(Date.parse(entry.event.start_time!) + (entry.event.duration ?? 60) * 60_000).toISOString();
        entry.instances.push({ uuid: entry.event.uuid, start_time: entry.event.start_time! });
        addAttendance(rt.account, entry, rt.account.listed(entry, 'approved', null));
        return { status: 200, body: { ended_at: entry.endedAt, participants: entry.participants.length } };
      }
      case 'GET /_sandbox/registrants': {
        const entry = entryOf(body);
        if (!entry) return missing(body);
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
        const entry = entryOf(body);
        if (!entry) return missing(body);
        const registrant = registrantOf(entry, body);
        if (!registrant) return zoomError(400, 3079, 'This registrant does not exist.');
        if (path.endsWith('self-cancel')) rt.account.selfCancel(entry, registrant);
        else if (['approve', 'deny', 'cancel'].includes(body.action as string)) rt.account.applyStatus(entry, registrant, body.action as 'approve');
        else return { status: 400, body: { message: 'action must be approve, deny or cancel' } };
        return { status: 200, body: { registrant_id: registrant.id, status: path.endsWith('self-cancel') ? null : registrant.status } };
      }
      case 'POST /_sandbox/register': {
        const entry = entryOf(body);
        if (!entry) return missing(body);
        return addRegistration(entry, body, occurrenceList(body.occurrence_ids));
      }
      case 'POST /_sandbox/faults': {
        if (body.clear) {
          rt.faults.stormRemaining = 0;
          rt.faults.failAt.clear();
          rt.faults.dropAt.clear();
          rt.faults.slowMs = 0;
          rt.faults.exhausted.clear();
          rt.faults.lostReplies.length = 0;
          rt.faults.hiddenInLists.clear();
          rt.faults.refuseCredentials = false;
          rt.faults.eventDelayMs = 0;
        }
        const hide = body.hide_in_lists as { registrant_id?: unknown; list_calls?: number } | undefined;
        if (hide && typeof hide.registrant_id === 'string') rt.faults.hiddenInLists.set(hide.registrant_id, hide.list_calls ?? 3);
        // The next `count` DELETE or status PUT calls (registrant writes) take effect, then lose their reply.
        const lose = body.lose_replies as { method?: string; count?: number; as?: unknown } | undefined;
        if (lose) {
          if (lose.method !== 'DELETE' && lose.method !== 'PUT') return { status: 400, body: { message: 'lose_replies.method must be DELETE or PUT' } };
          for (let i = 0; i < (lose.count ?? 1); i++) rt.faults.lostReplies.push({ method: lose.method, as: lose.as === 'drop' ? 'drop' : 500 });
        }
        const storm = body.rate_limit_storm as { count?: number; retry_after_ms?: number } | undefined;
        if (storm) {
          rt.faults.stormRemaining = storm.count ?? 10;
          rt.faults.stormRetryAfterMs = storm.retry_after_ms ?? 1000;
        }
        const fail = body.fail_calls as { nth?: number; status?: number; count?: number } | undefined;
        if (fail) for (let i = 0; i < (fail.count ?? 1); i++) rt.faults.failAt.set(rt.apiCalls + (fail.nth ?? 1) + i, fail.status ?? 500);
        const drop = body.drop_calls as { nth?: number; count?: number } | undefined;
        if (drop) for (let i = 0; i < (drop.count ?? 1); i++) rt.faults.dropAt.add(rt.apiCalls + (drop.nth ?? 1) + i);
        if (typeof body.slow_ms === 'number') rt.faults.slowMs = body.slow_ms;
        if (body.revoke_tokens) rt.tokens.clear();
        if (typeof body.exhaust_daily === 'string') rt.faults.exhausted.add(body.exhaust_daily);
        if (typeof body.token_ttl_seconds === 'number') rt.tokenTtlMs = body.token_ttl_seconds * 1000;
        if (typeof body.refuse_credentials === 'boolean') rt.faults.refuseCredentials = body.refuse_credentials;
        if (typeof body.event_delay_ms === 'number') rt.faults.eventDelayMs = body.event_delay_ms;
        return { status: 200, body: { api_calls: rt.apiCalls } };
      }
      case 'POST /_sandbox/latency':
        // Not a fault, so `faults: clear` leaves it: how long Zoom takes to answer each page of a list.
        if (typeof body.page_ms !== 'number' || body.page_ms < 0) return { status: 400, body: { message: 'page_ms must be a number of milliseconds, 0 or more' } };
        rt.pageLatencyMs = body.page_ms;
        return { status: 200, body: { page_ms: rt.pageLatencyMs } };
      case 'GET /_sandbox/events':
        return { status: 200, body: { connections: rt.eventSockets.size, sent: rt.eventsSent } };
      case 'POST /_sandbox/events': {
        // Drops every event socket at once, as a network failure would: no close frame, no reason.
        const dropped = body.drop === true ? rt.eventSockets.size : 0;
        if (body.drop === true) for (const socket of rt.eventSockets) socket.terminate();
        return { status: 200, body: { dropped } };
      }
      case 'POST /_sandbox/clock':
        rt.clockOffsetMs += typeof body.advance_ms === 'number' ? body.advance_ms : 0;
        return { status: 200, body: { now: new Date(rt.now()).toISOString() } };
      case 'POST /_sandbox/behaviour':
        if (typeof body.deleted_email_can_reregister === 'boolean') rt.account.behaviour.deletedEmailCanReregister = body.deleted_email_can_reregister;
        if (typeof body.self_cancelled_deletable === 'boolean') rt.account.behaviour.selfCancelledDeletable = body.self_cancelled_deletable;
        if (typeof body.self_cancelled_meeting_answers_all === 'boolean') rt.account.behaviour.selfCancelledMeetingAnswersAll = body.self_cancelled_meeting_answers_all;
        if (typeof body.scheduled_meetings_include_ended === 'boolean') rt.account.behaviour.scheduledMeetingsIncludeEnded = body.scheduled_meetings_include_ended;
        if (typeof body.previous_meetings_listed === 'boolean') rt.account.behaviour.previousMeetingsListed = body.previous_meetings_listed;
        return { status: 200, body: rt.account.behaviour };
      case 'POST /_sandbox/scopes':
        if (typeof body.scope !== 'string') return { status: 400, body: { message: 'scope must be one space-separated string of scope names' } };
        rt.scopes = body.scope;
        return { status: 200, body: { scope: rt.scopes } };
      case 'POST /_sandbox/plan':
        if (!['free', 'pro', 'business'].includes(body.plan as string)) return { status: 400, body: { message: 'plan must be free, pro or business' } };
        rt.plan = body.plan as ZoomPlan;
        return { status: 200, body: { plan: rt.plan } };
      case 'GET /_sandbox/requests':
        return { status: 200, body: { requests: rt.requestLog } };
      case 'DELETE /_sandbox/requests':
        rt.requestLog.length = 0;
        return { status: 200, body: {} };
      default:
        return { status: 404, body: { message: `no sandbox control endpoint ${key}` } };
    }
  }

  function summary() {
    let registrants = 0;
    for (const entry of rt.account.allEvents()) registrants += entry.registrants.size;
    return { seed: rt.seedName, webinars: rt.account.webinars.size, meetings: rt.account.meetings.size, registrants };
  }

  return control;
}
