import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { classifyTransition, listedIn, type ListedStatus, type ReadBack, type Transition } from '../../../shared/changes';
import { normaliseEmail } from '../../../shared/email';
import type { ZoomEvent, ZoomEventSummary, ZoomRegistrant } from '../zoom/types';
import type { EventKind } from '../../../shared/events';
import { AppError } from '../../../shared/errors';
import type { Db } from './database';
import { MirrorRegistrants } from './registrants';
import { ReportWriter } from './report-writer';
import type { ReportRow, ReportSource } from './report-sources';
import { buildSearchIndexes, deferSearchIndexesFor } from './search-indexes';
import type { SuppressionList } from './suppression';

// Writes what a sync reads from Zoom into the mirror. Each call is one transaction, so a crash
// between two calls leaves the mirror as it was after the last one; calls are written to be
// repeated (upserts keyed by Zoom's IDs, report rows by position), which is what makes a killed
// sync resumable. The registrants table itself is written through registrants.ts, report rows
// through report-writer.ts.

/** One page of one status list (of one occurrence, where people register per occurrence). */
export interface RegistrantPage {
  items: ZoomRegistrant[];
  occurrenceId: string | null;
}

interface ExistingRegistrant {
  id: number;
  status: ListedStatus;
  present: 0 | 1;
}

/** A registrant no list showed in this run, read back with one GET: what Zoom answered, and those words for the timeline. */
export interface ReadBackOutcome {
  readBack: ReadBack;
  evidence: string;
}

const CHANGE_COLUMNS = ['registrant_row', 'event_id', 'run_id', 'kind', 'from_status', 'to_status', 'observed_at', 'request_id', 'evidence', 'via'] as const;
const CHANGE_CHUNK = 64;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export class MirrorWriter {
  private readonly selectRegistrant: Statement;
  private readonly selectPrevious: Statement;
  private readonly registrants: MirrorRegistrants;
  private readonly reports: ReportWriter;
  private readonly insertChange: Statement;
  /** CHANGE_CHUNK change rows at once: an ingest writes one per new registrant, and one statement per row costs more than its row. */
  private readonly insertChanges: Statement;
  private pendingChanges: (string | number | null)[] = [];
  private readonly insertOccurrence: Statement;
  private readonly goneByEventDuringRun: Statement;

  constructor(
    private readonly db: Db,
    private readonly suppression: SuppressionList,
  ) {
    this.selectRegistrant = db.prepare('SELECT id, status, present FROM registrants WHERE event_id = ? AND registrant_id = ?');
    this.selectPrevious = db.prepare('SELECT id FROM registrants WHERE email_norm = ? AND event_id = ? AND registrant_id <> ? ORDER BY id DESC LIMIT 1');
    this.registrants = new MirrorRegistrants(db);
    this.reports = new ReportWriter(db, suppression, (body) => this.inWriteTransaction(body));
    this.insertChange = db.prepare(`INSERT INTO registrant_changes (${CHANGE_COLUMNS.join(', ')}) VALUES (${CHANGE_COLUMNS.map(() => '?').join(', ')})`);
    this.insertOccurrence = db.prepare('INSERT OR IGNORE INTO registrant_occurrences (registrant_row, occurrence_id) VALUES (?, ?)');
    this.goneByEventDuringRun = db.prepare(
      `SELECT 1 FROM registrant_changes WHERE registrant_row = ? AND via = 'event' AND to_status IS NULL AND observed_at >= (SELECT started_at FROM sync_runs WHERE id = ?)`,
    );
    this.insertChanges = db.prepare(
      `INSERT INTO registrant_changes (${CHANGE_COLUMNS.join(', ')}) VALUES ${Array.from({ length: CHANGE_CHUNK }, () => `(${CHANGE_COLUMNS.map(() => '?').join(', ')})`).join(', ')}`,
    );
  }

  /**
   * One transaction holding the write lock from its start (BEGIN IMMEDIATE): the sync writes from
   * a thread of its own while the other connection may write too, and a transaction that read first
   * could not take the lock after the other's commit (SQLITE_BUSY without waiting).
   */
  private inWriteTransaction<T>(body: () => T): T {
    return this.db.transaction(body).immediate();
  }

  // ---- the search indexes (search-indexes.ts), on this connection: the writer thread's, in a sync ----

  /** Whether this run stores registrants without the search indexes (a first sync into an empty mirror). */
  deferSearchIndexes(runId: number): boolean {
    return deferSearchIndexesFor(this.db, runId);
  }

  /** Builds the search indexes a run went without; how many. */
  buildSearchIndexes(): number {
    return buildSearchIndexes(this.db);
  }

  // ---- events (webinars and meetings) ---------------------------------------------------------

  /**
   * An event's ID is its key for both kinds (0170-events.ts). Should Zoom ever answer a meeting with
   * a webinar's number, or the reverse, the sync stops with a named error instead of merging the two.
   */
  private checkKind(kind: EventKind, id: string): void {
    const stored = this.db.prepare('SELECT kind FROM events WHERE id = ?').pluck().get(id) as EventKind | undefined;
    if (stored !== undefined && stored !== kind) {
      throw new AppError('INVALID_STATE', `Zoom answered ${kind} ${id}, but the mirror holds ${stored} ${id}: the two are not merged. Report this to the DSR Desk team.`);
    }
  }

  /**
   * Records an event as listed by an account; returns whether it is new or its schedule or topic
   * changed, or null when the mirror holds it from another account (it is then left as it is).
   */
  saveEventSummary(kind: EventKind, summary: ZoomEventSummary, at: string, account: string): boolean | null {
    const id = String(summary.id);
    this.checkKind(kind, id);
    const before = this.db.prepare('SELECT topic, start_time, duration, type, last_synced_at, account FROM events WHERE id = ?').get(id) as
      { topic: string | null; start_time: string | null; duration: number | null; type: number | null; last_synced_at: string | null; account: string } | undefined;
    if (before && before.account !== account) return null;
    this.db
      .prepare(
        `INSERT INTO events (id, kind, account, uuid, host_id, topic, type, start_time, duration, timezone, created_at, join_url, first_seen_at, last_listed_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (id) DO UPDATE SET uuid = excluded.uuid, host_id = excluded.host_id, topic = excluded.topic, type = excluded.type,
           start_time = excluded.start_time, duration = excluded.duration, timezone = excluded.timezone, join_url = excluded.join_url,
           last_listed_at = excluded.last_listed_at, deleted_at = NULL`,
      )
      .run(
        id,
        kind,
        account,
        summary.uuid,
        summary.host_id,
        summary.topic,
        summary.type,
        text(summary.start_time),
        summary.duration ?? null,
        text(summary.timezone),
        summary.created_at,
        summary.join_url,
        at,
        at,
      );
    if (!before || before.last_synced_at === null) return true;
    return before.topic !== summary.topic || before.start_time !== (summary.start_time ?? null) || before.duration !== (summary.duration ?? null) || before.type !== summary.type;
  }

  /** Stores what GET /webinars|meetings/{id} says: settings that decide how to list, and the occurrences. */
  saveEventDetails(kind: EventKind, webinar: ZoomEvent, at: string): void {
    const id = String(webinar.id);
    this.checkKind(kind, id);
    this.inWriteTransaction(() => {
      this.db
        .prepare(
          `INSERT INTO events (id, kind, uuid, host_id, host_email, topic, type, start_time, duration, timezone, agenda, created_at, join_url, approval_type, registration_type, first_seen_at, deleted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
           ON CONFLICT (id) DO UPDATE SET uuid = excluded.uuid, host_id = excluded.host_id, host_email = excluded.host_email, topic = excluded.topic,
             type = excluded.type, start_time = excluded.start_time, duration = excluded.duration, timezone = excluded.timezone, agenda = excluded.agenda,
             created_at = excluded.created_at, join_url = excluded.join_url, approval_type = excluded.approval_type,
             registration_type = excluded.registration_type, deleted_at = NULL`,
        )
        .run(
          id,
          kind,
          webinar.uuid,
          webinar.host_id,
          text(webinar.host_email),
          webinar.topic,
          webinar.type,
          text(webinar.start_time),
          webinar.duration ?? null,
          text(webinar.timezone),
          text(webinar.agenda),
          webinar.created_at,
          webinar.join_url,
          webinar.settings.approval_type,
          webinar.settings.registration_type ?? null,
          at,
        );
      const upsert = this.db.prepare(
        `INSERT INTO occurrences (event_id, occurrence_id, start_time, duration, status) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (event_id, occurrence_id) DO UPDATE SET start_time = excluded.start_time, duration = excluded.duration, status = excluded.status`,
      );
      for (const o of webinar.occurrences ?? []) upsert.run(id, o.occurrence_id, o.start_time, o.duration, o.status);
    });
  }

  saveInstances(webinarId: string, instances: { uuid: string; start_time: string }[]): void {
    const upsert = this.db.prepare(`INSERT INTO event_instances (event_id, uuid, start_time) VALUES (?, ?, ?) ON CONFLICT (event_id, uuid) DO UPDATE SET start_time = excluded.start_time`);
    this.inWriteTransaction(() => {
      for (const instance of instances) upsert.run(webinarId, instance.uuid, instance.start_time);
    });
  }

  markInstanceReportsSynced(webinarId: string, uuid: string, at: string): void {
    this.db.prepare('UPDATE event_instances SET reports_synced_at = ? WHERE event_id = ? AND uuid = ?').run(at, webinarId, uuid);
  }

  markWebinarSynced(webinarId: string, runId: number, at: string): void {
    this.db.prepare('UPDATE events SET last_synced_at = ?, last_synced_run = ? WHERE id = ?').run(at, runId, webinarId);
  }

  /** Zoom says the webinar no longer exists: it and every registration still listed are gone. */
  markWebinarDeleted(webinarId: string, runId: number | null, at: string, evidence: string): number {
    return this.inWriteTransaction(() => {
      this.db.prepare('UPDATE events SET deleted_at = coalesce(deleted_at, ?) WHERE id = ?').run(at, webinarId);
      return this.recordAbsences(webinarId, runId, at, { webinarDeleted: evidence });
    });
  }

  // ---- registrants --------------------------------------------------------------------------

  /**
   * Whole pages of a webinar's status lists, in one transaction. New registrants are inserted (a
   * suppressed subject without any personal field) with a `registered` change; known ones get
   * their status and a change when it moved. `linkPrevious` looks for an earlier registration of
   * the same address to link to; it is skipped on a webinar's first sync, where there is none.
   * `runId` null: the rows come from an event (live), whose words go with each change as `evidence`.
   */
  ingestRegistrants(webinarId: string, pages: RegistrantPage[], runId: number | null, at: string, linkPrevious: boolean, evidence: string | null = null): number {
    let changes = 0;
    this.inWriteTransaction(() => {
      // Read from the database inside this transaction: an erasure another process ran a moment ago counts.
      const suppressedHash = this.suppression.checker();
      for (const { items, occurrenceId } of pages)
        for (const r of items) {
          // On a webinar's first sync nearly every row is new: insert first, look up only on a clash.
          let existing = linkPrevious ? (this.selectRegistrant.get(webinarId, r.id) as ExistingRegistrant | undefined) : undefined;
          let row = existing ? undefined : this.insertNew(webinarId, r, runId, at, linkPrevious, suppressedHash(r.email), evidence);
          if (row === undefined) {
            existing ??= this.selectRegistrant.get(webinarId, r.id) as ExistingRegistrant;
            row = existing.id;
            // A list page read before an event said this registration left every list: the event is newer.
            if (!existing.present && runId !== null && this.goneByEventDuringRun.get(row, runId)) continue;
            this.registrants.markListed(row, r.status, at, runId);
            const transition = classifyTransition(existing.present ? existing.status : 'absent', r.status, { webinarDeleted: false, deletedByRequest: false });
            if (transition) {
              this.queueChange(row, webinarId, runId, transition.kind, transition.from, transition.to, at, evidence);
              changes++;
            }
          } else {
            changes++;
          }
          if (occurrenceId !== null) this.insertOccurrence.run(row, occurrenceId);
        }
      this.flushChanges();
    });
    return changes;
  }

  private queueChange(row: number, webinarId: string, runId: number | null, kind: string, from: string | null, to: string | null, at: string, evidence: string | null): void {
    this.pendingChanges.push(row, webinarId, runId, kind, from, to, at, null, evidence, runId === null ? 'event' : 'sync');
    if (this.pendingChanges.length === CHANGE_CHUNK * CHANGE_COLUMNS.length) this.flushChanges();
  }

  /** Writes queued change rows; called inside the transaction that queued them. */
  private flushChanges(): void {
    const pending = this.pendingChanges;
    this.pendingChanges = [];
    if (pending.length === CHANGE_CHUNK * CHANGE_COLUMNS.length) return void this.insertChanges.run(pending);
    for (let i = 0; i < pending.length; i += CHANGE_COLUMNS.length) this.insertChange.run(pending.slice(i, i + CHANGE_COLUMNS.length));
  }

  /**
   * Inserts a registrant first seen now, with its `registered` change; undefined if the row exists.
   * A suppressed subject's row (`subjectHash` set: they registered again after an erasure) keeps
   * only Zoom's keys and the keyed hash, by which a later request of theirs finds it.
   */
  private insertNew(webinarId: string, r: ZoomRegistrant, runId: number | null, at: string, linkPrevious: boolean, subjectHash: string | null, evidence: string | null): number | undefined {
    const suppressed = subjectHash !== null;
    const emailNorm = suppressed ? null : normaliseEmail(r.email);
    const previous = linkPrevious && emailNorm ? (this.selectPrevious.get(emailNorm, webinarId, r.id) as { id: number } | undefined) : undefined;
    const row = this.registrants.insertListed(webinarId, r, emailNorm, subjectHash, runId, at, previous?.id ?? null);
    if (row === undefined) return undefined;
    this.queueChange(row, webinarId, runId, 'registered', null, r.status, at, evidence);
    return row;
  }

  /**
   * Registrants listed before whom no list of this run showed, and whose absence no job of ours
   * explains: each needs one read-back (GET) before its absence can be classified.
   */
  vanishedRegistrants(webinarId: string, runId: number): { id: number; registrant_id: string }[] {
    return this.db.prepare('SELECT id, registrant_id FROM registrants WHERE event_id = ? AND present = 1 AND last_seen_run <> ? AND deleted_by_request IS NULL').all(webinarId, runId) as {
      id: number;
      registrant_id: string;
    }[];
  }

  /**
   * After every status list of a webinar was read to the end, and each vanished registrant was
   * read back (`readBacks`, by row): whoever was listed before and was not listed in this run is
   * absent now. Never called after a partial listing, which would mistake "not read yet" for "gone".
   */
  closeRegistrantListing(webinarId: string, runId: number, at: string, readBacks: Map<number, ReadBackOutcome>): number {
    return this.inWriteTransaction(() => this.recordAbsences(webinarId, runId, at, { readBacks }));
  }

  private recordAbsences(webinarId: string, runId: number | null, at: string, why: { webinarDeleted?: string; readBacks?: Map<number, ReadBackOutcome> }): number {
    // A deleted webinar takes every registration still listed, even one this run saw before Zoom
    // said so: no run has the id -1.
    const webinarDeleted = why.webinarDeleted !== undefined;
    const missing = this.db.prepare('SELECT id, status, deleted_by_request FROM registrants WHERE event_id = ? AND present = 1 AND last_seen_run <> ?').all(webinarId, webinarDeleted ? -1 : runId) as {
      id: number;
      status: ListedStatus;
      deleted_by_request: string | null;
    }[];
    let absent = 0;
    for (const registrant of missing) {
      const outcome = why.readBacks?.get(registrant.id);
      const listedAs = listedIn(outcome?.readBack);
      if (listedAs) {
        // A race between the three list reads: Zoom still lists it. Its status, not an absence.
        this.registrants.markListed(registrant.id, listedAs, at, runId);
        const moved = classifyTransition(registrant.status, listedAs, { webinarDeleted: false, deletedByRequest: false });
        if (moved) this.writeChange(registrant.id, webinarId, runId, moved, at, null, outcome!.evidence);
        continue;
      }
      const transition = classifyTransition(registrant.status, 'absent', { webinarDeleted, deletedByRequest: registrant.deleted_by_request !== null, readBack: outcome?.readBack });
      this.registrants.markAbsent(registrant.id, transition?.kind ?? null);
      absent++;
      if (!transition) continue;
      const byRequest = transition.kind === 'deleted_by_request' ? registrant.deleted_by_request : null;
      const evidence = byRequest ? `deleted on Zoom by the erasure job of ${byRequest}` : (why.webinarDeleted ?? outcome?.evidence ?? null);
      this.writeChange(registrant.id, webinarId, runId, transition, at, byRequest, evidence);
    }
    return absent;
  }

  private writeChange(row: number, webinarId: string, runId: number | null, transition: Transition, at: string, requestId: string | null, evidence: string | null): void {
    this.insertChange.run(row, webinarId, runId, transition.kind, transition.from, transition.to, at, requestId, evidence, runId === null ? 'event' : 'sync');
  }

  /**
   * An event said a registration was cancelled and one GET said it is in no list any more (a
   * self-cancel answers status "all", a deletion "does not exist"): the live counterpart of an
   * absence a sync finds. Returns whether a change was recorded (not for one already gone).
   */
  recordLiveAbsence(webinarId: string, registrantId: string, outcome: ReadBackOutcome, at: string): boolean {
    return this.inWriteTransaction(() => {
      const registrant = this.db.prepare('SELECT id, status, present, deleted_by_request FROM registrants WHERE event_id = ? AND registrant_id = ?').get(webinarId, registrantId) as
        (ExistingRegistrant & { deleted_by_request: string | null }) | undefined;
      if (!registrant || !registrant.present) return false;
      const transition = classifyTransition(registrant.status, 'absent', { webinarDeleted: false, deletedByRequest: registrant.deleted_by_request !== null, readBack: outcome.readBack });
      if (!transition) return false;
      this.registrants.markAbsent(registrant.id, transition.kind);
      const byRequest = transition.kind === 'deleted_by_request' ? registrant.deleted_by_request : null;
      this.writeChange(registrant.id, webinarId, null, transition, at, byRequest, outcome.evidence);
      return true;
    });
  }

  // ---- report records (report-writer.ts), in this writer's transactions -------------------------

  /** Rows `firstOrdinal`.. of one report of one instance; a suppressed person's row keeps only Zoom's keys. */
  writeReportRows(source: ReportSource, webinarId: string, instanceUuid: string, firstOrdinal: number, rows: ReportRow[], runId: number): void {
    this.reports.writeReportRows(source, webinarId, instanceUuid, firstOrdinal, rows, runId);
  }

  /** A report was read to the end with `count` rows: rows past that are no longer on Zoom's list. */
  finishReport(source: ReportSource, webinarId: string, instanceUuid: string, count: number): void {
    this.reports.finishReport(source, webinarId, instanceUuid, count);
  }
}
