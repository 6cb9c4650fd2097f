import type { Db } from '../store/database';

// While the event subscription is heard without a gap, every registration change on Zoom reaches
// the mirror as an event. So a webinar whose lists were read after the connection opened is kept
// current by events, and an incremental sync needn't read those lists again (sync/plan.ts): on a big
// account that is the difference between reading every upcoming webinar and reading those that
// changed. Trust is kept in the store, so a sync in another process (`watch` in one terminal,
// `sync` in another) sees it too, and it lapses by itself a few heartbeats after the last sign of
// life: a watcher killed without a word stops being trusted within that time. This class writes
// that trust; what it amounts to is read in store/live-coverage.ts, where the sync can read it too.

/** Signs of life are written at most this often (each is a write to the store). */
const WRITE_EVERY_MS = 10_000;

export class LiveCoverage {
  private id: number | null = null;
  private lastWrite = 0;

  /** A hold that vouches for nothing: another account's subscription (the record speaks for the default account's). */
  static none(): Pick<LiveCoverage, 'begin' | 'alive' | 'end'> {
    return { begin: () => undefined, alive: () => undefined, end: () => undefined };
  }

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
      this.id = Number(this.db.prepare('INSERT INTO live_coverage (connected_at, trusted_until) VALUES (?, ?)').run(at.toISOString(), this.until(at)).lastInsertRowid);
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
