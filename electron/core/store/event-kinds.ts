import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { eventFields, type EventFields, type EventKind } from '../../../shared/events';

// Child tables name their event by Zoom's ID alone (0170-events.ts); its kind lives on the event.
// One cached primary-key lookup per record named, instead of a join in every query that names one.
const statements = new WeakMap<Database, Statement>();

export function kindOfEvent(db: Database, eventId: string): EventKind {
  let statement = statements.get(db);
  if (!statement) {
    statement = db.prepare('SELECT kind FROM events WHERE id = ?').pluck();
    statements.set(db, statement);
  }
  // A record whose event row is gone can only come from before meetings were mirrored: a webinar.
  return (statement.get(eventId) as EventKind | undefined) ?? 'webinar';
}

/** The record with the event fields every contract record naming an event carries (webinar_id on webinars). */
export function withEventFields<T extends { event_id: string }>(db: Database, record: T): Omit<T, 'event_id'> & EventFields {
  return { ...record, ...eventFields(kindOfEvent(db, record.event_id), record.event_id) };
}
