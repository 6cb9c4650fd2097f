import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { ZoomRegistrant } from '../zoom/types';
import type { Db } from './database';

// The one module that writes the `registrants` table (test/store/table-owners.test.ts holds every
// other module to that). The sync and the live events write through MirrorRegistrants, whose
// statements are prepared once per writer; the jobs and the requests call the named functions
// below, each inside the transaction of the caller that journals or audits it.

/** Registrant columns holding personal data, in insert order after the keys. */
export const REGISTRANT_PERSONAL_FIELDS = [
  'first_name',
  'last_name',
  'address',
  'city',
  'state',
  'zip',
  'country',
  'phone',
  'industry',
  'org',
  'job_title',
  'purchasing_time_frame',
  'role_in_purchase_process',
  'no_of_employees',
  'comments',
  'custom_questions',
  'language',
] as const;

const INSERT_COLUMNS = [
  'event_id',
  'registrant_id',
  'email',
  'email_norm',
  'suppressed',
  'subject_hash',
  ...REGISTRANT_PERSONAL_FIELDS,
  'create_time',
  'status',
  'present',
  'first_seen_at',
  'last_seen_at',
  'last_seen_run',
  'previous_id',
] as const;

/** A registrant first seen in an event, not in a run's lists: no run has this id, so the next sync reads it back if no list shows it. */
const NO_RUN = 0;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function personalValues(r: ZoomRegistrant): (string | null)[] {
  return REGISTRANT_PERSONAL_FIELDS.map((field) => {
    if (field === 'custom_questions') return r.custom_questions && r.custom_questions.length > 0 ? JSON.stringify(r.custom_questions) : null;
    return text(r[field]);
  });
}

/** The mirror's writes of registrations as Zoom lists them (the sync's hot path): statements prepared once. */
export class MirrorRegistrants {
  private readonly insert: Statement;
  private readonly listed: Statement;
  private readonly absent: Statement;

  constructor(db: Db) {
    this.insert = db.prepare(`INSERT INTO registrants (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`);
    // An event (run null) leaves last_seen_run alone: a sync running meanwhile must still see who its own lists showed.
    this.listed = db.prepare('UPDATE registrants SET status = ?, present = 1, gone_kind = NULL, last_seen_at = ?, last_seen_run = coalesce(?, last_seen_run) WHERE id = ?');
    this.absent = db.prepare('UPDATE registrants SET present = 0, gone_kind = ? WHERE id = ?');
  }

  /**
   * Inserts a registration first listed now; its row, or undefined if the mirror holds it already.
   * A suppressed subject's row (`subjectHash` set) keeps only Zoom's keys and the keyed hash: no
   * address, no personal field.
   */
  insertListed(eventId: string, r: ZoomRegistrant, emailNorm: string | null, subjectHash: string | null, runId: number | null, at: string, previousId: number | null): number | undefined {
    const suppressed = subjectHash !== null;
    const values = [
      eventId,
      r.id,
      suppressed ? null : r.email,
      emailNorm,
      suppressed ? 1 : 0,
      subjectHash,
      ...(suppressed ? REGISTRANT_PERSONAL_FIELDS.map(() => null) : personalValues(r)),
      text(r.create_time),
      r.status,
      1,
      at,
      at,
      runId ?? NO_RUN,
      previousId,
    ];
    try {
      return Number(this.insert.run(values).lastInsertRowid);
    } catch (error) {
      // Listed twice in one sync (its status moved between two list calls), or by a run that was killed.
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
      throw error;
    }
  }

  /** A list (or an event, `runId` null) shows the registration with this status: it is present again. */
  markListed(row: number, status: string, at: string, runId: number | null): void {
    this.listed.run(status, at, runId, row);
  }

  /** No list shows the registration any more; `goneKind` says why, where that is known. */
  markAbsent(row: number, goneKind: string | null): void {
    this.absent.run(goneKind, row);
  }
}

/**
 * Erasure, step 1 on the registrations: every personal field and the address become NULL (no hash
 * or mapping of the old values), the rows keep Zoom's keys, `suppressed = 1` and the keyed hash.
 * Returns how many rows. Inside the transaction that journals the erasure.
 */
export function anonymiseSubjectRegistrations(db: Db, emailNorm: string, subjectHash: string): number {
  const nulls = [...REGISTRANT_PERSONAL_FIELDS, 'email', 'email_norm'].map((c) => `${c} = NULL`).join(', ');
  return db.prepare(`UPDATE registrants SET ${nulls}, suppressed = 1, subject_hash = ? WHERE email_norm = ?`).run(subjectHash, emailNorm).changes;
}

/** An erasure job deleted this registration on Zoom: a sync or an event that then sees it gone classifies it as deleted_by_request. */
export function markDeletedByRequest(db: Db, requestId: string, eventId: string, registrantId: string | null): void {
  db.prepare('UPDATE registrants SET deleted_by_request = ? WHERE event_id = ? AND registrant_id = ?').run(requestId, eventId, registrantId);
}

/** The job read the deleted registration back gone: the mirror's row is absent, deleted by request. */
export function markGoneByRequest(db: Db, row: number): void {
  db.prepare(`UPDATE registrants SET present = 0, gone_kind = 'deleted_by_request' WHERE id = ?`).run(row);
}

/**
 * Art 16 on the mirror's copy: sets the given fields (rectifiable columns, checked by the caller's
 * input schema) on every registration of the address. Returns how many rows.
 */
export function rectifyRegistrations(db: Db, emailNorm: string, fields: [string, string | null][]): number {
  return db.prepare(`UPDATE registrants SET ${fields.map(([f]) => `${f} = ?`).join(', ')} WHERE email_norm = ?`).run(...fields.map(([, v]) => v), emailNorm).changes;
}
