import { z } from 'zod';
import { isListedStatus, listedIn, type ChangeKind, type ListedStatus } from '../../../shared/changes';
import { jobActedOnRegistration } from '../store/job-actions';
import { createLogger } from '../log';
import type { Db } from '../store/database';
import { MirrorWriter } from '../store/mirror-writer';
import { REGISTRANT_PERSONAL_FIELDS } from '../store/registrants';
import type { SuppressionList } from '../store/suppression';
import { readBackRegistrant } from '../sync/read-back';
import type { ZoomClient } from '../zoom/client';
import { answered, ZoomApiError } from '../zoom/errors';
import type { ZoomRegistrant } from '../zoom/types';
import type { EventFields, EventKind } from '../../../shared/events';
import { withEventFields } from '../store/event-kinds';

// Applies one Zoom event to the mirror through the same writer (and so the same classifier and
// suppression) as a sync: a registration created, approved, denied or cancelled, or a webinar or
// meeting deleted (zoom-api.md §5.1, §4.1a). A cancel is the same event for a host's cancel and the registrant's
// own, so it is classified by one GET on the registrant, the read-back a sync makes.
// Events carry personal data: nothing of an event's content is logged.

const log = createLogger('live');

/** One change as `watch --json` prints it. */
export interface LiveChange extends EventFields {
  registrant_id: string;
  kind: ChangeKind;
  observed_at: string;
  via: 'event' | 'reconcile';
}

const EventRegistrant = z.looseObject({ id: z.string().min(1), email: z.string().default(''), first_name: z.string().default(''), status: z.string().optional() });
const ZoomEvent = z.object({
  event: z.string(),
  event_ts: z.number(),
  payload: z.looseObject({ object: z.looseObject({ id: z.union([z.number(), z.string()]), occurrences: z.array(z.unknown()).optional(), registrant: EventRegistrant.optional() }) }),
});
type ZoomEvent = z.infer<typeof ZoomEvent>;

const REGISTRATION_STATUS: Record<string, ListedStatus | 'by_approval' | 'cancelled'> = {
  registration_created: 'by_approval',
  registration_approved: 'approved',
  registration_denied: 'denied',
  registration_cancelled: 'cancelled',
};

/** `webinar.registration_created` -> webinar, registration_created; meetings send the same names (§4.1a). */
function eventName(name: string): { kind: EventKind; action: string } | null {
  const match = /^(webinar|meeting)\.(.+)$/.exec(name);
  return match ? { kind: match[1] as EventKind, action: match[2]! } : null;
}

/** Changes as `watch` prints them, from the rows `where` picks (over `registrant_changes c`), in the order recorded. */
export function recordedChanges(db: Db, via: LiveChange['via'], where: string, ...params: (string | number)[]): LiveChange[] {
  const rows = db
    .prepare(`SELECT c.event_id, r.registrant_id, c.kind, c.observed_at FROM registrant_changes c JOIN registrants r ON r.id = c.registrant_row WHERE ${where} ORDER BY c.id`)
    .all(...params) as (Omit<LiveChange, 'via' | keyof EventFields> & { event_id: string })[];
  return rows.map((row) => ({ ...withEventFields(db, row), via }));
}

export interface ApplierDeps {
  db: Db;
  client: () => Promise<ZoomClient>;
  suppression: () => Promise<SuppressionList>;
  now: () => Date;
}

export class EventApplier {
  /** One writer for every event: its statements are prepared once, not per event (a watch runs for days). */
  private mirrorWriter: MirrorWriter | null = null;

  constructor(private readonly deps: ApplierDeps) {}

  /** The changes one event made (none for an event that changes nothing, or that is not about registrations). */
  async apply(content: string): Promise<LiveChange[]> {
    let parsed: ZoomEvent;
    try {
      parsed = ZoomEvent.parse(JSON.parse(content));
    } catch {
      log.warn('an event that is not a Zoom event was ignored');
      return [];
    }
    const { db } = this.deps;
    const webinarId = String(parsed.payload.object.id);
    const name = eventName(parsed.event);
    if (!name) {
      log.info('event not about webinars or meetings; ignored', { event: parsed.event });
      return [];
    }
    const before = db.prepare('SELECT coalesce(max(id), 0) FROM registrant_changes').pluck().get() as number;
    const applied = name.action === 'deleted' ? await this.webinarDeleted(parsed, name.kind, webinarId) : await this.registration(parsed, name, webinarId);
    if (!applied) return [];
    const changes = recordedChanges(db, 'event', `c.id > ? AND c.via = 'event' AND c.event_id = ?`, before, webinarId);
    log.info('event applied', { event: parsed.event, id: webinarId, changes: changes.length });
    return changes;
  }

  private async writer(): Promise<MirrorWriter> {
    this.mirrorWriter ??= new MirrorWriter(this.deps.db, await this.deps.suppression());
    return this.mirrorWriter;
  }

  private async registration(event: ZoomEvent, name: { kind: EventKind; action: string }, webinarId: string): Promise<boolean> {
    const { kind } = name;
    const meaning = REGISTRATION_STATUS[name.action];
    const registrant = event.payload.object.registrant;
    if (!meaning || !registrant) {
      log.info('event not about registrations; ignored', { event: event.event });
      return false;
    }
    if (jobActedOnRegistration(this.deps.db, webinarId, registrant.id)) {
      // The echo of an erasure job's own cancel (or one overtaken by it): the job records and verifies
      // what happens to this registration; an event must not record it as a host's cancel.
      log.info('event about a registration an erasure job is acting on; the job records it', { event: event.event, id: webinarId });
      return false;
    }
    const approvalType = await this.knownEvent(kind, webinarId);
    if (approvalType === undefined) return false;
    const writer = await this.writer();
    const at = this.deps.now().toISOString();
    const heard = `observed live: Zoom sent ${event.event} at ${new Date(event.event_ts).toISOString()}`;
    // Without a status, a registration is approved at once unless the webinar asks for approval.
    const byApproval: ListedStatus = approvalType === 1 ? 'pending' : 'approved';
    const store = (status: ListedStatus, evidence: string) =>
      writer.ingestRegistrants(webinarId, [{ items: [asRegistrant(registrant, status, event.event_ts)], occurrenceId: null }], null, at, true, evidence);

    if (meaning !== 'cancelled') {
      const listed = isListedStatus(registrant.status) ? registrant.status : byApproval;
      store(meaning === 'by_approval' ? listed : meaning, heard);
      return true;
    }
    // Host cancel (now denied) or the registrant's own (in no list, GET answers "all"): one GET says which.
    const outcome = await readBackRegistrant(await this.deps.client(), kind, webinarId, registrant.id);
    const evidence = `${heard}; ${outcome.evidence}`;
    const listedAs = listedIn(outcome.readBack);
    if (listedAs) {
      store(listedAs, evidence);
      return true;
    }
    // Registered and cancelled between two syncs: first known now, still held by Zoom. Its status
    // before the cancel is inferred from the webinar's approval type, and the record says so.
    const known = this.deps.db.prepare('SELECT 1 FROM registrants WHERE event_id = ? AND registrant_id = ?').get(webinarId, registrant.id);
    if (!known) store(byApproval, `${heard}; first known from this event, its status before the cancel inferred from the webinar's approval type`);
    writer.recordLiveAbsence(webinarId, registrant.id, { ...outcome, evidence }, at);
    return true;
  }

  private async webinarDeleted(event: ZoomEvent, kind: EventKind, webinarId: string): Promise<boolean> {
    // An occurrence deleted leaves the webinar; the next sync reads what remains.
    if (event.payload.object.occurrences?.length) return false;
    const known = this.deps.db.prepare('SELECT 1 FROM events WHERE id = ? AND deleted_at IS NULL').get(webinarId);
    if (!known) return false;
    try {
      await (await this.deps.client()).getEvent(kind, webinarId);
      return false; // still there (restored from the trash, or the event was about something else)
    } catch (error) {
      if (!(error instanceof ZoomApiError) || error.code !== 'ZOOM_WEBINAR_NOT_FOUND') throw error;
      const evidence = `observed live: Zoom sent ${event.event} at ${new Date(event.event_ts).toISOString()}; ${answered(`GET ${kind}`, error)}`;
      (await this.writer()).markWebinarDeleted(webinarId, null, this.deps.now().toISOString(), evidence);
      return true;
    }
  }

  /** The event's approval type, reading an event the mirror doesn't know yet; undefined when Zoom no longer has it. */
  private async knownEvent(kind: EventKind, webinarId: string): Promise<number | undefined> {
    const row = this.deps.db.prepare('SELECT approval_type FROM events WHERE id = ?').get(webinarId) as { approval_type: number | null } | undefined;
    if (row?.approval_type != null) return row.approval_type;
    try {
      const webinar = await (await this.deps.client()).getEvent(kind, webinarId);
      (await this.writer()).saveEventDetails(kind, webinar, this.deps.now().toISOString());
      return webinar.settings.approval_type;
    } catch (error) {
      if (error instanceof ZoomApiError && error.code === 'ZOOM_WEBINAR_NOT_FOUND') return undefined;
      throw error;
    }
  }
}

/** The registrant fields an event carries, as a list would give them (strings only; the rest is not kept). */
function asRegistrant(fields: z.infer<typeof EventRegistrant>, status: ListedStatus, eventTs: number): ZoomRegistrant {
  const registrant: Record<string, unknown> = { id: fields.id, email: fields.email, first_name: fields.first_name, status, create_time: new Date(eventTs).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  for (const field of REGISTRANT_PERSONAL_FIELDS) {
    const value = (fields as Record<string, unknown>)[field];
    if (typeof value === 'string' || (field === 'custom_questions' && Array.isArray(value))) registrant[field] = value;
  }
  return registrant as unknown as ZoomRegistrant;
}
