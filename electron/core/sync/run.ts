import { AppError } from '../../../shared/errors';
import type { AccountSyncResult, SyncProgress, SyncWarning } from '../../../shared/mirror';
import { createLogger } from '../log';
import type { Db } from '../store/database';
import { MirrorWriter, type ReadBackOutcome, type RegistrantPage } from '../store/mirror-writer';
import { panelistRows } from '../store/report-sources';
import type { SuppressionList } from '../store/suppression';
import type { ZoomClient } from '../zoom/client';
import { answered, ZoomApiError } from '../zoom/errors';
import { REGISTRANT_STATUSES, type ZoomEvent } from '../zoom/types';
import { eventFields, kindHasSource } from '../../../shared/events';
import { kindOfEvent } from '../store/event-kinds';
import { DISCOVERED, discoverEvents } from './discovery';
import { chooseMode, planEvents, remainingOfPlan } from './plan';
import { readAhead } from './read-ahead';
import { readBackRegistrant } from './read-back';
import { syncRecords, syncReports, type ReportContext } from './reports';
import { finishRun, getRun, lastCompletedFullRun, markPlannedWebinarDone, plannedEvents, reopenRun, resumableRun, savePlan, startRun, type SyncRun } from './runs';
import { summariseRun } from './summary';
import { writerHere, type AsyncWriter } from './writer-thread';

const log = createLogger('sync');

/** Webinars synced at once: enough to keep each rate-limit category busy while others wait on theirs. */
const DEFAULT_CONCURRENCY = 4;
/**
 * Registrant rows a worker collects before writing them in one transaction (bounded memory). A few
 * pages, not more: a first sync writes without the search indexes (search-indexes.ts), so a commit
 * touches few pages, and what each worker holds is what the sync's memory peaks with (1M rows at
 * Business: ~210 MiB before the indexes are built with 1,000, ~270 MiB with 5,000, same writer CPU).
 */
const INGEST_BATCH_ROWS = 1000;
/**
 * Batches of one webinar handed to the writer and not yet stored: reading runs this far ahead of
 * writing. One is enough to keep the writer busy (two were no faster at 1M rows and held more memory).
 */
const WRITES_AHEAD = 1;
/** Read-backs of vanished registrants in flight at once; the client's pacer keeps them within Zoom's Light limit. */
const READ_BACKS_AT_ONCE = 8;

export interface SyncDeps {
  db: Db;
  /** The Zoom account this run reads (its client is that account's). */
  account: string;
  client: ZoomClient;
  suppression: SuppressionList;
  now: () => Date;
  /** Where the writes go: the core passes a writer thread (writer-thread.ts); by default this thread. */
  writer?: AsyncWriter;
}

export interface SyncOptions {
  full?: boolean;
  webinarId?: string;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  concurrency?: number;
}

export class SyncCancelled extends AppError {
  constructor(done: number, total: number) {
    super('CANCELLED', `Sync cancelled after ${done} of ${total} webinars; what was read is kept. Run sync again to continue where it stopped.`);
  }
}

type Warning = SyncWarning;

/**
 * One sync run, step by step: open (or resume) the run, discover and plan, sync each planned
 * webinar (its registrants here, its panelists and reports in reports.ts), build the search
 * indexes, finish. The steps share the run's progress, warnings and stop signal; what to read is
 * decided in plan.ts.
 */
export class RunningSync {
  private readonly db: Db;
  private readonly client: ZoomClient;
  private readonly writer: AsyncWriter;
  private readonly warnings: Warning[] = [];
  private readonly progress: SyncProgress = {
    account: '',
    run_id: 0,
    phase: 'discovering',
    webinars_done: 0,
    webinars_total: 0,
    rows: 0,
    webinar_id: null,
    event_type: null,
    event_id: null,
    calls: 0,
    rate_limit_waits: 0,
  };
  private readonly statsAtStart: ZoomClient['stats'];
  /** Workers stop at the next page when the caller cancels or one of them hits a fatal error. */
  private readonly stop = new AbortController();
  private run!: SyncRun;
  /** What the reports step (reports.ts) shares of the run, once it is open. */
  private reports!: ReportContext;
  private resumed = false;
  private withoutSearchIndexes = false;

  constructor(
    private readonly deps: SyncDeps,
    private readonly options: SyncOptions = {},
  ) {
    this.db = deps.db;
    this.client = deps.client;
    this.writer = deps.writer ?? writerHere(new MirrorWriter(deps.db, deps.suppression));
    this.progress.account = deps.account;
    this.statsAtStart = { ...deps.client.stats };
  }

  /** Runs every step; a stop or a failure leaves the run resumable, with what was read kept. */
  async execute(): Promise<AccountSyncResult> {
    const onAbort = () => this.stop.abort();
    this.options.signal?.addEventListener('abort', onAbort);
    try {
      await this.open();
      if (this.run.planned === null) await this.discoverAndPlan();
      await this.syncPlannedWebinars();
      return await this.finish();
    } catch (error) {
      await this.stopWith(error);
      throw error;
    } finally {
      this.options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private stamp(): string {
    return this.deps.now().toISOString();
  }

  private report(): void {
    const stats = this.client.stats;
    this.options.onProgress?.({ ...this.progress, calls: stats.calls - this.statsAtStart.calls, rate_limit_waits: stats.rateLimitWaits - this.statsAtStart.rateLimitWaits });
  }

  private checkStop(): void {
    if (this.stop.signal.aborted) throw new SyncCancelled(this.progress.webinars_done, this.progress.webinars_total);
  }

  /** Picks up an unfinished run of the same scope, or starts one in the mode the request and the last full pass call for. */
  private async open(): Promise<void> {
    const { account } = this.deps;
    const mode = chooseMode(this.options, lastCompletedFullRun(this.db, account)?.finished_at ?? null, this.deps.now());
    const resumable = resumableRun(this.db, account, mode, this.options.webinarId ?? null);
    this.run = resumable ? reopenRun(this.db, resumable) : startRun(this.db, account, mode, this.options.webinarId ?? null, this.stamp());
    this.resumed = resumable !== undefined;
    this.progress.run_id = this.run.id;
    this.reports = {
      db: this.db,
      client: this.client,
      writer: this.writer,
      runId: this.run.id,
      fullPass: this.run.mode === 'full',
      stamp: () => this.stamp(),
      checkStop: () => this.checkStop(),
      stored: (rows) => {
        this.progress.rows += rows;
        this.report();
      },
      warn: (warning) => this.warnings.push(warning),
    };
    this.withoutSearchIndexes = await this.writer.deferSearchIndexes(this.run.id);
    log.info('sync started', { account: this.deps.account, run: this.run.id, mode: this.run.mode, resumed: this.resumed, withoutSearchIndexes: this.withoutSearchIndexes });
    this.report();
  }

  /** Discovery: lists the account's events into the mirror and saves the plan (which to sync, in what order). */
  private async discoverAndPlan(): Promise<void> {
    const { mode } = this.run;
    if (mode === 'webinar') {
      const id = this.run.scope_event_id!;
      if (!this.db.prepare('SELECT 1 FROM events WHERE id = ?').get(id)) {
        // Not in the mirror yet: read it once, so a mistyped ID fails here with Zoom's own answer.
        await this.writer.saveEventSummary('webinar', await this.client.getEvent('webinar', id), this.stamp(), this.deps.account);
      }
      savePlan(this.db, this.run.id, [id], 0);
      return;
    }
    const context = {
      db: this.db,
      account: this.deps.account,
      client: this.client,
      writer: this.writer,
      now: this.deps.now,
      checkStop: () => this.checkStop(),
      warn: (warning: Warning) => this.warnings.push(warning),
    };
    const found = await discoverEvents(DISCOVERED, mode, context, this.stamp());
    const plan = planEvents(mode, found, this.deps.now());
    if (plan.keptByEvents > 0) log.info('webinars kept current by live events; their lists are not read again', { webinars: plan.keptByEvents });
    savePlan(this.db, this.run.id, plan.eventIds, plan.keptByEvents);
  }

  /** The webinars the plan has left (all of them unless resumed), a few at once. */
  private async syncPlannedWebinars(): Promise<void> {
    const { eventIds: queue, done, total } = remainingOfPlan(plannedEvents(this.db, this.run.id));
    this.progress.phase = 'webinars';
    this.progress.webinars_total = total;
    this.progress.webinars_done = done;
    this.report();

    let fatal: unknown;
    const worker = async () => {
      while (queue.length > 0 && !this.stop.signal.aborted) {
        const webinarId = queue.shift()!;
        try {
          await this.syncWebinar(webinarId);
          markPlannedWebinarDone(this.db, this.run.id, webinarId, this.stamp());
          this.progress.webinars_done++;
          const kind = kindOfEvent(this.db, webinarId);
          Object.assign(this.progress, { webinar_id: kind === 'webinar' ? webinarId : null, event_type: kind, event_id: webinarId });
          this.report();
        } catch (error) {
          if (!(error instanceof SyncCancelled)) fatal ??= error;
          this.stop.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? DEFAULT_CONCURRENCY }, worker));
    if (fatal) throw fatal;
    this.checkStop();
  }

  private async syncWebinar(webinarId: string): Promise<void> {
    this.checkStop();
    const kind = kindOfEvent(this.db, webinarId);
    let webinar: ZoomEvent;
    try {
      webinar = await this.client.getEvent(kind, webinarId);
    } catch (error) {
      if (error instanceof ZoomApiError && error.code === 'ZOOM_WEBINAR_NOT_FOUND') {
        const gone = await this.writer.markWebinarDeleted(webinarId, this.run.id, this.stamp(), answered(`GET ${kind}`, error));
        log.info('event no longer exists on Zoom', { kind, event: webinarId, registrations: gone });
        return;
      }
      throw error;
    }
    const firstSync = (this.db.prepare('SELECT last_synced_run FROM events WHERE id = ?').get(webinarId) as { last_synced_run: number | null } | undefined)?.last_synced_run == null;
    await this.writer.saveEventDetails(kind, webinar, this.stamp());

    const now = this.deps.now().getTime();
    const startMs = webinar.start_time ? Date.parse(webinar.start_time) : NaN;
    const someSessionStarted = startMs < now || (webinar.occurrences ?? []).some((o) => Date.parse(o.start_time) < now);
    // Registrant lists (Medium limit) and reports (mostly Heavy) draw on separate limits: read both at once.
    // Both settle before the webinar counts as done or failed, so nothing writes after its run ended.
    const outcomes = await Promise.allSettled([
      this.syncRegistrants(webinar, !firstSync),
      (async () => {
        if (kindHasSource(kind, 'panelists')) await syncRecords(this.reports, 'panelist', webinarId, '', async (write) => write((await this.client.listPanelists(webinarId)).flatMap(panelistRows)));
        if (someSessionStarted) await syncReports(this.reports, webinarId);
      })(),
    ]);
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    await this.writer.markWebinarSynced(webinarId, this.run.id, this.stamp());
  }

  /**
   * Every registrant list of the webinar, each page read while the one before is stored (readAhead),
   * then the registrants no list showed are read back and the listing closed.
   */
  private async syncRegistrants(webinar: ZoomEvent, linkPrevious: boolean): Promise<void> {
    const webinarId = String(webinar.id);
    const kind = kindOfEvent(this.db, webinarId);
    if (webinar.settings.approval_type === 2) return; // registration not required: Zoom keeps no registrants
    // Registration type 1 means one registration covers every occurrence, so one listing sees
    // everyone; with 2 and 3 people register per occurrence, and each occurrence is listed.
    const perOccurrence = (webinar.settings.registration_type ?? 1) !== 1 && (webinar.occurrences?.length ?? 0) > 0;
    const occurrenceIds: (string | null)[] = perOccurrence ? webinar.occurrences!.map((o) => o.occurrence_id) : [null];
    // Pages are written several at a time: a commit rewrites every index page it touched, and where
    // the search indexes are kept up to date they are touched at random.
    let buffered: RegistrantPage[] = [];
    let bufferedRows = 0;
    const writing: Promise<unknown>[] = [];
    const flush = async () => {
      if (buffered.length > 0) {
        const written = this.writer.ingestRegistrants(webinarId, buffered, this.run.id, this.stamp(), linkPrevious);
        written.catch(() => undefined); // awaited below; meanwhile a failure is not "unhandled"
        writing.push(written);
      }
      buffered = [];
      bufferedRows = 0;
      // Backpressure: the next pages are read while the writer stores these, never more than this far ahead.
      while (writing.length > WRITES_AHEAD) await writing.shift();
    };
    try {
      for (const occurrenceId of occurrenceIds) {
        for (const status of REGISTRANT_STATUSES) {
          for await (const page of readAhead(this.client.listRegistrants(kind, webinarId, status, occurrenceId ?? undefined))) {
            buffered.push({ items: page.items, occurrenceId });
            bufferedRows += page.items.length;
            if (bufferedRows >= INGEST_BATCH_ROWS) await flush();
            this.progress.rows += page.items.length;
            this.report();
            this.checkStop();
          }
        }
      }
    } catch (error) {
      // Without a complete listing nobody can be called absent; say why and leave the rest as it was.
      if (error instanceof ZoomApiError && (error.code === 'ZOOM_NO_PERMISSION' || error.zoomCode === 3000)) {
        this.warnings.push({ ...eventFields(kind, webinarId), source: 'registrant', code: error.code, message: error.message });
        return;
      }
      throw error;
    } finally {
      // Whole pages read before a stop or an error are kept: a resumed run needn't read them again.
      await flush();
      await Promise.all(writing);
    }
    await this.writer.closeRegistrantListing(webinarId, this.run.id, this.stamp(), await this.readBackVanished(webinarId));
  }

  /**
   * One Light GET per registrant that vanished from every list: Zoom still answers a registrant
   * who cancelled themselves (status "all"), not one deleted in the web portal or by another app
   * (3079), and one listed again was caught between two list reads (zoom-api.md §3.2, §7).
   */
  private async readBackVanished(webinarId: string): Promise<Map<number, ReadBackOutcome>> {
    const outcomes = new Map<number, ReadBackOutcome>();
    const vanished = await this.writer.vanishedRegistrants(webinarId, this.run.id);
    for (let i = 0; i < vanished.length; i += READ_BACKS_AT_ONCE) {
      this.checkStop();
      await Promise.all(
        vanished
          .slice(i, i + READ_BACKS_AT_ONCE)
          .map(async ({ id, registrant_id }) => outcomes.set(id, await readBackRegistrant(this.client, kindOfEvent(this.db, webinarId), webinarId, registrant_id))),
      );
    }
    return outcomes;
  }

  private async buildSearchIndexes(): Promise<void> {
    if (!this.withoutSearchIndexes) return;
    const built = await this.writer.buildSearchIndexes();
    log.info('search indexes built', { run: this.run.id, indexes: built });
  }

  /** Builds the search indexes a first sync went without, marks the run completed and sums it up. */
  private async finish(): Promise<AccountSyncResult> {
    if (this.withoutSearchIndexes) {
      // Seconds at a million registrants (search-indexes.ts): said, so the wait has a name.
      this.progress.phase = 'indexing';
      this.report();
      await this.buildSearchIndexes();
    }
    this.progress.phase = 'finishing';
    this.report();
    const { db, run } = this;
    finishRun(db, run.id, 'completed', this.stamp());
    log.info('sync completed', { run: run.id, webinars: this.progress.webinars_total, rows: this.progress.rows });
    return {
      account: this.deps.account,
      ...summariseRun(db, run.id),
      run_id: run.id,
      mode: run.mode,
      resumed: this.resumed,
      started_at: run.started_at,
      kept_by_events: getRun(db, run.id).kept_by_events ?? 0,
      warnings: this.warnings,
    };
  }

  /** A cancel or a failure: the run is left to be resumed, its search indexes built from what was stored. */
  private async stopWith(error: unknown): Promise<void> {
    if (!this.run) return; // the run never opened: nothing to record
    const cancelled = error instanceof SyncCancelled;
    // What was stored is searchable as before; if the writer itself failed, the next sync builds them.
    await this.buildSearchIndexes().catch(() => undefined);
    finishRun(this.db, this.run.id, cancelled ? 'cancelled' : 'failed', this.stamp(), error instanceof AppError ? error.code : 'INTERNAL');
    if (cancelled) log.info('sync cancelled', { run: this.run.id });
    else log.warn('sync failed', { run: this.run.id, error });
  }
}
