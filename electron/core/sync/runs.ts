import type { Db } from '../store/database';
import type { SyncMode } from '../../../shared/mirror';
import type { PlannedEvent } from './plan';

// Sync runs and their plans. A run killed half way (status still `running`), cancelled or failed
// is picked up again by the next sync of the same scope, which skips the webinars its plan marks
// done; that is what makes a sync resumable rather than restartable.

export interface SyncRun {
  id: number;
  /** The Zoom account it read (migration 190): each account's runs resume and plan on their own. */
  account: string;
  mode: SyncMode;
  scope_event_id: string | null;
  status: 'running' | 'completed' | 'cancelled' | 'failed' | 'abandoned';
  started_at: string;
  finished_at: string | null;
  planned: number | null;
  error_code: string | null;
  /** JSON: the run's warnings (migration 80); null for older runs. */
  warnings: string | null;
  /** Upcoming webinars the plan left out because live events kept them current (migration 110). */
  kept_by_events: number | null;
}

const UNFINISHED = `status IN ('running', 'cancelled', 'failed')`;

/** An unfinished run of the account this request can continue: same webinar, or a full run for any whole-account sync. */
export function resumableRun(db: Db, account: string, mode: SyncMode, webinarId: string | null): SyncRun | undefined {
  const run = db.prepare(`SELECT * FROM sync_runs WHERE ${UNFINISHED} AND account = ? ORDER BY id DESC LIMIT 1`).get(account) as SyncRun | undefined;
  if (!run) return undefined;
  if (mode === 'webinar') return run.mode === 'webinar' && run.scope_event_id === webinarId ? run : undefined;
  if (run.mode === 'webinar') return undefined;
  // An unfinished full run covers an incremental request; a full request doesn't settle for an incremental run.
  return run.mode === 'full' || mode === 'incremental' ? run : undefined;
}

export function startRun(db: Db, account: string, mode: SyncMode, webinarId: string | null, at: string): SyncRun {
  return db.transaction(() => {
    // Unfinished runs of the account in another scope are not resumed any more; their changes stay recorded.
    db.prepare(`UPDATE sync_runs SET status = 'abandoned', finished_at = ? WHERE ${UNFINISHED} AND account = ?`).run(at, account);
    const id = Number(db.prepare(`INSERT INTO sync_runs (account, mode, scope_event_id, status, started_at) VALUES (?, ?, ?, 'running', ?)`).run(account, mode, webinarId, at).lastInsertRowid);
    return getRun(db, id);
  })();
}

export function reopenRun(db: Db, run: SyncRun): SyncRun {
  db.prepare(`UPDATE sync_runs SET status = 'running', finished_at = NULL, error_code = NULL WHERE id = ?`).run(run.id);
  return getRun(db, run.id);
}

export function getRun(db: Db, id: number): SyncRun {
  return db.prepare('SELECT * FROM sync_runs WHERE id = ?').get(id) as SyncRun;
}

export function lastRun(db: Db): SyncRun | undefined {
  return db.prepare('SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1').get() as SyncRun | undefined;
}

/** The last completed full pass, of one account or of any. */
export function lastCompletedFullRun(db: Db, account?: string): SyncRun | undefined {
  return db.prepare(`SELECT * FROM sync_runs WHERE mode = 'full' AND status = 'completed' AND (@account IS NULL OR account = @account) ORDER BY id DESC LIMIT 1`).get({ account: account ?? null }) as
    SyncRun | undefined;
}

/** The last completed sync of a whole account (full or incremental): what a job's plan is made from. */
export function lastCompletedAccountRun(db: Db, account?: string): SyncRun | undefined {
  return db
    .prepare(`SELECT * FROM sync_runs WHERE mode IN ('full', 'incremental') AND status = 'completed' AND (@account IS NULL OR account = @account) ORDER BY id DESC LIMIT 1`)
    .get({ account: account ?? null }) as SyncRun | undefined;
}

export function savePlan(db: Db, runId: number, webinarIds: string[], keptByEvents = 0): void {
  const insert = db.prepare('INSERT OR IGNORE INTO sync_run_events (run_id, event_id, position) VALUES (?, ?, ?)');
  db.transaction(() => {
    webinarIds.forEach((id, position) => insert.run(runId, id, position));
    db.prepare('UPDATE sync_runs SET planned = ?, kept_by_events = ? WHERE id = ?').run(webinarIds.length, keptByEvents, runId);
  })();
}

/** The run's saved plan, each webinar with whether it is done (remainingOfPlan in plan.ts says what is left). */
export function plannedEvents(db: Db, runId: number): PlannedEvent[] {
  const rows = db.prepare('SELECT event_id, position, done_at FROM sync_run_events WHERE run_id = ? ORDER BY position').all(runId) as { event_id: string; position: number; done_at: string | null }[];
  return rows.map((row) => ({ event_id: row.event_id, position: row.position, done: row.done_at !== null }));
}

export function markPlannedWebinarDone(db: Db, runId: number, webinarId: string, at: string): void {
  db.prepare('UPDATE sync_run_events SET done_at = ? WHERE run_id = ? AND event_id = ?').run(at, runId, webinarId);
}

/** Keeps a finished run's warnings beside it (getSyncStatus shows them after the run's caller has gone). */
export function recordRunWarnings(db: Db, runId: number, warnings: readonly unknown[]): void {
  db.prepare('UPDATE sync_runs SET warnings = ? WHERE id = ?').run(JSON.stringify(warnings), runId);
}

export function finishRun(db: Db, runId: number, status: 'completed' | 'cancelled' | 'failed', at: string, errorCode: string | null = null): void {
  db.prepare('UPDATE sync_runs SET status = ?, finished_at = ?, error_code = ? WHERE id = ?').run(status, at, errorCode, runId);
}
