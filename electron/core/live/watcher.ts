import { AppError } from '../../../shared/errors';
import type { LiveStatus, SyncResult } from '../../../shared/mirror';
import { createLogger } from '../log';
import type { Db } from '../store/database';
import type { ZoomClient } from '../zoom/client';
import { recordedChanges, type EventApplier, type LiveChange } from './apply';
import { LiveCoverage } from './coverage';
import { EventSocket, type SocketState } from './event-socket';

// Holds the event subscription for as long as `watch` (or the desk) is open: events are applied one
// at a time in order of arrival, and after every (re)connection an incremental sync reconciles what
// Zoom sent while nobody listened, since Zoom replays nothing (zoom-api.md §5.1a).

const log = createLogger('live');

const MEMORY_LOG_MS = 60_000;
const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** How long to wait before reconciling again when another sync or a job holds the mirror. */
const RECONCILE_RETRY_MS = 5_000;
/** Zoom's sample sends a heartbeat every 30 s (zoom-api.md §5.1a). */
const HEARTBEAT_MS = 30_000;
/** One sign of life is trusted for this many heartbeats: one may go unanswered before the socket gives up. */
const TRUSTED_HEARTBEATS = 2.5;

export interface WatcherDeps {
  db: Db;
  subscription: { id: string; wsUrl: string };
  client: () => Promise<ZoomClient>;
  applier: EventApplier;
  /** An incremental sync (the core's, which keeps one sync at a time). */
  reconcile: () => Promise<SyncResult>;
  onChange?: (change: LiveChange) => void;
  /** Hears the socket's state and each finished reconciliation (for `watch` to say so on stderr). */
  onNote?: (note: WatchNote) => void;
  now: () => Date;
  /** Whether this hold vouches for the mirror between syncs (the default account's; default true). */
  keepsCoverage?: boolean;
  /** Shorter timings for tests; Zoom's are the defaults. */
  socket?: { heartbeatMs?: number; renewBeforeMs?: number; backoffBaseMs?: number; backoffMaxMs?: number };
}

export type WatchNote = { kind: 'state'; state: SocketState } | { kind: 'reconciled'; run_id: number; changes: number };

export class LiveWatcher {
  private readonly socket: EventSocket;
  private readonly coverage: Pick<LiveCoverage, 'begin' | 'alive' | 'end'>;
  private queue: Promise<void> = Promise.resolve();
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;
  private stopped = false;
  readonly status: LiveStatus;

  constructor(private readonly deps: WatcherDeps) {
    this.status = { state: 'connecting', since: deps.now().toISOString(), events: 0, changes: 0, reconciled_at: null, last_event_at: null, error: null };
    const heartbeatMs = deps.socket?.heartbeatMs ?? HEARTBEAT_MS;
    this.coverage = deps.keepsCoverage === false ? LiveCoverage.none() : new LiveCoverage(deps.db, deps.now, heartbeatMs * TRUSTED_HEARTBEATS);
    this.socket = new EventSocket({
      url: deps.subscription.wsUrl,
      subscriptionId: deps.subscription.id,
      token: async (stale) => (await deps.client()).eventToken(stale),
      onEvent: (content) => this.enqueue(content),
      onConnected: () => {
        this.coverage.begin();
        this.startReconcile();
      },
      onAlive: () => this.coverage.alive(),
      onState: (state, error) => this.setState(state, error),
      ...deps.socket,
      heartbeatMs,
    });
  }

  /** Runs until stop(); rejects when Zoom refuses the credentials, with the reason. */
  async run(): Promise<void> {
    // A watch runs for days: its memory goes to the debug log once a minute, so growth shows.
    const memory = setInterval(() => {
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      log.debug('memory', { rss_mib: mib(rss), heap_used_mib: mib(heapUsed), heap_total_mib: mib(heapTotal), external_mib: mib(external), events: this.status.events });
    }, MEMORY_LOG_MS);
    memory.unref();
    try {
      await this.socket.run();
    } finally {
      clearInterval(memory);
      this.stopped = true;
      this.coverage.end();
      await this.queue;
      await this.reconciling;
    }
  }

  stop(): void {
    this.stopped = true;
    this.socket.stop();
  }

  private setState(state: SocketState, error?: AppError): void {
    if (state !== 'live') this.coverage.end();
    this.status.state = state;
    this.status.since = this.deps.now().toISOString();
    this.status.error = error ? { code: error.code, message: error.message } : null;
    this.deps.onNote?.({ kind: 'state', state });
  }

  private enqueue(content: string): void {
    this.status.events++;
    this.status.last_event_at = this.deps.now().toISOString();
    this.queue = this.queue.then(async () => {
      try {
        for (const change of await this.deps.applier.apply(content)) this.emit(change);
      } catch (error) {
        // Not applied (Zoom unreachable for the read-back, say): what was heard so far no longer
        // vouches for the mirror, so the next sync reads every upcoming webinar's lists again. Not a
        // sync at once: a job may be running against Zoom (its own cancels come back as events).
        log.warn('an event could not be applied; the next sync reads the lists again', { code: error instanceof AppError ? error.code : 'INTERNAL' });
        if (this.status.state === 'live' && !this.stopped) this.coverage.begin();
        this.reconcileAgain = true;
      }
    });
  }

  private emit(change: LiveChange): void {
    this.status.changes++;
    this.deps.onChange?.(change);
  }

  /** An incremental sync after a (re)connection; one at a time, and one more if asked meanwhile. */
  private startReconcile(): void {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = (async () => {
      do {
        this.reconcileAgain = false;
        await this.reconcileOnce();
      } while (this.reconcileAgain && !this.stopped);
    })().finally(() => (this.reconciling = null));
  }

  private async reconcileOnce(): Promise<void> {
    while (!this.stopped) {
      try {
        const result = await this.deps.reconcile();
        this.status.reconciled_at = this.deps.now().toISOString();
        const changes = recordedChanges(this.deps.db, 'reconcile', 'c.run_id = ?', result.run_id);
        for (const change of changes) this.emit(change);
        log.info('reconciled after connecting', { run: result.run_id, changes: changes.length });
        this.deps.onNote?.({ kind: 'reconciled', run_id: result.run_id, changes: changes.length });
        return;
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'INTERNAL';
        log.warn('reconciliation did not finish; trying again', { code });
        if (code === 'ZOOM_AUTH_FAILED') return; // the socket's own token request says so and stops
        await new Promise((resolve) => setTimeout(resolve, RECONCILE_RETRY_MS));
      }
    }
  }
}
