import { eventFields, type EventFields } from '../../../shared/events';
import { kindOfEvent } from './event-kinds';
import type { JobAction } from '../../../shared/jobs';
import type { Db } from './database';

// The job journal's rows (job_actions) as read back: by the job that writes them (jobs/journal.ts),
// by the documents that show them and by live events that must not undo an erasure in flight.

export type ActionState = 'pending' | 'intended' | 'done' | 'skipped' | 'failed';

export interface ActionRow {
  id: number;
  request_id: string;
  step: number;
  event_id: string;
  /** The Zoom account the action is sent to (migration 190). */
  account: string;
  registrant_id: string | null;
  occurrence_id: string | null;
  source: string;
  action: JobAction;
  state: ActionState;
  http_status: number | null;
  zoom_code: number | null;
  message: string | null;
  /** The observation behind the message (JSON), to say it in another language; null where there is none. */
  note: string | null;
  at: string | null;
  /** The keyed hash of the request's address the step acts for; null for a sweep (every address) or a journal from before several addresses. */
  subject_hash: string | null;
}

export interface JournalStep extends EventFields {
  step: number;
  registrant_id: string | null;
  occurrence_id: string | null;
  source: string;
  subject_hash: string | null;
  actions: ActionRow[];
}

/** Whether an erasure job has sent (or is sending) Zoom a cancel or delete for this registration. */
export function jobActedOnRegistration(db: Db, webinarId: string, registrantId: string): boolean {
  const sent = db.prepare(`SELECT 1 FROM job_actions WHERE event_id = ? AND registrant_id = ? AND action IN ('cancel', 'delete') AND state IN ('intended', 'done') LIMIT 1`);
  return sent.get(webinarId, registrantId) !== undefined;
}

/** A request's journal grouped by step, in order (the documents read it too). */
export function journalSteps(db: Db, requestId: string): JournalStep[] {
  const steps = new Map<number, JournalStep>();
  for (const a of db.prepare('SELECT * FROM job_actions WHERE request_id = ? ORDER BY step, id').all(requestId) as ActionRow[]) {
    const step = steps.get(a.step) ?? {
      step: a.step,
      ...eventFields(kindOfEvent(db, a.event_id), a.event_id, a.account),
      registrant_id: a.registrant_id,
      occurrence_id: a.occurrence_id,
      source: a.source,
      subject_hash: a.subject_hash,
      actions: [],
    };
    step.actions.push(a);
    steps.set(a.step, step);
  }
  return [...steps.values()];
}
