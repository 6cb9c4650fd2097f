import type { z } from 'zod';
import { daysLeft, isOverdue, type DeadlineRules } from '../../../shared/deadlines';
import { maskEmail } from '../../../shared/email';
import { AppError } from '../../../shared/errors';
import { CLOSED_STATUSES, type RequestDetail, type RequestStatus, type RequestSummary } from '../../../shared/requests';
import type { Db } from '../store/database';
import { withEventFields } from '../store/event-kinds';

// A request as the register reads it: the `requests` row, and the summary and the detail (with its
// timeline, notes, replies) the register answers with. Reads only: the register writes.

export interface RequestRow {
  id: string;
  type: RequestDetail['type'];
  subject_email: string | null;
  subject_masked: string | null;
  subject_hash: string;
  channel: RequestDetail['channel'];
  language: RequestDetail['language'];
  notes: string | null;
  received_at: string;
  original_due_at: string;
  due_at: string;
  status: RequestStatus;
  held_from: RequestStatus | null;
  hold_reason: string | null;
  identity_method: string | null;
  identity_by: string | null;
  identity_at: string | null;
  decision_by: string | null;
  decision_at: string | null;
  decision_reason: string | null;
  decision_article: string | null;
  decision_ground: NonNullable<RequestDetail['decision']>['ground'];
  exceptions_checked_at: string | null;
  extended_by: string | null;
  extended_at: string | null;
  extension_reason: string | null;
  extension_notified_at: string | null;
  closed_at: string | null;
  purged_at: string | null;
  address_purged_at: string | null;
}

/** The request's row; NOT_FOUND, with the way to the list, if there is none. */
export function requestRow(db: Db, id: string): RequestRow {
  const row = db.prepare('SELECT * FROM requests WHERE id = ?').get(id) as RequestRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `There is no request ${id}.`, { action: 'list-requests' });
  return row;
}

export function summaryOf(row: RequestRow, now: Date, rules: DeadlineRules): z.output<typeof RequestSummary> {
  const due = new Date(row.due_at);
  const open = !CLOSED_STATUSES.includes(row.status);
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    received_at: row.received_at,
    due_at: row.due_at,
    days_left: daysLeft(due, now, rules.timeZone),
    overdue: open && isOverdue(due, now),
    extended: row.extended_at !== null,
  };
}

/** One request with its timeline; `subjectEmail` (the first address) and `addresses` unsealed (it is sealed at rest, sealed-address.ts). */
export function detailOf(db: Db, row: RequestRow, subjectEmail: string | null, addresses: RequestDetail['addresses'], summary: z.output<typeof RequestSummary>): RequestDetail {
  const id = row.id;
  const timeline = db
    .prepare('SELECT at, actor AS "by", action, from_status AS "from", to_status AS "to", reason FROM request_events WHERE request_id = ? ORDER BY id')
    .all(id) as RequestDetail['timeline'];
  // Registrations of the erased subject Zoom listed after the plan was made: they registered again.
  const returned = (
    db
      .prepare(
        `SELECT r.event_id, r.registrant_id, r.first_seen_at FROM registrants r, job_runs j
       WHERE j.request_id = ? AND r.subject_hash IN (SELECT subject_hash FROM request_addresses WHERE request_id = j.request_id) AND r.first_seen_at > j.planned_at ORDER BY r.first_seen_at`,
      )
      .all(id) as { event_id: string; registrant_id: string; first_seen_at: string }[]
  ).map((r) => withEventFields(db, r));
  return {
    ...summary,
    subject_email: subjectEmail,
    emails: addresses.flatMap((a) => (a.email === null ? [] : [a.email])),
    addresses,
    subject_masked: row.subject_masked ?? (subjectEmail ? maskEmail(subjectEmail) : '***'),
    subject_hash: row.subject_hash,
    address_purged_at: row.address_purged_at,
    returned: row.type === 'erasure' ? returned : [],
    channel: row.channel,
    language: row.language,
    closed_at: row.closed_at,
    notes: notesOf(db, row),
    processor: (db.prepare('SELECT status, sent_at, due_at, answered_at, outcome FROM processor_tasks WHERE request_id = ?').get(id) as RequestDetail['processor'] | undefined) ?? null,
    replies: db.prepare('SELECT document, sent_at, channel, actor AS "by" FROM request_replies WHERE request_id = ? ORDER BY sent_at, id').all(id) as RequestDetail['replies'],
    original_due_at: row.original_due_at,
    identity: row.identity_at ? { method: row.identity_method ?? '(purged)', by: row.identity_by!, at: row.identity_at } : null,
    decision: row.decision_at
      ? {
          outcome: row.status === 'refused' ? 'refused' : 'approved',
          by: row.decision_by!,
          at: row.decision_at,
          reason: row.decision_reason,
          article: row.decision_article,
          ground: row.decision_ground,
          exceptions_checked: row.exceptions_checked_at !== null,
        }
      : null,
    extension: row.extended_at ? { by: row.extended_by!, at: row.extended_at, reason: row.extension_reason ?? '(purged)', notified_at: row.extension_notified_at! } : null,
    hold: row.status === 'on_hold' ? { reason: row.hold_reason ?? '', from: row.held_from! } : null,
    purged_at: row.purged_at,
    reverify: (db.prepare('SELECT erased_at, reapplied_at FROM restored_erasures WHERE request_id = ? ORDER BY erased_at DESC LIMIT 1').get(id) as RequestDetail['reverify'] | undefined) ?? null,
    timeline,
  };
}

function notesOf(db: Db, row: RequestRow): RequestDetail['notes'] {
  const filed = row.notes
    ? [
        {
          at: row.received_at,
          by: (db.prepare(`SELECT actor FROM request_events WHERE request_id = ? AND action = 'filed'`).pluck().get(row.id) as string | undefined) ?? '',
          text: row.notes,
        },
      ]
    : [];
  const added = db
    .prepare(`SELECT at, actor AS "by", reason AS text FROM request_events WHERE request_id = ? AND action = 'note' AND reason IS NOT NULL ORDER BY id`)
    .all(row.id) as RequestDetail['notes'];
  return [...filed, ...added];
}
