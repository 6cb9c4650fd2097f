import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
import { eventFields, type EventFields, type EventKind } from '../../../shared/events';

// Child tables name their event by Zoom's ID alone (0170-events.ts); its kind lives on the event.
// One cached primary-key lookup per record named, instead of a join in every query that names one.
const statements = new WeakMap<Database, Statement>();

function eventRow(db: Database, eventId: string): { kind: EventKind; account: string } | undefined {
  let statement = statements.get(db);
  if (!statement) {
    statement = db.prepare('SELECT kind, account FROM events WHERE id = ?');
    statements.set(db, statement);
  }
  return statement.get(eventId) as { kind: EventKind; account: string } | undefined;
}

export function kindOfEvent(db: Database, eventId: string): EventKind {
  // A record whose event row is gone can only come from before meetings were mirrored: a webinar.
  return eventRow(db, eventId)?.kind ?? 'webinar';
}

/** The Zoom account that hosts an event (migration 190); records of an event row long gone were the one account's of those days. */
export function accountOfEvent(db: Database, eventId: string): string {
  return eventRow(db, eventId)?.account ?? DEFAULT_ACCOUNT;
}

/** The record with the event fields every contract record naming an event carries (webinar_id on webinars, the hosting account). */
export function withEventFields<T extends { event_id: string }>(db: Database, record: T): Omit<T, 'event_id'> & EventFields {
  const row = eventRow(db, record.event_id);
  return { ...record, ...eventFields(row?.kind ?? 'webinar', record.event_id, row?.account ?? DEFAULT_ACCOUNT) };
}
