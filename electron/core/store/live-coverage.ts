import type { Db } from './database';

// What the store says about live coverage (the live_coverage table, migration 110), read by the
// sync's planning and by the watcher's side alike. It sits here, below both: the core's layers go
// store < sync < live, and live/coverage.ts is the one that writes these rows.

/** When the subscription has been heard without a gap since, if it is now; null when nobody listens. */
export function heardWithoutGapSince(db: Db, now: Date): string | null {
  const row = db.prepare('SELECT connected_at FROM live_coverage WHERE ended_at IS NULL AND trusted_until >= ? ORDER BY id DESC LIMIT 1').get(now.toISOString()) as
    { connected_at: string } | undefined;
  return row?.connected_at ?? null;
}

/**
 * Webinars whose lists were read after the subscription began to be heard without a gap (as it still
 * is), and that no event has changed since: every change would have reached the mirror as an event,
 * and none did. One an event changed is left to be read again, so that its records hold what Zoom's
 * lists say, not the fewer fields an event carries.
 */
export function keptCurrentByEvents(db: Db, now: Date): Set<string> {
  const since = heardWithoutGapSince(db, now);
  if (!since) return new Set();
  // Changes heard live are the ones without a run (the index on run_id finds them).
  const ids = db
    .prepare(
      `SELECT w.id FROM events w JOIN sync_runs r ON r.id = w.last_synced_run
       WHERE r.started_at >= ?
         AND NOT EXISTS (SELECT 1 FROM registrant_changes c WHERE c.run_id IS NULL AND c.event_id = w.id AND c.observed_at >= r.started_at)`,
    )
    .pluck()
    .all(since) as string[];
  return new Set(ids);
}
