import type { Db } from '../store/database';

// While the event subscription is heard without a gap, every registration change on Zoom reaches
// the mirror as an event. So a webinar whose lists were read after the connection opened is kept
// current by events, and an incremental sync needn't read those lists again (engine.ts): on a big
// account that is the difference between reading every upcoming webinar and reading those that
// changed. Trust is kept in the store, so a sync in another process (`watch` in one terminal,
// `sync` in another) sees it too, and it lapses by itself a few heartbeats after the last sign of
// life: a watcher killed without a word stops being trusted within that time.

/** Signs of life are written at most this often (each is a write to the store). */
const WRITE_EVERY_MS = 10_000;

export class LiveCoverage {
  private id: number | null = null;
  private lastWrite = 0;

  /** @param trustForMs how long one sign of life is trusted: a few of the socket's heartbeat intervals. */
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly trustForMs: number,
  ) {}

  /** The socket is open (again), or was found to have missed something: heard from now on. */
  begin(): void {
    const at = this.now();
    this.db.transaction(() => {
      // Another stretch still open was a watcher that died or another one on this subscription: its
      // word no longer counts (Zoom keeps one connection per subscription).
      this.db.prepare('UPDATE live_coverage SET ended_at = ? WHERE ended_at IS NULL').run(at.toISOString());
      this.id = Number(
        this.db.prepare('INSERT INTO live_coverage (connected_at, trusted_until) VALUES (?, ?)').run(at.toISOString(), this.until(at)).lastInsertRowid,
      );
    })();
    this.lastWrite = at.getTime();
  }

  /** A sign of life on the open socket (a heartbeat answered, an event). */
  alive(): void {
    const at = this.now();
    if (this.id === null || at.getTime() - this.lastWrite < WRITE_EVERY_MS) return;
    this.db.prepare('UPDATE live_coverage SET trusted_until = ? WHERE id = ? AND ended_at IS NULL').run(this.until(at), this.id);
    this.lastWrite = at.getTime();
  }

  /** The socket closed, or the watcher stopped: what happens from now on may go unheard. */
  end(): void {
    if (this.id === null) return;
    this.db.prepare('UPDATE live_coverage SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(this.now().toISOString(), this.id);
    this.id = null;
  }

  private until(at: Date): string {
    return new Date(at.getTime() + this.trustForMs).toISOString();
  }
}

/** When the subscription has been heard without a gap since, if it is now; null when nobody listens. */
export function heardWithoutGapSince(db: Db, now: Date): string | null {
  const row = db
    .prepare('SELECT connected_at FROM live_coverage WHERE ended_at IS NULL AND trusted_until >= ? ORDER BY id DESC LIMIT 1')
    .get(now.toISOString()) as { connected_at: string } | undefined;
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
