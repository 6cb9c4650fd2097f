import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CoreService, OperationOutput, ParsedInput } from '../../shared/contract';
import { callOperation, type Dispatch } from '../../shared/dispatch';
import { pathInDataFolder } from './data-folder';
import { fileStamp } from './files';
import { createLogger } from './log';
import { readSettings, updateSettings } from './settings';
import { CIPHER, isEncryptedOnDisk, openStore, readMeta, writeMeta, type Store } from './store/database';
import { LATEST_SCHEMA_VERSION } from './store/migrations';
import { keytarBackend, Secrets, type KeychainBackend } from './secrets';
import { connectZoom, ZoomClients } from './zoom/connection';
import { checkBaseUrl } from './zoom/base-url';
import { DEFAULT_WS_URL, organisationMissing } from '../../shared/settings';
import { AppError, type ErrorShape } from '../../shared/errors';
import type { Acting } from '../../shared/requests';
import type { SyncProgress, SyncResult } from '../../shared/mirror';
import { SuppressionList } from './store/suppression';
import { findSubject, listChanges, listRegistrants, listWebinars, mirrorOverview, registrantTimeline } from './store/mirror-queries';
import { openProcessorTasks, processorTaskOf } from './jobs/processor-tasks';
import { runSync } from './sync/engine';
import { writerThread } from './sync/writer-thread';
import { AuditLog } from './audit';
import { backupHandlers } from './backup/handlers';
import { startBackupSchedule } from './backup/schedule';
import { keychainAnchorStore } from './audit/anchor-store';
import { RequestRegister } from './requests';
import { JobRunner, type JobProgress } from './jobs';
import { lastCompletedFullRun, lastRun } from './sync/runs';
import { acquireLease, describeHolder } from './store/leases';
import { Documents, type Progress } from './documents';
import { readDocument } from './documents/read-document';
import { eventSubscription, type WatchOptions } from './live/subscription';

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

export interface CoreOptions {
  dataDir: string;
  keychain?: KeychainBackend;
  now?: () => Date;
  /** Hears every progress event of a sync run by this core (the CLI prints them). */
  onSyncProgress?: (progress: SyncProgress) => void;
  onJobProgress?: (progress: JobProgress) => void;
  /** Hears the progress of a long document (the CLI prints it on stderr). */
  onDocumentProgress?: Progress;
  /** How often retention purges run while the core stays open (default hourly; tests shorten it). */
  purgeEveryMs?: number;
  /** This core holds the sandbox's seeded data, not the live account's (the desk opens it). */
  sandbox?: boolean;
}

export type { WatchOptions } from './live/subscription';

export interface Core {
  service: CoreService;
  dispatch: Dispatch;
  store: Store;
  secrets: Secrets;
  /** The audit log (restore and unlock record themselves in it). */
  audit: AuditLog;
  requests: RequestRegister;
  /** The suppression list (the jobs add to it; tests read it). */
  suppression(): Promise<SuppressionList>;
  /** Writes every audit entry with its hash, one JSON object a line (`audit export`); an existing file only with `force`. */
  exportAudit(file: string, force: boolean): { path: string; entries: number; head: string };
  /**
   * Holds the event subscription set in settings until `stop()` is called on what it returns
   * (`watch`, the desk); `done` settles when it has stopped, rejecting when Zoom refuses the credentials.
   */
  watchEvents(options?: WatchOptions): { stop(): void; done: Promise<void> };
  /** Takes a backup into the settings' backup folder whenever one is due, until stopped (`watch`, the desk). */
  startBackupSchedule(): { stop(): Promise<void> };
  /** Closes the store once the audit anchor has reached the keychain. */
  close(): Promise<void>;
}

/** app_meta's mark of the last credentials stored (a random value; the credentials stay in the keychain). */
const CREDENTIALS_CHANGED = 'zoom_credentials_changed';

/** Opens the store of a data directory and returns the one service object that implements the contract. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const now = options.now ?? (() => new Date());
  const secrets = new Secrets(options.keychain ?? keytarBackend(), options.dataDir);
  const store = await openStore(options.dataDir, secrets);
  const { db } = store;

  // Whoever stores new credentials marks it here, so every core on this folder reads them again.
  const zoomClients = new ZoomClients(secrets, () => readMeta(db, CREDENTIALS_CHANGED));
  let suppression: SuppressionList | undefined;
  const suppressionList = async () => (suppression ??= await SuppressionList.open(db, secrets));
  const audit = new AuditLog(db, now, keychainAnchorStore(secrets, options.dataDir));
  const deadlineRules = () => {
    const settings = readSettings(db);
    return { timeZone: settings.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, holidays: new Set(settings.holidays) };
  };
  /** Who acts: the name the door gave, else the settings' operator; no act goes unnamed (Art 5(2)). */
  const operator = (by: string | undefined): string => {
    const name = by ?? readSettings(db).operator;
    if (!name) {
      throw new AppError('OPERATOR_MISSING', 'No one is named as acting, and no default reviewer is set. Nothing was changed.', { action: 'set-operator' });
    }
    return name;
  };
  const acting = <T extends { by?: string }>(input: T): Acting<T> => ({ ...input, by: operator(input.by) });
  const requests = new RequestRegister({ db, audit, now, suppression: suppressionList, rules: deadlineRules });
  const documents = new Documents({ db, audit, register: requests, settings: () => readSettings(db), timeZone: () => deadlineRules().timeZone, now, dataDir: options.dataDir });
  const jobs = new JobRunner({
    db,
    audit,
    register: requests,
    suppression: suppressionList,
    client: () => zoomClients.get(readSettings(db).zoom_plan),
    settings: () => readSettings(db),
    now,
    // The job's own copy is written even before the organisation is set (then as a draft): the job must not stall on it.
    writePackage: (id, by) => documents.subjectPackage(id, { by, out: pathInDataFolder(options.dataDir, 'exports', id), force: true, draft: organisationMissing(readSettings(db)).length > 0 }),
    syncMirror: async (signal) => {
      if (!(await zoomClients.credentials())) {
        throw new AppError(
          'ZOOM_NOT_CONNECTED',
          'The mirror is older than this request (or was never synced), and no Zoom account is connected to bring it up to date, so a plan made now could miss registrations Zoom holds.',
          { action: 'connect-and-sync' },
        );
      }
      const forward = () => activeSync?.controller.abort();
      signal?.addEventListener('abort', forward);
      try {
        await beginSync({ full: false }, { forJob: true });
      } finally {
        signal?.removeEventListener('abort', forward);
      }
    },
  });
  // Requests past their retention period, and closed erasures past the grace period, lose their
  // identifiers when the register opens and every hour while it stays open.
  const purge = () => {
    const settings = readSettings(db);
    requests.purgeExpired(settings.request_retention_years);
    requests.purgeAddresses(settings.erasure_address_grace_days);
    documents.purgeFiles(settings.erasure_address_grace_days);
  };
  purge();
  const purgeTimer = setInterval(() => {
    try {
      if (db.open) purge();
    } catch (error) {
      log.warn('retention purge failed; it runs again within the hour', { error });
    }
  }, options.purgeEveryMs ?? PURGE_EVERY_MS);
  purgeTimer.unref();

  const backups = backupHandlers({ db, dataDir: options.dataDir, secrets, audit, now, settings: () => readSettings(db), suppression: suppressionList });

  // One sync or job at a time per core (across processes, by leases); the UI follows a sync through getSyncStatus.
  let activeSync: ActiveSync | null = null;
  let activeJob: ActiveJob | null = null;
  let lastSyncError: ErrorShape | null = null;
  /** Why a job started from the window last stopped without a result, per request (this process only). */
  const jobErrors = new Map<string, ErrorShape>();

  function beginJob(id: string, by: string): Promise<OperationOutput<'runJob'>> {
    if (activeJob) throw new AppError('JOB_RUNNING', `The job of ${activeJob.id} is already running in this window (since ${activeJob.since}); wait for it or cancel it.`);
    if (activeSync) throw new AppError('SYNC_IN_PROGRESS', 'A sync is running; run the job when it has finished, so both work from the same mirror.');
    const job: ActiveJob = { id, controller: new AbortController(), since: now().toISOString(), progress: null, settled: Promise.resolve() };
    activeJob = job;
    jobErrors.delete(id);
    const running = jobs
      .run(id, {
        by,
        signal: job.controller.signal,
        onProgress: (progress) => {
          job.progress = progress;
          options.onJobProgress?.(progress);
        },
      })
      .then(async (result) => {
        // A finished erasure: the ledger beside the backups learns of it, and a backup follows (settings).
        if ((result.status === 'completed' || result.status === 'partial') && (await requests.get(id)).type === 'erasure') await backups.afterErasureJob();
        return result;
      })
      .catch((error: unknown) => {
        jobErrors.set(id, error instanceof AppError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: 'The job stopped unexpectedly; the log has details. Run it again to resume.' });
        throw error;
      })
      .finally(() => {
        activeJob = null;
      });
    job.settled = running.catch(() => undefined);
    return running;
  }

  function beginSync(input: ParsedInput<'syncZoom'>, scope: { forJob?: boolean } = {}): Promise<SyncResult> {
    if (activeSync) throw new AppError('SYNC_IN_PROGRESS', 'A sync is already running. Wait for it to finish, or cancel it, before starting another.');
    if (activeJob && !scope.forJob) throw new AppError('SYNC_IN_PROGRESS', `The job of ${activeJob.id} is running (since ${activeJob.since}); sync when it has finished.`);
    const lease = acquireLease(db, 'sync', now, (holder) => new AppError('SYNC_IN_PROGRESS', `A sync is already running ${describeHolder(holder)}. Wait for it to finish (a process that died is taken over within a minute).`));
    const state: ActiveSync = { controller: new AbortController(), progress: null, settled: Promise.resolve() };
    activeSync = state;
    const running = (async () => {
      const client = await zoomClients.get(readSettings(db).zoom_plan);
      const suppression = await suppressionList();
      // The pages are stored on a thread of their own while this one reads the next (writer-thread.ts).
      const writer = await writerThread(store, (await secrets.getDatabaseKey())!, suppression);
      return runSync(
        { db, client, suppression, now, writer },
        {
          full: input.full,
          webinarId: input.webinar_id,
          signal: state.controller.signal,
          onProgress: (progress) => {
            state.progress = progress;
            options.onSyncProgress?.(progress);
          },
        },
      ).finally(() => writer.close());
    })()
      .then(
        (result) => {
          lastSyncError = null;
          db.prepare('UPDATE sync_runs SET warnings = ? WHERE id = ?').run(JSON.stringify(result.warnings), result.run_id);
          audit.append({ actor: 'sync', action: 'sync.completed', details: { run_id: result.run_id, mode: result.mode, webinars: result.webinars, registrants: result.registrants, changes: result.changes } });
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

  const live = eventSubscription({
    db,
    now,
    settings: () => readSettings(db),
    client: () => zoomClients.get(readSettings(db).zoom_plan),
    suppression: suppressionList,
    reconcile: async () => beginSync({ full: false }),
  });

  const service: CoreService = {
    ...backups.operations,
    async getStoreStatus() {
      return {
        path: store.path,
        encrypted: isEncryptedOnDisk(store.path),
        cipher: CIPHER,
        schema_version: db.pragma('user_version', { simple: true }) as number,
        latest_schema_version: LATEST_SCHEMA_VERSION,
        created_at: readMeta(db, 'created_at')!,
      };
    },
    async getDeskMode() {
      return { mode: options.sandbox ? ('sandbox' as const) : ('live' as const) };
    },
    async enterSandbox() {
      throw new AppError('USAGE', 'Only the desk (the app window or `dsr-desk serve`) switches to the sandbox; from the command line use `dsr-desk demo` or `dsr-desk sandbox`.');
    },
    async leaveSandbox() {
      throw new AppError('USAGE', 'Only the desk (the app window or `dsr-desk serve`) switches to and from the sandbox.');
    },
    async getSettings() {
      return readSettings(db);
    },
    async updateSettings(patch) {
      const settings = db.transaction(() => {
        const updated = updateSettings(db, patch, now());
        audit.append({ actor: 'settings', action: 'settings.updated', details: { keys: Object.keys(patch).sort() } });
        return updated;
      })();
      log.info('settings changed', { keys: Object.keys(patch) });
      return settings;
    },
    async connectZoom(input) {
      const { event_subscription_id: subscriptionId, ws_url: wsUrl, ...credentials } = input;
      if (wsUrl !== undefined && subscriptionId === undefined) throw new AppError('USAGE', '--ws-url goes with --event-subscription-id: name the subscription whose socket it is.');
      const subscription = subscriptionId !== undefined ? { event_subscription_id: subscriptionId, ws_url: checkBaseUrl('--ws-url', wsUrl ?? DEFAULT_WS_URL, ['wss:', 'ws:']) } : undefined;
      const connected = await connectZoom(secrets, readSettings(db).zoom_plan, credentials);
      writeMeta(db, CREDENTIALS_CHANGED, randomUUID());
      const settings = subscription ? updateSettings(db, subscription, now()) : readSettings(db);
      return { ...connected, event_subscription_id: settings.event_subscription_id, ws_url: settings.event_subscription_id ? (settings.ws_url ?? DEFAULT_WS_URL) : null };
    },
    async getLiveStatus() {
      return live.status();
    },
    async getZoomConnection() {
      const credentials = await zoomClients.credentials();
      return { connected: credentials !== null, account_id: credentials?.account_id ?? null, api_url: credentials?.api_url ?? null };
    },
    async syncZoom(input) {
      return beginSync(input);
    },
    async startSync(input) {
      // The live watcher's reconciliation may be running: the window follows that sync instead of failing.
      if (activeSync && !input.full && !input.webinar_id) return { started: true as const };
      beginSync(input).catch((error: unknown) => log.warn('background sync ended with an error', { error }));
      return { started: true as const };
    },
    async cancelSync() {
      if (!activeSync) return { cancelled: false };
      activeSync.controller.abort();
      return { cancelled: true };
    },
    async getSyncStatus() {
      const last = lastRun(db);
      return {
        running: activeSync !== null,
        progress: activeSync?.progress ?? null,
        last_run: last
          ? { id: last.id, mode: last.mode, status: last.status, started_at: last.started_at, finished_at: last.finished_at, error_code: last.error_code, warnings: last.warnings ? JSON.parse(last.warnings) : [], kept_by_events: last.kept_by_events ?? 0 }
          : null,
        last_full_sync_at: lastCompletedFullRun(db)?.finished_at ?? null,
        last_error: lastSyncError,
      };
    },
    async listChanges(input) {
      return listChanges(db, input);
    },
    async findSubject(input) {
      const erasedBy = (await suppressionList()).erasedBy(input.email);
      return { matches: findSubject(db, input.email), suppressed: erasedBy !== null, erased_by: erasedBy };
    },
    async listWebinars() {
      return listWebinars(db);
    },
    async getMirrorOverview() {
      return mirrorOverview(db);
    },
    async listRegistrants(input) {
      return listRegistrants(db, input);
    },
    async getRegistrantTimeline(input) {
      return registrantTimeline(db, input);
    },
    async createRequest({ by, ...input }) {
      return requests.create(input, operator(by));
    },
    async listRequests(input) {
      return { requests: requests.list(input.status) };
    },
    async findOpenRequests(input) {
      return { requests: await requests.openFor(input.email) };
    },
    async getRequest(input) {
      return requests.get(input.id);
    },
    async verifyIdentity(input) {
      return requests.verifyIdentity(acting(input));
    },
    async approveRequest(input) {
      return requests.approve(acting(input));
    },
    async refuseRequest(input) {
      return requests.refuse(acting(input));
    },
    async extendRequest(input) {
      return requests.extend(acting(input));
    },
    async holdRequest(input) {
      return requests.hold(acting(input));
    },
    async resumeRequest(input) {
      return requests.resume(acting(input));
    },
    async rectifyRequest(input) {
      return requests.rectify(acting(input));
    },
    async addRequestNote(input) {
      return requests.note(acting(input));
    },
    async recordReplySent(input) {
      return requests.replySent(acting(input));
    },
    async planJob(input) {
      return jobs.plan(input.id);
    },
    async runJob(input) {
      return beginJob(input.id, operator(input.by));
    },
    async startJob(input) {
      await requests.get(input.id); // an unknown ID is refused here, not in the background
      beginJob(input.id, operator(input.by)).catch((error: unknown) => log.warn('background job ended with an error', { error }));
      return { started: true as const };
    },
    async getJobStatus(input) {
      const request = await requests.get(input.id);
      const running = activeJob?.id === input.id;
      return {
        request_id: input.id,
        running,
        progress: running ? (activeJob?.progress ?? null) : null,
        result: jobs.lastResult(input.id, request.status),
        error: running ? null : (jobErrors.get(input.id) ?? null),
        processor_task: processorTaskOf(db, input.id),
      };
    },
    async listProcessorTasks() {
      return { tasks: openProcessorTasks(db) };
    },
    async updateProcessorTask(input) {
      return jobs.updateProcessorTask(acting(input));
    },
    async cancelJob() {
      activeJob?.controller.abort();
      return { cancelled: activeJob !== null };
    },
    async writeEvidence(input) {
      return documents.evidence(input.id, acting(input), options.onDocumentProgress);
    },
    async writeReplyLetter(input) {
      return documents.letter(input.id, acting(input));
    },
    async writeProcessorRequest(input) {
      return documents.processorRequest(input.id, acting(input));
    },
    async writeSubjectPackage(input) {
      return documents.subjectPackage(input.id, acting(input), options.onDocumentProgress);
    },
    async writeReport(input) {
      return documents.report(input.from, input.to, acting(input), input.format, options.onDocumentProgress);
    },
    async readDocument(input) {
      return readDocument(options.dataDir, input.path);
    },
    async subjectHash(input) {
      return { hash: (await suppressionList()).hashOf(input.email) };
    },
    async listAudit(input) {
      return audit.list(input);
    },
    async verifyAudit() {
      return audit.verify();
    },
    async exportAuditLog() {
      const dir = pathInDataFolder(options.dataDir, 'documents', 'audit');
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      return audit.exportTo(path.join(dir, `audit-log-${fileStamp(now())}.jsonl`), false);
    },
  };

  const dispatch: Dispatch = (name, input) =>
    callOperation(service, name, input, (operation, error) => log.error('operation failed', { operation, error }));

  return {
    service,
    dispatch,
    store,
    secrets,
    audit,
    requests,
    suppression: suppressionList,
    exportAudit: (file, force) => audit.exportTo(file, force),
    watchEvents: live.watch,
    startBackupSchedule: () => startBackupSchedule(backups.schedule),
    close: async () => {
      live.stop();
      // A sync or job still running stops at its next page or step (a sync's index build at the end
      // of a large first sync, or a job's Zoom call in hand, finishes first) and records where it
      // stopped, resumable, before the connection it records with is closed.
      activeSync?.controller.abort();
      activeJob?.controller.abort();
      await Promise.all([activeSync?.settled, activeJob?.settled]);
      clearInterval(purgeTimer);
      await audit.flush();
      store.close();
    },
  };
}
