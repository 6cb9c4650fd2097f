import { DEFAULT_ACCOUNT } from '../../shared/accounts';
import type { CoreService } from '../../shared/contract';
import { callOperation, type Dispatch } from '../../shared/dispatch';
import { organisationMissing } from '../../shared/settings';
import type { SyncProgress } from '../../shared/mirror';
import { AuditLog } from './audit';
import { keychainAnchorStore } from './audit/anchor-store';
import { startBackupSchedule } from './backup/schedule';
import { pathInDataFolder } from './data-folder';
import { Documents, type Progress } from './documents';
import { auditHandlers } from './handlers/audit';
import { backupHandlers } from './handlers/backup';
import { namedOperator, type CoreParts } from './handlers/core-parts';
import { documentHandlers } from './handlers/documents';
import { jobHandlers } from './handlers/jobs';
import { mirrorHandlers } from './handlers/mirror';
import { requestHandlers } from './handlers/requests';
import { settingsHandlers } from './handlers/settings';
import { storeHandlers } from './handlers/store';
import { credentialsMark, zoomHandlers } from './handlers/zoom';
import { JobRunner, type JobProgress } from './jobs/runner';
import { eventSubscription, type WatchOptions } from './live/subscription';
import { createLogger } from './log';
import { RequestRegister } from './requests/register';
import { RequestRetention } from './requests/retention';
import { Suggestions } from './requests/suggestions';
import { startScheduler } from './scheduler';
import { keytarBackend, Secrets, type KeychainBackend } from './secrets';
import { readSettings } from './settings';
import { openStore, type Store } from './store/database';
import { adoptLegacyAccount, noAccountRecorded } from './store/accounts';
import { SuppressionList } from './store/suppression';
import { ZoomClients } from './zoom/connection';

// The core's wiring: opens the store, the keychain and the Zoom clients of a data folder, builds
// the register, the jobs, the documents and the scheduler over them, and puts the contract's
// handlers (handlers/, one file per domain) together into the one service object the doors call.

const log = createLogger('core');

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

/** Opens the store of a data directory and returns the one service object that implements the contract. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const now = options.now ?? (() => new Date());
  const { dataDir } = options;
  const secrets = new Secrets(options.keychain ?? keytarBackend(), dataDir);
  const store = await openStore(dataDir, secrets);
  const { db } = store;
  const settings = () => readSettings(db);

  const zoomClients = new ZoomClients(secrets, () => credentialsMark(db));
  // A register from the days of one account: its credentials become the default account's row (one keychain read, only while no account is recorded).
  if (noAccountRecorded(db)) adoptLegacyAccount(db, await zoomClients.credentials(DEFAULT_ACCOUNT), now().toISOString());
  const zoomClient = (account?: string) => zoomClients.get(settings().zoom_plan, account);
  let suppressionList: SuppressionList | undefined;
  const suppression = async () => (suppressionList ??= await SuppressionList.open(db, secrets));
  const audit = new AuditLog(db, now, keychainAnchorStore(secrets, dataDir));
  const deadlineRules = () => {
    const current = settings();
    return { timeZone: current.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, holidays: new Set(current.holidays) };
  };
  const requests = new RequestRegister({ db, audit, now, suppression, rules: deadlineRules });
  const retention = new RequestRetention({ db, now, register: requests });
  const suggestions = new Suggestions({ db, register: requests, suppression });
  const documents = new Documents({ db, audit, register: requests, settings, timeZone: () => deadlineRules().timeZone, now, dataDir });
  const jobs = new JobRunner({
    db,
    audit,
    register: requests,
    suppression,
    client: zoomClient,
    settings,
    now,
    // The job's own copy is written even before the organisation is set (then as a draft): the job must not stall on it.
    writePackage: (id, by) => documents.subjectPackage(id, { by, out: pathInDataFolder(dataDir, 'exports', id), force: true, draft: organisationMissing(settings()).length > 0 }),
    syncMirror: (signal) => scheduler.syncForJob(signal),
  });
  const backups = backupHandlers({ db, dataDir, secrets, audit, now, settings, suppression });
  const scheduler = startScheduler({
    store,
    secrets,
    audit,
    now,
    zoomClient,
    suppression,
    requests,
    jobs,
    afterErasureJob: () => backups.afterErasureJob(),
    // Requests past their retention period, and closed erasures past the grace period, lose their identifiers.
    purge: () => {
      const current = settings();
      retention.purgeExpired(current.request_retention_years);
      retention.purgeAddresses(current.erasure_address_grace_days);
      documents.purgeFiles(current.erasure_address_grace_days);
    },
    purgeEveryMs: options.purgeEveryMs,
    onSyncProgress: options.onSyncProgress,
    onJobProgress: options.onJobProgress,
  });
  const live = eventSubscription({
    db,
    now,
    settings,
    client: zoomClient,
    suppression,
    // Each account's subscription is reconciled by a sync of that account only.
    reconcile: async (account) => scheduler.sync({ full: false, account }),
  });

  const parts: CoreParts = {
    store,
    secrets,
    audit,
    now,
    dataDir,
    sandbox: options.sandbox ?? false,
    settings,
    zoomClients,
    suppression,
    requests,
    suggestions,
    documents,
    jobs,
    live,
    scheduler,
    onDocumentProgress: options.onDocumentProgress,
    operator: namedOperator(settings),
  };
  const service: CoreService = {
    ...backups.operations,
    ...storeHandlers(parts),
    ...settingsHandlers(parts),
    ...zoomHandlers(parts),
    ...mirrorHandlers(parts),
    ...requestHandlers(parts),
    ...jobHandlers(parts),
    ...documentHandlers(parts),
    ...auditHandlers(parts),
  };
  const dispatch: Dispatch = (name, input) => callOperation(service, name, input, (operation, error) => log.error('operation failed', { operation, error }));

  return {
    service,
    dispatch,
    store,
    secrets,
    audit,
    requests,
    suppression,
    exportAudit: (file, force) => audit.exportTo(file, force),
    watchEvents: live.watch,
    startBackupSchedule: () => startBackupSchedule(backups.schedule),
    close: async () => {
      live.stop();
      await scheduler.close();
      await audit.flush();
      store.close();
    },
  };
}
