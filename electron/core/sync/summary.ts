import { CHANGE_KINDS } from '../../../shared/changes';
import type { AccountSyncResult, ChangeCounts } from '../../../shared/mirror';
import type { Db } from '../store/database';

/** What a run did, read back from the store so a resumed run reports the whole run, not its last part. */
export function summariseRun(db: Db, runId: number): Omit<AccountSyncResult, 'account' | 'run_id' | 'mode' | 'resumed' | 'started_at' | 'kept_by_events' | 'warnings'> {
  const changes = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, 0])) as ChangeCounts;
  for (const row of db.prepare('SELECT kind, count(*) AS n FROM registrant_changes WHERE run_id = ? GROUP BY kind').all(runId) as { kind: keyof ChangeCounts; n: number }[]) {
    changes[row.kind] = row.n;
  }
  const eventsRead = db.prepare('SELECT count(*) FROM sync_run_events s JOIN events e ON e.id = s.event_id WHERE s.run_id = ? AND s.done_at IS NOT NULL AND e.kind = ?').pluck();
  return {
    webinars: eventsRead.get(runId, 'webinar') as number,
    meetings: eventsRead.get(runId, 'meeting') as number,
    registrants: db.prepare('SELECT count(*) FROM registrants WHERE last_seen_run = ? AND present = 1').pluck().get(runId) as number,
    participants: db.prepare('SELECT count(*) FROM participants WHERE last_seen_run = ?').pluck().get(runId) as number,
    changes,
    // From the few suppressed rows (a partial index) to each one's changes (the unary + keeps SQLite on
    // the by-registrant index), not from every registration of the run to its row: at 1M registrants
    // that join took 1.6 s at the very end of a first sync.
    returned_after_erasure: db
      .prepare(
        `SELECT count(*) FROM registrants r WHERE r.subject_hash IS NOT NULL AND EXISTS (SELECT 1 FROM registrant_changes c WHERE c.registrant_row = r.id AND +c.run_id = ? AND +c.kind = 'registered')`,
      )
      .pluck()
      .get(runId) as number,
  };
}
