import type { AuditLog } from '../audit';
import type { Observation } from '../documents/observations';
import type { Db } from '../store/database';
import { journalSteps, type ActionRow, type ActionState, type JournalStep } from '../store/job-actions';
import { markDeletedByRequest, markGoneByRequest } from '../store/registrants';

// The job journal (job_actions): one row per action of a planned step. Local effects and their
// journal rows share one transaction; a remote call is journaled 'intended' before it is sent and
// 'done', 'skipped' or 'failed' once Zoom's answer (or a read-back) is known, so a crash at any
// point leaves a journal that says what is known.

/** What Zoom answered, as the journal and the audit log record it. */
export interface Observed {
  httpStatus: number | null;
  zoomCode: number | null;
  message: string | null;
  /** The message as an observation the evidence says in its own language. */
  note?: Observation | null;
}

/**
 * Test-only: DSR_DESK_TEST_CRASH=before:N (or after:N) kills this process with SIGKILL just
 * before (after) its Nth journal write, so the crash tests can stop a job at every transition.
 */
const crashPlan = (() => {
  const match = /^(before|after):(\d+)$/.exec(process.env.DSR_DESK_TEST_CRASH ?? '');
  return match ? { when: match[1] as 'before' | 'after', write: Number(match[2]) } : null;
})();
let journalWrites = 0;

/** Runs one journal write (a transaction), with the test-only crash points around it. */
export function journalWrite<T>(write: () => T): T {
  journalWrites++;
  if (crashPlan?.when === 'before' && crashPlan.write === journalWrites) process.kill(process.pid, 'SIGKILL');
  const result = write();
  if (crashPlan?.when === 'after' && crashPlan.write === journalWrites) process.kill(process.pid, 'SIGKILL');
  return result;
}

export class Journal {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
    /** Who runs the job: every remote act is audited under their name (Art 5(2)). */
    readonly actor = 'DSR Desk',
  ) {}

  /** The same journal, its acts recorded under the name of the person running this job. */
  by(actor: string): Journal {
    return new Journal(this.db, this.audit, this.now, actor);
  }

  actions(requestId: string): ActionRow[] {
    return this.db.prepare('SELECT * FROM job_actions WHERE request_id = ? ORDER BY step, id').all(requestId) as ActionRow[];
  }

  steps(requestId: string): JournalStep[] {
    return journalSteps(this.db, requestId);
  }

  /** Sets an action's state inside the caller's transaction (no audit entry of its own). */
  setState(action: ActionRow, state: ActionState, observed: Partial<Observed> & { at?: string } = {}): void {
    const note = observed.note ? JSON.stringify(observed.note) : null;
    this.db
      .prepare('UPDATE job_actions SET state = ?, at = coalesce(?, at), http_status = ?, zoom_code = ?, message = ?, note = ? WHERE id = ?')
      .run(state, observed.at ?? null, observed.httpStatus ?? null, observed.zoomCode ?? null, observed.message ?? null, note, action.id);
    action.state = state;
    action.http_status = observed.httpStatus ?? null;
    action.zoom_code = observed.zoomCode ?? null;
    action.message = observed.message ?? null;
    action.note = note;
  }

  /** A remote call is about to be sent: its outcome is unknown until Zoom's answer (or a read-back) is recorded. */
  intend(action: ActionRow, note: string | null = null): void {
    journalWrite(() => this.setState(action, 'intended', { at: this.now().toISOString(), message: note }));
  }

  /**
   * A remote call's outcome may have reached Zoom but is not known: it stays 'intended', with what
   * was seen, and the attempt is audited (result "unknown", with the HTTP status Zoom gave, if any),
   * so the evidence shows every attempt, the failed ones too.
   */
  unknown(action: ActionRow, message: string, observed: Pick<Observed, 'httpStatus' | 'zoomCode'> = { httpStatus: null, zoomCode: null }): void {
    journalWrite(() =>
      this.db.transaction(() => {
        this.db.prepare('UPDATE job_actions SET message = ?, note = NULL WHERE id = ?').run(message, action.id);
        this.audit.append({ actor: this.actor, action: `job.${action.action}`, requestId: action.request_id, details: this.details(action, 'unknown', observed) });
      })(),
    );
    action.message = message;
    action.note = null;
  }

  /**
   * The outcome of a remote action, its audit entry and (for a delete) the mirror's note of it,
   * in one transaction. `observed` is what Zoom answered: the call's own answer, or the read-back's.
   */
  record(action: ActionRow, state: 'done' | 'skipped' | 'failed' | 'pending', observed: Observed, extra: { deleted?: boolean } = {}): void {
    const at = this.now().toISOString();
    journalWrite(() =>
      this.db.transaction(() => {
        this.setState(action, state, { ...observed, at });
        if (extra.deleted) {
          // A sync or an event that sees it gone before the read-back classifies it as deleted_by_request.
          markDeletedByRequest(this.db, action.request_id, action.event_id, action.registrant_id);
        }
        if (action.action === 'verify' && state === 'done' && action.registrant_id) this.mirrorGone(action, at, observed.message);
        this.audit.append({
          actor: this.actor,
          action: `job.${action.action}`,
          requestId: action.request_id,
          details: this.details(action, state, observed),
        });
      })(),
    );
  }

  /** Read back gone after this job deleted it: the mirror's row is gone too, its timeline says by which request. */
  private mirrorGone(action: ActionRow, at: string, evidence: string | null): void {
    const row = this.db
      .prepare('SELECT id, status FROM registrants WHERE event_id = ? AND registrant_id = ? AND present = 1 AND deleted_by_request = ?')
      .get(action.event_id, action.registrant_id, action.request_id) as { id: number; status: string } | undefined;
    if (!row) return;
    markGoneByRequest(this.db, row.id);
    this.db
      .prepare(
        `INSERT INTO registrant_changes (registrant_row, event_id, run_id, kind, from_status, to_status, observed_at, request_id, evidence, via)
         VALUES (?, ?, NULL, 'deleted_by_request', ?, NULL, ?, ?, ?, 'job')`,
      )
      .run(row.id, action.event_id, row.status, at, action.request_id, evidence);
  }

  private details(action: ActionRow, result: string, observed: Pick<Observed, 'httpStatus' | 'zoomCode'>): Record<string, unknown> {
    return {
      event_id: action.event_id,
      account: action.account,
      registrant_id: action.registrant_id,
      occurrence_id: action.occurrence_id,
      result,
      http_status: observed.httpStatus,
      zoom_code: observed.zoomCode,
    };
  }
}
