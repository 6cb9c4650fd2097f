import type { RegistrantStatus, ZoomPanelist, ZoomParticipant, ZoomPastInstance, ZoomPollEntry, ZoomQaEntry, ZoomRegistrant, ZoomSurveyEntry, ZoomUser, ZoomEvent } from '../zoom/types';
import type { EventKind } from '../../../shared/events';
import { normaliseEmail } from '../../../shared/email';
import type { SeededRandom } from './random';

// The sandbox's account: what Zoom holds, including the states its API never shows (a
// registrant who cancelled themselves, one deleted by the API) and the per-event list of
// blocked addresses that a host cancel or deny leaves behind (zoom-api.md §7, §9).

export interface SandboxRegistrant extends ZoomRegistrant {
  /** Creation order: the stable key the list endpoint pages by. */
  seq: number;
  /** Occurrences registered for; null means all of the webinar's. */
  occurrence_ids: string[] | null;
}

export type GoneReason = 'self_cancelled' | 'deleted';

/** A webinar or a meeting that takes registration: Zoom treats their registrants alike (zoom-api.md §4.1). */
export interface SandboxEvent {
  kind: EventKind;
  event: ZoomEvent;
  /** When the (last) session ended; null while upcoming. */
  endedAt: string | null;
  registrants: Map<string, SandboxRegistrant>;
  /** Each status list (per occurrence), and the absentees, as last computed; emptied by every change to who is listed how. */
  lists: Map<string, SandboxRegistrant[]>;
  /** Registrants that no status list returns any more, and why. */
  gone: Map<string, { registrant: SandboxRegistrant; reason: GoneReason }>;
  /** Normalised addresses that can't register again (host cancel / deny; delete when so configured). */
  blocked: Set<string>;
  instances: ZoomPastInstance[];
  participants: ZoomParticipant[];
  qa: ZoomQaEntry[];
  polls: ZoomPollEntry[];
  survey: ZoomSurveyEntry[];
  panelists: ZoomPanelist[];
}

export interface SandboxBehaviour {
  /** Zoom's behaviour here is unverified (zoom-api.md §3.6): whether a deleted address may register again. */
  deletedEmailCanReregister: boolean;
  /**
   * Whether DELETE removes a registrant who cancelled themselves (zoom-api.md §7: unverified). When
   * false, Zoom answers "not found" while GET still answers the record: the erasure's hard case.
   */
  selfCancelledDeletable: boolean;
  /**
   * Whether GET on a meeting registrant who cancelled themselves answers `status: "all"` as for
   * webinars (zoom-api.md §4.1a: unverified for meetings). When false it answers as for a deleted one.
   */
  selfCancelledMeetingAnswersAll: boolean;
  /** Whether a user's `scheduled` meeting list still shows meetings that have ended (unverified, §4.1a). */
  scheduledMeetingsIncludeEnded: boolean;
  /** Whether the meeting list knows `type=previous_meetings` (an API without it answers 400). */
  previousMeetingsListed: boolean;
}

/** A change Zoom would announce with an event (zoom-api.md §5.1): the sandbox's event socket sends it. */
export type SandboxChange =
  | { kind: 'registration_created' | 'registration_approved' | 'registration_denied'; entry: SandboxEvent; registrant: SandboxRegistrant }
  | { kind: 'registration_cancelled'; entry: SandboxEvent; registrant: SandboxRegistrant; by: 'host' | 'registrant' }
  | { kind: 'event_deleted'; entry: SandboxEvent };

export class SandboxAccount {
  readonly accountId: string;
  users: ZoomUser[] = [];
  webinars = new Map<number, SandboxEvent>();
  meetings = new Map<number, SandboxEvent>();
  behaviour: SandboxBehaviour = {
    deletedEmailCanReregister: true,
    selfCancelledDeletable: true,
    selfCancelledMeetingAnswersAll: true,
    scheduledMeetingsIncludeEnded: true,
    previousMeetingsListed: true,
  };
  /** Hears every change Zoom would send an event for (set by the runtime; seeding happens before). */
  onChange: ((change: SandboxChange) => void) | null = null;
  private nextSeq = 1;

  constructor(
    readonly random: SeededRandom,
    accountId: string,
  ) {
    this.accountId = accountId;
  }

  eventsOf(kind: EventKind): Map<number, SandboxEvent> {
    return kind === 'webinar' ? this.webinars : this.meetings;
  }

  /** Every event of both kinds. */
  allEvents(): SandboxEvent[] {
    return [...this.webinars.values(), ...this.meetings.values()];
  }

  /** An event by numeric ID or by one of its instance UUIDs (past/report endpoints take both). */
  findEvent(kind: EventKind, ref: string): SandboxEvent | undefined {
    const events = this.eventsOf(kind);
    if (/^\d+$/.test(ref)) return events.get(Number(ref));
    for (const entry of events.values()) {
      if (entry.event.uuid === ref || entry.instances.some((instance) => instance.uuid === ref)) return entry;
    }
    return undefined;
  }

  addEvent(kind: EventKind, event: ZoomEvent, endedAt: string | null): SandboxEvent {
    const entry: SandboxEvent = {
      kind,
      event,
      endedAt,
      registrants: new Map(),
      lists: new Map(),
      gone: new Map(),
      blocked: new Set(),
      instances: endedAt ? [{ uuid: event.uuid, start_time: event.start_time ?? endedAt }] : [],
      participants: [],
      qa: [],
      polls: [],
      survey: [],
      panelists: [],
    };
    this.eventsOf(kind).set(event.id, entry);
    return entry;
  }

  /** Adds a registration as Zoom would create it; the status follows the webinar's approval type. */
  register(
    entry: SandboxEvent,
    fields: Omit<ZoomRegistrant, 'id' | 'status' | 'create_time' | 'join_url'>,
    options: { status?: RegistrantStatus; createTime?: string; occurrenceIds?: string[] | null } = {},
  ): SandboxRegistrant {
    const id = this.random.id();
    const status = options.status ?? (entry.event.settings.approval_type === 1 ? 'pending' : 'approved');
    const registrant: SandboxRegistrant = {
      ...fields,
      id,
      status,
      create_time: options.createTime ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      join_url: status === 'approved' ? this.joinUrl(entry) : '',
      // Meeting registrants carry a PIN for joining by phone (zoom-api.md §4.1).
      ...(entry.kind === 'meeting' ? { participant_pin_code: this.random.int(900_000) + 100_000 } : {}),
      seq: this.nextSeq++,
      occurrence_ids: options.occurrenceIds ?? null,
    };
    entry.registrants.set(id, registrant);
    entry.lists.clear();
    this.onChange?.({ kind: 'registration_created', entry, registrant });
    return registrant;
  }

  /**
   * The registrants a status list returns, in creation order. Kept between calls: paging 100,000
   * registrants filtered the whole webinar for every page (~60 ms a page), where Zoom answers in a few.
   */
  listed(entry: SandboxEvent, status: RegistrantStatus, occurrenceId: string | null): SandboxRegistrant[] {
    const key = `${status}:${occurrenceId ?? ''}`;
    let list = entry.lists.get(key);
    if (!list) {
      list = [];
      for (const r of entry.registrants.values()) {
        if (r.status === status && (occurrenceId === null || r.occurrence_ids === null || r.occurrence_ids.includes(occurrenceId))) list.push(r);
      }
      entry.lists.set(key, list);
    }
    return list;
  }

  private joinUrl(entry: SandboxEvent): string {
    return `https://sandbox.zoom.example/${entry.kind === 'webinar' ? 'w' : 'j'}/${entry.event.id}?tk=${this.random.id(32)}`;
  }

  /** The visible registrant with this address, if any. */
  registrantByEmail(entry: SandboxEvent, email: string): SandboxRegistrant | undefined {
    const wanted = normaliseEmail(email);
    for (const registrant of entry.registrants.values()) if (normaliseEmail(registrant.email) === wanted) return registrant;
    return undefined;
  }

  /** Host or API status change. cancel and deny both end in `denied` and block the address. */
  applyStatus(entry: SandboxEvent, registrant: SandboxRegistrant, action: 'approve' | 'deny' | 'cancel'): void {
    const email = normaliseEmail(registrant.email);
    entry.lists.clear();
    if (action === 'approve') {
      registrant.status = 'approved';
      registrant.join_url ||= this.joinUrl(entry);
      entry.blocked.delete(email);
      this.onChange?.({ kind: 'registration_approved', entry, registrant });
      return;
    }
    registrant.status = 'denied';
    registrant.join_url = '';
    entry.blocked.add(email);
    // Zoom sends "cancelled" for a host's cancel, the same event as for the registrant's own (zoom-api.md §5.1).
    this.onChange?.(action === 'cancel' ? { kind: 'registration_cancelled', entry, registrant, by: 'host' } : { kind: 'registration_denied', entry, registrant });
  }

  /**
   * The registrant cancels through the link in their email: gone from every list, address free,
   * but Zoom keeps the record: GET on it still answers, with `status: "all"` (zoom-api.md §3.2, §7).
   */
  selfCancel(entry: SandboxEvent, registrant: SandboxRegistrant): void {
    entry.registrants.delete(registrant.id);
    entry.lists.clear();
    entry.gone.set(registrant.id, { registrant, reason: 'self_cancelled' });
    this.onChange?.({ kind: 'registration_cancelled', entry, registrant, by: 'registrant' });
  }

  /** A registrant Zoom still holds and answers on GET: listed, or self-cancelled (kept, in no list). */
  heldRegistrant(entry: SandboxEvent, id: string): { registrant: SandboxRegistrant; listed: boolean } | undefined {
    const listed = entry.registrants.get(id);
    if (listed) return { registrant: listed, listed: true };
    const gone = entry.gone.get(id);
    return gone?.reason === 'self_cancelled' ? { registrant: gone.registrant, listed: false } : undefined;
  }

  /** DELETE /registrants/{id}: the record is gone for good (GET then answers 3079). */
  deleteRegistrant(entry: SandboxEvent, registrant: SandboxRegistrant): void {
    entry.registrants.delete(registrant.id);
    entry.lists.clear();
    entry.gone.set(registrant.id, { registrant, reason: 'deleted' });
    if (!this.behaviour.deletedEmailCanReregister) entry.blocked.add(normaliseEmail(registrant.email));
    // Whether Zoom sends an event for a DELETE is unverified (zoom-api.md §5.1): the sandbox sends none.
  }

  /** DELETE /webinars|meetings/{id}: the event and its registrations are gone from the API. */
  deleteEvent(entry: SandboxEvent): void {
    this.eventsOf(entry.kind).delete(entry.event.id);
    this.onChange?.({ kind: 'event_deleted', entry });
  }
}
