import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
import type { Db } from '../store/database';
import { keptCurrentByEvents } from '../store/live-coverage';
import type { ZoomClient } from '../zoom/client';
import { ZoomApiError } from '../zoom/errors';
import { eventFields, type EventKind } from '../../../shared/events';
import type { SyncWarning } from '../../../shared/mirror';
import { REPORTS_SETTLE_MS, type DiscoveredEvents, type ListedEvent, type RememberedEvent } from './plan';
import type { AsyncWriter } from './writer-thread';

// The first step of a whole-account sync: list the account's events into the mirror and gather
// what the store knows about them, for planEvents (plan.ts) to decide what to read. What is
// discovered is a list of kinds, each saying how its events are listed, stored and remembered.

export interface DiscoveryContext {
  db: Db;
  /** The account whose events are listed: only its remembered events are planned on its client. */
  account: string;
  client: ZoomClient;
  writer: AsyncWriter;
  now: () => Date;
  /** Throws when the run is to stop (a cancel, another worker's fatal error). */
  checkStop: () => void;
  warn: (warning: SyncWarning) => void;
}

/** One kind of event a sync discovers. */
export interface EventDiscovery {
  /** Lists the account's events of this kind, stores each one's summary, and yields it as listed. */
  list(context: DiscoveryContext, at: string): AsyncIterable<ListedEvent>;
  /** The events of this kind the mirror holds from the account and Zoom hasn't deleted, in ID order. */
  remembered(db: Db, account: string): RememberedEvent[];
}

/** Events of one kind: listed per user, stored with their kind, remembered by kind. */
function eventsOfKind(kind: EventKind): EventDiscovery {
  return {
    async *list(context, at) {
      const { client, writer, now, checkStop, account } = context;
      for await (const summary of client.listAccountEvents(kind)) {
        checkStop();
        if (kind === 'meeting' && !(await takesRegistration(context, summary.id))) continue;
        const changed = await writer.saveEventSummary(kind, summary, at, account);
        if (changed === null) {
          // Zoom's event numbers are one space across accounts; two accounts answering the same one is a fault to see, not to merge.
          context.warn({
            ...eventFields(kind, String(summary.id)),
            source: 'event',
            code: 'EVENT_OF_ANOTHER_ACCOUNT',
            message: `The mirror holds ${kind} ${summary.id} from another Zoom account; account "${account}" lists it too. It was left as it is.`,
          });
          continue;
        }
        yield { id: String(summary.id), changed, past: summary.start_time !== undefined && Date.parse(summary.start_time) < now().getTime() };
      }
    },
    remembered: (db, account) => db.prepare('SELECT id, start_time FROM events WHERE deleted_at IS NULL AND kind = ? AND account = ? ORDER BY id').all(kind, account) as RememberedEvent[],
  };
}

/**
 * A meeting list item carries no settings (zoom-api.md §4.1a): one Light GET tells whether a
 * meeting not mirrored yet takes registration (approval 0 or 1). Most meetings don't, and those are
 * never stored: they hold no registrants to erase.
 */
async function takesRegistration({ db, client }: DiscoveryContext, meetingId: number): Promise<boolean> {
  if (db.prepare('SELECT 1 FROM events WHERE id = ?').get(String(meetingId))) return true;
  try {
    const meeting = await client.getEvent('meeting', meetingId);
    return meeting.settings?.approval_type === 0 || meeting.settings?.approval_type === 1;
  } catch (error) {
    if (error instanceof ZoomApiError && error.code === 'ZOOM_WEBINAR_NOT_FOUND') return false; // deleted between list and read
    throw error;
  }
}

export const WEBINARS = eventsOfKind('webinar');
export const MEETINGS = eventsOfKind('meeting');

/** What a whole-account sync discovers: webinars and the meetings that take registration. */
export const DISCOVERED: readonly EventDiscovery[] = [WEBINARS, MEETINGS];

/** Lists every kind's events into the mirror and returns what planning needs to know about them. */
export async function discoverEvents(kinds: readonly EventDiscovery[], mode: 'full' | 'incremental', context: DiscoveryContext, at: string): Promise<DiscoveredEvents> {
  const listed: ListedEvent[] = [];
  const remembered: RememberedEvent[] = [];
  for (const kind of kinds) {
    for await (const event of kind.list(context, at)) listed.push(event);
    remembered.push(...kind.remembered(context.db, context.account));
  }
  // Only an incremental run leaves events out, so only it asks what live events and held sessions say.
  const incremental = mode === 'incremental';
  return {
    listed,
    remembered,
    // Live events are heard for the default account only: another account's events are never taken as kept current.
    keptCurrentByEvents: incremental && context.account === DEFAULT_ACCOUNT ? keptCurrentByEvents(context.db, context.now()) : new Set(),
    heldSinceLastSync: incremental ? heldSinceLastSync(context.db, context.now()) : new Set(),
  };
}

/**
 * Webinars with a session that started since their last sync, or within REPORTS_SETTLE_MS before it
 * (its reports may not have been final then): their reports are read though the webinar list shows nothing new.
 */
export function heldSinceLastSync(db: Db, now: Date): Set<string> {
  const startedInWindow = (column: string) => `julianday(${column}) <= julianday(@now) AND julianday(${column}) > julianday(w.last_synced_at) - @settleDays`;
  const ids = db
    .prepare(
      `SELECT w.id FROM events w WHERE w.last_synced_at IS NOT NULL AND (
         (${startedInWindow('w.start_time')}) OR EXISTS (SELECT 1 FROM occurrences o WHERE o.event_id = w.id AND ${startedInWindow('o.start_time')}))`,
    )
    .pluck()
    .all({ now: now.toISOString(), settleDays: REPORTS_SETTLE_MS / 86_400_000 }) as string[];
  return new Set(ids);
}
