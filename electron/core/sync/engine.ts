import { AppError } from '../../../shared/errors';
import { CHANGE_KINDS } from '../../../shared/changes';
import type { ChangeCounts, SyncProgress, SyncResult } from '../../../shared/mirror';
import { createLogger } from '../log';
import type { Db } from '../store/database';
import { MirrorWriter, type ReadBackOutcome, type RegistrantPage } from '../store/mirror-writer';
import { writerHere, type AsyncWriter } from './writer-thread';
import { absenteeRows, panelistRows, participantRows, pollRows, qaRows, surveyRows, type ReportRow, type ReportSource } from '../store/report-sources';
import type { SuppressionList } from '../store/suppression';
import type { ZoomClient } from '../zoom/client';
import { answered, ZoomApiError } from '../zoom/errors';
import { REGISTRANT_STATUSES, type ZoomWebinar } from '../zoom/types';
import { keptCurrentByEvents } from '../store/live-coverage';
import { chooseMode, heldSinceLastSync, interleave, REPORTS_SETTLE_MS } from './plan';
import { readBackRegistrant } from './read-back';
import {
  finishRun,
  getRun,
  markPlannedWebinarDone,
  pendingWebinars,
  reopenRun,
  resumableRun,
  savePlan,
  startRun,
  type SyncRun,
} from './runs';

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

type Warning = SyncResult['warnings'][number];

/** Answers that mean "this report isn't available (any more)", not "the sync failed". */
function isReportUnavailable(error: unknown): error is ZoomApiError {
  return (
    error instanceof ZoomApiError &&
    // 3001 is ZOOM_WEBINAR_NOT_FOUND already; 12702 is a report older than Zoom keeps, 1010 another account's webinar.
    (error.code === 'ZOOM_WEBINAR_NOT_FOUND' || error.code === 'ZOOM_NO_PERMISSION' || error.zoomCode === 12702 || error.zoomCode === 1010)
  );
}

/**
 * Mirrors what Zoom holds: webinars, registrants in every status (per occurrence where people
 * register per occurrence), and the report records with personal data. Pages go to the store as
 * they arrive. Resumes an unfinished run of the same scope instead of starting over.
 */
export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncResult> {
  const { db, client, now } = deps;
  const writer = deps.writer ?? writerHere(new MirrorWriter(db, deps.suppression));
  const stamp = () => now().toISOString();
  const mode = chooseMode(db, options, now());

  const resumable = resumableRun(db, mode, options.webinarId ?? null);
  const run = resumable ? reopenRun(db, resumable) : startRun(db, mode, options.webinarId ?? null, stamp());
  const resumed = resumable !== undefined;
  const withoutSearchIndexes = await writer.deferSearchIndexes(run.id);
  log.info('sync started', { run: run.id, mode: run.mode, resumed, withoutSearchIndexes });
  const buildSearchIndexes = async () => {
    if (!withoutSearchIndexes) return;
    const built = await writer.buildSearchIndexes();
    log.info('search indexes built', { run: run.id, indexes: built });
  };

  const warnings: Warning[] = [];
  const progress: SyncProgress = { run_id: run.id, phase: 'discovering', webinars_done: 0, webinars_total: 0, rows: 0, webinar_id: null, calls: 0, rate_limit_waits: 0 };
  const statsAtStart = { ...client.stats };
  const report = () =>
    options.onProgress?.({ ...progress, calls: client.stats.calls - statsAtStart.calls, rate_limit_waits: client.stats.rateLimitWaits - statsAtStart.rateLimitWaits });
  report();

  // Workers stop at the next page when the caller cancels or one of them hits a fatal error.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  const checkStop = () => {
    if (stop.signal.aborted) throw new SyncCancelled(progress.webinars_done, progress.webinars_total);
  };

  try {
    if (run.planned === null) {
      const plan = await discover(run);
      savePlan(db, run.id, plan.webinarIds, plan.keptByEvents);
    }
    const queue = pendingWebinars(db, run.id);
    progress.phase = 'webinars';
    progress.webinars_total = getRun(db, run.id).planned ?? queue.length;
    progress.webinars_done = progress.webinars_total - queue.length;
    report();

    let fatal: unknown;
    const worker = async () => {
      while (queue.length > 0 && !stop.signal.aborted) {
        const webinarId = queue.shift()!;
        try {
          await syncWebinar(webinarId, run);
          markPlannedWebinarDone(db, run.id, webinarId, stamp());
          progress.webinars_done++;
          progress.webinar_id = webinarId;
          report();
        } catch (error) {
          if (!(error instanceof SyncCancelled)) fatal ??= error;
          stop.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? DEFAULT_CONCURRENCY }, worker));
    if (fatal) throw fatal;
    checkStop();

    if (withoutSearchIndexes) {
      // Seconds at a million registrants (search-indexes.ts): said, so the wait has a name.
      progress.phase = 'indexing';
      report();
      await buildSearchIndexes();
    }
    progress.phase = 'finishing';
    report();
    finishRun(db, run.id, 'completed', stamp());
    log.info('sync completed', { run: run.id, webinars: progress.webinars_total, rows: progress.rows });
    return { ...summarise(db, run.id), run_id: run.id, mode: run.mode, resumed, started_at: run.started_at, kept_by_events: getRun(db, run.id).kept_by_events ?? 0, warnings };
  } catch (error) {
    const cancelled = error instanceof SyncCancelled;
    // What was stored is searchable as before; if the writer itself failed, the next sync builds them.
    await buildSearchIndexes().catch(() => undefined);
    finishRun(db, run.id, cancelled ? 'cancelled' : 'failed', stamp(), error instanceof AppError ? error.code : 'INTERNAL');
    if (cancelled) log.info('sync cancelled', { run: run.id });
    else log.warn('sync failed', { run: run.id, error });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  /** Lists the account's webinars into the mirror and returns the plan: which to sync, in what order, and how many live events spared. */
  async function discover(current: SyncRun): Promise<{ webinarIds: string[]; keptByEvents: number }> {
    if (current.mode === 'webinar') {
      const id = current.scope_webinar_id!;
      const known = db.prepare('SELECT 1 FROM webinars WHERE id = ?').get(id);
      if (!known) {
        // Not in the mirror yet: read it once, so a mistyped ID fails here with Zoom's own answer.
        await writer.saveWebinarSummary(await client.getWebinar(id), stamp());
      }
      return { webinarIds: [id], keptByEvents: 0 };
    }
    const listed: { id: string; changed: boolean; past: boolean }[] = [];
    const at = stamp();
    for await (const summary of client.listAccountWebinars()) {
      checkStop();
      const changed = await writer.saveWebinarSummary(summary, at);
      listed.push({ id: String(summary.id), changed, past: summary.start_time !== undefined && Date.parse(summary.start_time) < now().getTime() });
    }
    const listedIds = new Set(listed.map((w) => w.id));
    // Zoom lists only unexpired webinars, so a remembered webinar missing from the list is read
    // directly: that is how one deleted on Zoom is noticed. Full passes check every one; incremental
    // runs those still to come (or just held), which can only be missing because they were deleted.
    const cutoff = new Date(now().getTime() - 86_400_000).toISOString();
    const remembered = (
      db
        .prepare('SELECT id FROM webinars WHERE deleted_at IS NULL AND (? OR start_time IS NULL OR start_time > ?) ORDER BY id')
        .pluck()
        .all(current.mode === 'full' ? 1 : 0, cutoff) as string[]
    ).filter((id) => !listedIds.has(id));
    // A full pass reads everything, so a gap in what was heard that nobody noticed is closed within a week at most.
    const incremental = current.mode === 'incremental';
    const heardCurrent = incremental ? keptCurrentByEvents(db, now()) : new Set<string>();
    const held = incremental ? heldSinceLastSync(db, now()) : new Set<string>();
    const wanted = listed.filter((w) => current.mode === 'full' || w.changed || held.has(w.id) || (!w.past && !heardCurrent.has(w.id)));
    const kept = listed.filter((w) => !w.past && !w.changed && !held.has(w.id) && heardCurrent.has(w.id)).length;
    if (kept > 0) log.info('webinars kept current by live events; their lists are not read again', { webinars: kept });
    const webinarIds = [...interleave(wanted.filter((w) => w.past), wanted.filter((w) => !w.past)).map((w) => w.id), ...remembered];
    return { webinarIds, keptByEvents: kept };
  }

  async function syncWebinar(webinarId: string, current: SyncRun): Promise<void> {
    checkStop();
    let webinar: ZoomWebinar;
    try {
      webinar = await client.getWebinar(webinarId);
    } catch (error) {
      if (error instanceof ZoomApiError && error.code === 'ZOOM_WEBINAR_NOT_FOUND') {
        const gone = await writer.markWebinarDeleted(webinarId, current.id, stamp(), answered('GET webinar', error));
        log.info('webinar no longer exists on Zoom', { webinar: webinarId, registrations: gone });
        return;
      }
      throw error;
    }
    const at = stamp();
    const firstSync = (db.prepare('SELECT last_synced_run FROM webinars WHERE id = ?').get(webinarId) as { last_synced_run: number | null } | undefined)?.last_synced_run == null;
    await writer.saveWebinarDetails(webinar, at);

    const startMs = webinar.start_time ? Date.parse(webinar.start_time) : NaN;
    const someSessionStarted = startMs < now().getTime() || (webinar.occurrences ?? []).some((o) => Date.parse(o.start_time) < now().getTime());
    // Registrant lists (Medium limit) and reports (mostly Heavy) draw on separate limits: read both at once.
    // Both settle before the webinar counts as done or failed, so nothing writes after its run ended.
    const outcomes = await Promise.allSettled([
      syncRegistrants(webinar, current, !firstSync),
      (async () => {
        await syncRecords('panelist', webinarId, '', async (write) => write((await client.listPanelists(webinarId)).flatMap(panelistRows)), current);
        if (someSessionStarted) await syncReports(webinarId, current);
      })(),
    ]);
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    await writer.markWebinarSynced(webinarId, current.id, stamp());
  }

  async function syncRegistrants(webinar: ZoomWebinar, current: SyncRun, linkPrevious: boolean): Promise<void> {
    const webinarId = String(webinar.id);
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
        const written = writer.ingestRegistrants(webinarId, buffered, current.id, stamp(), linkPrevious);
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
          for await (const page of client.listRegistrants(webinarId, status, occurrenceId ?? undefined)) {
            buffered.push({ items: page.items, occurrenceId });
            bufferedRows += page.items.length;
            if (bufferedRows >= INGEST_BATCH_ROWS) await flush();
            progress.rows += page.items.length;
            report();
            checkStop();
          }
        }
      }
    } catch (error) {
      // Without a complete listing nobody can be called absent; say why and leave the rest as it was.
      if (error instanceof ZoomApiError && (error.code === 'ZOOM_NO_PERMISSION' || error.zoomCode === 3000)) {
        warnings.push({ webinar_id: webinarId, source: 'registrant', code: error.code, message: error.message });
        return;
      }
      throw error;
    } finally {
      // Whole pages read before a stop or an error are kept: a resumed run needn't read them again.
      await flush();
      await Promise.all(writing);
    }
    await writer.closeRegistrantListing(webinarId, current.id, stamp(), await readBackVanished(webinarId, current));
  }

  /**
   * One Light GET per registrant that vanished from every list: Zoom still answers a registrant
   * who cancelled themselves (status "all"), not one deleted in the web portal or by another app
   * (3079), and one listed again was caught between two list reads (zoom-api.md §3.2, §7).
   */
  async function readBackVanished(webinarId: string, current: SyncRun): Promise<Map<number, ReadBackOutcome>> {
    const outcomes = new Map<number, ReadBackOutcome>();
    const vanished = await writer.vanishedRegistrants(webinarId, current.id);
    for (let i = 0; i < vanished.length; i += READ_BACKS_AT_ONCE) {
      checkStop();
      await Promise.all(
        vanished.slice(i, i + READ_BACKS_AT_ONCE).map(async ({ id, registrant_id }) => outcomes.set(id, await readBackRegistrant(client, webinarId, registrant_id))),
      );
    }
    return outcomes;
  }

  async function syncReports(webinarId: string, current: SyncRun): Promise<void> {
    let instances: { uuid: string; start_time: string }[];
    try {
      instances = await client.listPastInstances(webinarId);
    } catch (error) {
      if (!isReportUnavailable(error)) throw error;
      warnings.push({ webinar_id: webinarId, source: 'instances', code: error.code, message: error.message });
      return;
    }
    await writer.saveInstances(webinarId, instances);
    // A session's reports are final once read a day after it started (Zoom prepares them after the
    // session ends); incremental runs read each session until then, and then no more.
    const final = new Set(
      (db.prepare('SELECT uuid, start_time, reports_synced_at FROM webinar_instances WHERE webinar_id = ? AND reports_synced_at IS NOT NULL').all(webinarId) as { uuid: string; start_time: string | null; reports_synced_at: string }[])
        .filter((i) => i.start_time !== null && Date.parse(i.reports_synced_at) - Date.parse(i.start_time) >= REPORTS_SETTLE_MS)
        .map((i) => i.uuid),
    );
    for (const instance of instances) {
      if (current.mode !== 'full' && final.has(instance.uuid)) continue;
      const ref = instance.uuid;
      await syncRecords('participant', webinarId, ref, (write) => pagesOf(client.listReportParticipants(ref), participantRows, write), current);
      await syncRecords('absentee', webinarId, ref, (write) => pagesOf(client.listAbsentees(ref), absenteeRows, write), current);
      await syncRecords('qa', webinarId, ref, async (write) => write((await client.reportQa(ref)).flatMap(qaRows)), current);
      await syncRecords('poll', webinarId, ref, async (write) => write((await client.reportPolls(ref)).flatMap(pollRows)), current);
      await syncRecords('survey', webinarId, ref, async (write) => write((await client.reportSurvey(ref)).flatMap(surveyRows)), current);
      await writer.markInstanceReportsSynced(webinarId, ref, stamp());
    }
  }

  async function pagesOf<T>(pages: AsyncGenerator<{ items: T[] }>, toRows: (item: T) => ReportRow[], write: (rows: ReportRow[]) => Promise<void>): Promise<void> {
    for await (const page of pages) {
      checkStop();
      await write(page.items.flatMap(toRows));
    }
  }

  /** Reads one report into its table; when Zoom no longer has it, the mirror keeps what it last read. */
  async function syncRecords(source: ReportSource, webinarId: string, instanceUuid: string, read: (write: (rows: ReportRow[]) => Promise<void>) => Promise<void>, current: SyncRun): Promise<void> {
    let count = 0;
    try {
      await read(async (rows) => {
        const first = count;
        count += rows.length;
        await writer.writeReportRows(source, webinarId, instanceUuid, first, rows, current.id);
        progress.rows += rows.length;
        report();
      });
    } catch (error) {
      if (!isReportUnavailable(error)) throw error;
      warnings.push({ webinar_id: webinarId, source, code: error.code, message: error.message });
      return;
    }
    await writer.finishReport(source, webinarId, instanceUuid, count);
  }
}

/** What a run did, read back from the store so a resumed run reports the whole run, not its last part. */
function summarise(db: Db, runId: number): Omit<SyncResult, 'run_id' | 'mode' | 'resumed' | 'started_at' | 'kept_by_events' | 'warnings'> {
  const changes = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, 0])) as ChangeCounts;
  for (const row of db.prepare('SELECT kind, count(*) AS n FROM registrant_changes WHERE run_id = ? GROUP BY kind').all(runId) as { kind: keyof ChangeCounts; n: number }[]) {
    changes[row.kind] = row.n;
  }
  return {
    webinars: db.prepare('SELECT count(*) FROM sync_run_webinars WHERE run_id = ? AND done_at IS NOT NULL').pluck().get(runId) as number,
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
