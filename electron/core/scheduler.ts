import type { OperationOutput, ParsedInput } from '../../shared/contract';
import { AppError, type ErrorShape } from '../../shared/errors';
import type { AccountSyncResult, SyncProgress, SyncResult } from '../../shared/mirror';
import type { AuditLog } from './audit';
import type { JobProgress, JobRunner } from './jobs/runner';
import { createLogger } from './log';
import type { RequestRegister } from './requests/register';
import type { Secrets } from './secrets';
import type { Store } from './store/database';
import { acquireLease, describeHolder } from './store/leases';
import type { SuppressionList } from './store/suppression';
import { connectedAccountNames } from './store/accounts';
import { accountsToSync, syncAccounts } from './sync/accounts';
import { recordRunWarnings } from './sync/runs';
import { writerThread } from './sync/writer-thread';
import type { ZoomClient } from './zoom/client';

// The work a core runs over time: one sync or one job at a time (across processes, by leases),
// their progress and cancellation, the hourly retention purge, and stopping all of it on close.

/** Retention purges run at start-up and then this often while the app stays open. */
const PURGE_EVERY_MS = 60 * 60_000;

const log = createLogger('core');

interface ActiveJob {
  id: string;
  controller: AbortController;
  since: string;
  progress: JobProgress | null;
  /** Resolves once the job has stopped, however it stopped (its caller sees which). */
  settled: Promise<unknown>;
}

interface ActiveSync {
  controller: AbortController;
  progress: SyncProgress | null;
  /** Resolves once the sync has ended, however it ended (its caller sees which). */
  settled: Promise<unknown>;
}

export interface SchedulerDeps {
  store: Store;
  secrets: Secrets;
  audit: AuditLog;
  now: () => Date;
  /** An account's client for the plan in settings. */
  zoomClient: (account: string) => Promise<ZoomClient>;
  suppression: () => Promise<SuppressionList>;
  requests: RequestRegister;
  jobs: JobRunner;
  /** What a finished erasure job sets off (the ledger beside the backups, a backup). */
  afterErasureJob: () => Promise<void>;
  /** Drops what retention no longer allows; runs now and every `purgeEveryMs`. */
  purge: () => void;
  purgeEveryMs?: number;
  onSyncProgress?: (progress: SyncProgress) => void;
  onJobProgress?: (progress: JobProgress) => void;
}

export interface Scheduler {
  /** Runs a sync to its end; `forJob` lets the running job's own catch-up sync start. */
  sync(input: ParsedInput<'syncZoom'>, scope?: { forJob?: boolean }): Promise<SyncResult>;
  /** The sync a job makes when its mirror is older than its request; cancelling the job cancels it. */
  syncForJob(signal?: AbortSignal): Promise<void>;
  job(id: string, by: string): Promise<OperationOutput<'runJob'>>;
  syncState(): { running: boolean; progress: SyncProgress | null; last_error: ErrorShape | null };
  jobState(id: string): { running: boolean; progress: JobProgress | null; error: ErrorShape | null };
  cancelSync(): boolean;
  cancelJob(): boolean;
  /** Stops the purge timer and any sync or job, and waits until they have recorded where they stopped. */
  close(): Promise<void>;
}

export function startScheduler(deps: SchedulerDeps): Scheduler {
  const { store, audit, now } = deps;
  const { db } = store;

  // Requests past their retention period, and closed erasures past the grace period, lose their
  // identifiers when the register opens and every hour while it stays open.
  deps.purge();
  const purgeTimer = setInterval(() => {
    try {
      if (db.open) deps.purge();
    } catch (error) {
      log.warn('retention purge failed; it runs again within the hour', { error });
    }
  }, deps.purgeEveryMs ?? PURGE_EVERY_MS);
  purgeTimer.unref();

  // One sync or job at a time per core (across processes, by leases); the UI follows a sync through getSyncStatus.
  let activeSync: ActiveSync | null = null;
  let activeJob: ActiveJob | null = null;
  let lastSyncError: ErrorShape | null = null;
  /** Why a job started from the window last stopped without a result, per request (this process only). */
  const jobErrors = new Map<string, ErrorShape>();

  function job(id: string, by: string): Promise<OperationOutput<'runJob'>> {
    if (activeJob) throw new AppError('JOB_RUNNING', `The job of ${activeJob.id} is already running in this window (since ${activeJob.since}); wait for it or cancel it.`);
    if (activeSync) throw new AppError('SYNC_IN_PROGRESS', 'A sync is running; run the job when it has finished, so both work from the same mirror.');
    const state: ActiveJob = { id, controller: new AbortController(), since: now().toISOString(), progress: null, settled: Promise.resolve() };
    activeJob = state;
    jobErrors.delete(id);
    const running = deps.jobs
      .run(id, {
        by,
        signal: state.controller.signal,
        onProgress: (progress) => {
          state.progress = progress;
          deps.onJobProgress?.(progress);
        },
      })
      .then(async (result) => {
        // A finished erasure: the ledger beside the backups learns of it, and a backup follows (settings).
        if ((result.status === 'completed' || result.status === 'partial') && (await deps.requests.get(id)).type === 'erasure') await deps.afterErasureJob();
        return result;
      })
      .catch((error: unknown) => {
        jobErrors.set(
          id,
          error instanceof AppError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: 'The job stopped unexpectedly; the log has details. Run it again to resume.' },
        );
        throw error;
      })
      .finally(() => {
        activeJob = null;
      });
    state.settled = running.catch(() => undefined);
    return running;
  }

  function sync(input: ParsedInput<'syncZoom'>, scope: { forJob?: boolean } = {}): Promise<SyncResult> {
    if (activeSync) throw new AppError('SYNC_IN_PROGRESS', 'A sync is already running. Wait for it to finish, or cancel it, before starting another.');
    if (activeJob && !scope.forJob) throw new AppError('SYNC_IN_PROGRESS', `The job of ${activeJob.id} is running (since ${activeJob.since}); sync when it has finished.`);
    const lease = acquireLease(
      db,
      'sync',
      now,
      (holder) => new AppError('SYNC_IN_PROGRESS', `A sync is already running ${describeHolder(holder)}. Wait for it to finish (a process that died is taken over within a minute).`),
    );
    const state: ActiveSync = { controller: new AbortController(), progress: null, settled: Promise.resolve() };
    activeSync = state;
    const running = (async () => {
      const accounts = accountsToSync(db, input);
      const suppression = await deps.suppression();
      // The pages are stored on a thread of their own while this one reads the next (writer-thread.ts).
      const writer = await writerThread(store, (await deps.secrets.getDatabaseKey())!, suppression);
      const options = {
        full: input.full,
        webinarId: input.webinar_id,
        signal: state.controller.signal,
        onProgress: (progress: SyncProgress) => {
          state.progress = progress;
          deps.onSyncProgress?.(progress);
        },
      };
      const onAccountDone = (result: AccountSyncResult) => {
        recordRunWarnings(db, result.run_id, result.warnings);
        audit.append({
          actor: 'sync',
          action: 'sync.completed',
          details: {
            account: result.account,
            run_id: result.run_id,
            mode: result.mode,
            webinars: result.webinars,
            meetings: result.meetings,
            registrants: result.registrants,
            changes: result.changes,
          },
        });
      };
      return syncAccounts({ db, suppression, now, writer, client: deps.zoomClient, onAccountDone }, accounts, options).finally(() => writer.close());
    })()
      .then(
        (result) => {
          lastSyncError = null;
          return result;
        },
        (error: unknown) => {
          lastSyncError = error instanceof AppError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: 'The sync failed unexpectedly; the log has details.' };
          if (db.open) audit.append({ actor: 'sync', action: 'sync.stopped', details: { code: lastSyncError.code } });
          throw error;
        },
      )
      .finally(() => {
        lease.release();
        activeSync = null;
      });
    state.settled = running.catch(() => undefined);
    return running;
  }

  async function syncForJob(signal?: AbortSignal): Promise<void> {
    if (connectedAccountNames(db).length === 0) {
      throw new AppError(
        'ZOOM_NOT_CONNECTED',
        'The mirror is older than this request (or was never synced), and no Zoom account is connected to bring it up to date, so a plan made now could miss registrations Zoom holds.',
        { action: 'connect-and-sync' },
      );
    }
    const forward = () => activeSync?.controller.abort();
    signal?.addEventListener('abort', forward);
    try {
      await sync({ full: false }, { forJob: true });
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }

  return {
    sync,
    syncForJob,
    job,
    syncState: () => ({ running: activeSync !== null, progress: activeSync?.progress ?? null, last_error: lastSyncError }),
    jobState: (id) => {
      const running = activeJob?.id === id;
      return { running, progress: running ? (activeJob?.progress ?? null) : null, error: running ? null : (jobErrors.get(id) ?? null) };
    },
    cancelSync: () => {
      if (!activeSync) return false;
      activeSync.controller.abort();
      return true;
    },
    cancelJob: () => {
      activeJob?.controller.abort();
      return activeJob !== null;
    },
    close: async () => {
      // A sync or job still running stops at its next page or step (a sync's index build at the end
      // of a large first sync, or a job's Zoom call in hand, finishes first) and records where it
      // stopped, resumable, before the connection it records with is closed.
      activeSync?.controller.abort();
      activeJob?.controller.abort();
      await Promise.all([activeSync?.settled, activeJob?.settled]);
      clearInterval(purgeTimer);
    },
  };
}
