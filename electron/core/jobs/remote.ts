import { eventFields, type EventKind } from '../../../shared/events';
import { normaliseEmail } from '../../../shared/email';
import type { Residual } from '../../../shared/jobs';
import type { RequestDetail } from '../../../shared/requests';
import { observed } from '../documents/observations';
import type { ActionRow } from '../store/job-actions';
import type { ZoomClient } from '../zoom/client';
import { answered, ZoomApiError, ZoomDailyLimitReached } from '../zoom/errors';
import { REGISTRANT_STATUSES } from '../zoom/types';
import type { Journal, Observed } from './journal';

// The remote protocol of a job: cancel, delete and verify one registration on Zoom, and sweep a
// webinar's lists for the address. The rule that makes it safe to stop anywhere: a write (DELETE,
// status PUT) whose outcome is unknown (no reply, a 5xx, a time-out) stays 'intended' and is read
// back before anything is sent again; a read-back that fails leaves it 'intended'. What the
// journal records is what Zoom answered, to the call or to its read-back.

/** Stops a run: the job ends `partial` and the next run resumes. */
export class StopJob extends Error {
  constructor(
    readonly code: 'ZOOM_DAILY_LIMIT' | 'ZOOM_UNAVAILABLE' | 'ZOOM_REFUSED' | 'CANCELLED',
    message: string,
    readonly resumeAt: string | null = null,
    /** The error code of Zoom's refusal (ZOOM_AUTH_FAILED, ZOOM_NO_PERMISSION), where Zoom refused. */
    readonly zoomError: string | null = null,
  ) {
    super(message);
  }
}

/** What GET on a registration answered: held (listed or self-cancelled), or gone (3079, or its webinar: 3001). */
type Held = { found: true; status: string; httpStatus: number } | { found: false; webinarGone: boolean; observed: Observed };

/** Zoom answered nothing we can rely on: no reply, a time-out, a 5xx. A write may or may not have taken effect. */
function outcomeUnknown(error: unknown): error is ZoomApiError {
  return error instanceof ZoomApiError && !(error instanceof ZoomDailyLimitReached) && (error.httpStatus === null || error.httpStatus >= 500 || error.code === 'ZOOM_RATE_LIMITED');
}

/** Our own fault, not Zoom refusing this registration: the app lacks a scope or its credentials. */
function fixable(error: unknown): boolean {
  return error instanceof ZoomApiError && (error.code === 'ZOOM_NO_PERMISSION' || error.code === 'ZOOM_AUTH_FAILED');
}

/** What Zoom answered a call: its status and code, with an observation, or an error's own (English) message. */
const observedOf = (error: ZoomApiError, saw: ReturnType<typeof observed> | string | null = null): Observed =>
  typeof saw === 'string' || saw === null ? { httpStatus: error.httpStatus, zoomCode: error.zoomCode, message: saw } : { httpStatus: error.httpStatus, zoomCode: error.zoomCode, ...saw };

/** Attempts of one write in one run: the first, and one more after a read-back proved the first had no effect. */
const WRITE_ATTEMPTS = 2;

export interface RemoteContext {
  client: ZoomClient;
  /** The name of the Zoom account the client speaks for (named in what a refusal records). */
  account: string;
  journal: Journal;
  request: RequestDetail;
  /** Names a registration Zoom refused to erase in the processor request. */
  handOver(residual: Residual): void;
  /** Adds the steps of a registration the sweep found that the plan did not know. */
  /** `email`: the request's address (normalised) the registration was listed under. */
  addRegistration(kind: EventKind, eventId: string, registrantId: string, status: string, occurrenceId: string | null, email: string): void;
  /** Whether an event the journal names is a webinar or a meeting: the calls' paths differ. */
  kindOf(eventId: string): EventKind;
  /** Registrant IDs the journal already holds for a webinar. */
  knownRegistrants(webinarId: string): Set<string>;
}

export class RemoteProtocol {
  constructor(private readonly ctx: RemoteContext) {}

  async run(action: ActionRow): Promise<void> {
    try {
      switch (action.action) {
        case 'cancel':
          return await this.cancel(action);
        case 'delete':
          return await this.delete(action);
        case 'verify':
          return action.source === 'lists' ? await this.sweep(action) : await this.verify(action);
        default:
          throw new Error(`not a remote action: ${action.action}`);
      }
    } catch (error) {
      if (error instanceof ZoomDailyLimitReached) {
        // Refused before anything happened: the action waits for the next run.
        this.ctx.journal.record(action, 'pending', observedOf(error, error.message));
        throw new StopJob('ZOOM_DAILY_LIMIT', error.message, error.resumeAt.toISOString());
      }
      if (outcomeUnknown(error)) {
        if (action.state === 'intended') this.ctx.journal.unknown(action, `${error.message} The outcome is unknown: the next run reads Zoom back before sending anything again.`, observedOf(error));
        throw new StopJob('ZOOM_UNAVAILABLE', error.message);
      }
      if (error instanceof ZoomApiError && fixable(error)) {
        const message = `Zoom account "${this.ctx.account}": ${error.message}`;
        this.ctx.journal.record(action, 'failed', observedOf(error, message));
        throw new StopJob('ZOOM_REFUSED', message, null, error.code);
      }
      if (error instanceof ZoomApiError) return this.ctx.journal.record(action, 'failed', observedOf(error, error.message));
      throw error;
    }
  }

  private get erasing(): boolean {
    return this.ctx.request.type === 'erasure';
  }

  /** GET on the registration; errors other than "gone" propagate (and leave an intended write intended). */
  private async readBack(action: ActionRow): Promise<Held> {
    try {
      const { httpStatus, registrant } = await this.ctx.client.getRegistrant(this.ctx.kindOf(action.event_id), action.event_id, action.registrant_id!, action.occurrence_id ?? undefined);
      return { found: true, status: String(registrant.status), httpStatus };
    } catch (error) {
      if (error instanceof ZoomApiError && (error.code === 'ZOOM_REGISTRANT_NOT_FOUND' || error.code === 'ZOOM_WEBINAR_NOT_FOUND')) {
        return { found: false, webinarGone: error.code === 'ZOOM_WEBINAR_NOT_FOUND', observed: observedOf(error) };
      }
      throw error;
    }
  }

  private heldObserved(held: Held & { found: true }, saw: ReturnType<typeof observed>): Observed {
    return { httpStatus: held.httpStatus, zoomCode: null, ...saw };
  }

  /** Revokes a live registration (cancel, or deny while pending); Zoom then lists it as denied. */
  private async cancel(action: ActionRow): Promise<void> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      // Read first, always: a registration already denied or gone needs no cancel, each status
      // change counts against Zoom's 10 a day, and an earlier attempt may have reached Zoom.
      const held = await this.readBack(action);
      const earlier = action.state === 'intended';
      if (!held.found) return this.ctx.journal.record(action, earlier ? 'done' : 'skipped', { ...held.observed, ...observed(held.webinarGone ? 'webinarGone' : 'registrationGone') });
      if (held.status === 'denied') {
        return this.ctx.journal.record(action, earlier ? 'done' : 'skipped', this.heldObserved(held, observed(earlier ? 'cancelTookEffect' : 'alreadyDenied')));
      }
      if (held.status !== 'approved' && held.status !== 'pending') {
        return this.ctx.journal.record(action, 'skipped', this.heldObserved(held, observed('cancelledByRegistrant', { status: held.status })));
      }
      this.ctx.journal.intend(action, earlier ? 'Reading back finds it still live: the earlier cancel had no effect; sent again.' : null);
      try {
        const { httpStatus } = await this.ctx.client.updateRegistrantStatus(
          this.ctx.kindOf(action.event_id),
          action.event_id,
          held.status === 'pending' ? 'deny' : 'cancel',
          [{ id: action.registrant_id! }],
          action.occurrence_id ?? undefined,
        );
        return this.ctx.journal.record(action, 'done', { httpStatus, zoomCode: null, message: null });
      } catch (error) {
        if (!outcomeUnknown(error)) throw error;
        this.ctx.journal.unknown(action, `${error.message} Reading back.`, observedOf(error));
      }
    }
    throw new StopJob('ZOOM_UNAVAILABLE', `Zoom did not confirm the cancel of registrant ${action.registrant_id} in ${WRITE_ATTEMPTS} attempts; run the job again later.`);
  }

  private async delete(action: ActionRow): Promise<void> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      if (action.state === 'intended') {
        // An earlier attempt may have reached Zoom (its reply was lost): read back before sending again.
        const held = await this.readBack(action);
        if (!held.found)
          return this.gone(action, held, observed(held.webinarGone ? 'deleteTookEffectWebinar' : 'deleteTookEffect', { earlier: action.message ?? 'The earlier DELETE had no recorded answer.' }));
      }
      this.ctx.journal.intend(action);
      try {
        const { httpStatus } = await this.ctx.client.deleteRegistrant(this.ctx.kindOf(action.event_id), action.event_id, action.registrant_id!, action.occurrence_id ?? undefined);
        return this.ctx.journal.record(action, 'done', { httpStatus, zoomCode: null, message: null }, { deleted: true });
      } catch (error) {
        if (outcomeUnknown(error)) {
          this.ctx.journal.unknown(action, `DELETE: ${error.message}`, observedOf(error));
          continue; // the loop reads back first
        }
        if (error instanceof ZoomApiError && error.code === 'ZOOM_WEBINAR_NOT_FOUND') {
          return this.ctx.journal.record(action, 'done', observedOf(error, observed('deleteWebinarGone')), { deleted: true });
        }
        if (error instanceof ZoomApiError && !fixable(error)) {
          // "Not found" may be true, or Zoom may refuse a record GET still answers (a self-cancelled one).
          const held = await this.readBack(action);
          if (!held.found) return this.gone(action, held, observed('deleteRefusedGone', { answer: answered('DELETE', error) }));
          const reason = `${answered('DELETE', error)}: Zoom refused it and still holds the registration (status "${held.status}")`;
          this.ctx.handOver({ source: 'registrant', ...eventFields(this.ctx.kindOf(action.event_id), action.event_id), registrant_id: action.registrant_id!, records: 1, reason });
          return this.ctx.journal.record(action, 'failed', observedOf(error, observed('deleteRefusedHeld', { answer: answered('DELETE', error), status: held.status })));
        }
        throw error;
      }
    }
    throw new StopJob('ZOOM_UNAVAILABLE', `Zoom did not confirm the delete of registrant ${action.registrant_id} in ${WRITE_ATTEMPTS} attempts; run the job again later.`);
  }

  private gone(action: ActionRow, held: Held & { found: false }, saw: ReturnType<typeof observed>): void {
    this.ctx.journal.record(action, 'done', { ...held.observed, ...saw }, { deleted: true });
  }

  /** Reads the registration back: gone (erasure), or no longer live (restriction). */
  private async verify(action: ActionRow): Promise<void> {
    const held = await this.readBack(action);
    if (held.found) {
      const acceptable = !this.erasing && held.status !== 'approved' && held.status !== 'pending';
      if (acceptable) return this.ctx.journal.record(action, 'done', this.heldObserved(held, observed('heldNotLive', { status: held.status })));
      return this.ctx.journal.record(action, 'failed', this.heldObserved(held, observed(this.erasing ? 'stillHeldHandedOver' : 'stillHeld', { status: held.status })));
    }
    return this.ctx.journal.record(action, 'done', { ...held.observed, ...observed(held.webinarGone ? 'verifiedGoneWithWebinar' : 'verifiedGone') });
  }

  /**
   * Sweeps a webinar's three lists (of one occurrence) for the request's addresses: a registration the plan
   * didn't know (made after the plan's sync) joins the job; one the job handled must be gone, or
   * for a restriction no longer live.
   */
  private async sweep(action: ActionRow): Promise<void> {
    // Every address of the person at once: one pass over the lists, not one per address.
    const wanted = new Set(this.ctx.request.emails.map(normaliseEmail));
    const known = this.ctx.knownRegistrants(action.event_id);
    const added: string[] = [];
    const stillListed: string[] = [];
    let pages = 0;
    let httpStatus: number | null = null;
    try {
      for (const status of REGISTRANT_STATUSES) {
        for await (const page of this.ctx.client.listRegistrants(this.ctx.kindOf(action.event_id), action.event_id, status, action.occurrence_id ?? undefined)) {
          pages++;
          httpStatus = page.httpStatus;
          for (const r of page.items) {
            const email = normaliseEmail(r.email);
            if (!wanted.has(email)) continue;
            if (!known.has(r.id)) {
              this.ctx.addRegistration(this.ctx.kindOf(action.event_id), action.event_id, r.id, r.status, action.occurrence_id, email);
              known.add(r.id);
              added.push(r.id);
            } else if (this.erasing || status !== 'denied') stillListed.push(`${r.id} (${status})`);
          }
        }
      }
    } catch (error) {
      if (error instanceof ZoomApiError && error.code === 'ZOOM_WEBINAR_NOT_FOUND') {
        return this.ctx.journal.record(action, 'done', observedOf(error, observed('listsWebinarGone')));
      }
      throw error;
    }
    const listed = { httpStatus, zoomCode: null };
    if (added.length > 0) return this.ctx.journal.record(action, 'done', { ...listed, ...observed('listsFound', { count: added.length, ids: added.join(', ') }) });
    if (stillListed.length > 0) return this.ctx.journal.record(action, 'failed', { ...listed, ...observed('listsStillHold', { ids: stillListed.join(', ') }) });
    return this.ctx.journal.record(action, 'done', { ...listed, ...observed('listsClear', { count: pages }) });
  }
}
