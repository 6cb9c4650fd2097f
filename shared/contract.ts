import { z } from 'zod';
import { AccountList, AccountName, AccountNameInput, DEFAULT_ACCOUNT, Disconnected } from './accounts';
import type { Result } from './result';
import {
  ChangesInput,
  ChangesPage,
  FindInput,
  FindResult,
  LiveStatus,
  MirrorOverview,
  MirrorOverviewInput,
  EventListInput,
  RegistrantListInput,
  RegistrantPage,
  SyncInput,
  SyncResult,
  SyncStatus,
  Timeline,
  TimelineInput,
  WebinarList,
  MeetingList,
} from './mirror';
import {
  ApproveInput,
  CreateRequestInput,
  AddAddressInput,
  HAS_ADDRESS,
  SuggestionDecisionInput,
  SuggestionList,
  ExtendInput,
  HoldInput,
  NoteInput,
  ReplySentInput,
  ListRequestsInput,
  Operator,
  RectifyInput,
  RefuseInput,
  RequestDetail,
  RequestRef,
  RequestSummary,
  ResumeInput,
  VerifyIdentityInput,
} from './requests';
import { JobPlanOutput, JobRef, JobRunInput, JobRunOutput, JobStatus, ProcessorTask, ProcessorTaskList, ProcessorTaskUpdate } from './jobs';
import { AUDIT_FINDINGS, AuditListInput, AuditPage } from './audit';
import { Settings, SettingsPatch } from './settings';
import {
  AutoBackupWritten,
  BackupInput,
  BackupStatus,
  BackupVerified,
  BackupVerifyInput,
  BackupWritten,
  RecoveryKeyCreated,
  RecoveryKeyCreateInput,
  RecoveryKeyState,
  Unlocked,
  UnlockInput,
} from './backup';
import { DocumentInput, LetterInput, LetterWritten, PackageWritten, PdfWritten, ReportInput, ReportWritten } from './documents';

// The one API contract. Every door (Electron IPC, browser-mode HTTP, the CLI) parses input with
// these schemas on the same path before the core runs, so a malformed payload gets the same error
// from the same schema whichever door it came through.

const NoInput = z.object({}).strict();

export const StoreStatus = z.object({
  path: z.string(),
  encrypted: z.boolean(),
  cipher: z.string(),
  schema_version: z.number().int(),
  latest_schema_version: z.number().int(),
  created_at: z.string(),
});
export type StoreStatus = z.infer<typeof StoreStatus>;

export const ZoomConnectInput = z
  .object({
    account_id: z.string().trim().min(1).max(100),
    client_id: z.string().trim().min(1).max(100),
    client_secret: z.string().min(1).max(200),
    api_url: z.string().trim().default('https://api.zoom.us/v2'),
    oauth_url: z.string().trim().default('https://zoom.us'),
    /** The app's WebSocket event subscription, kept in settings for `watch` and the desk (zoom-api.md §5.1a). */
    event_subscription_id: z.string().trim().min(1).max(200).optional(),
    ws_url: z.string().trim().optional(),
    /** The name the account is kept under (several accounts in one desk). */
    name: AccountName.default(DEFAULT_ACCOUNT),
  })
  .strict();

export const ZoomConnected = z.object({
  connected: z.literal(true),
  name: z.string(),
  account_id: z.string(),
  api_url: z.string(),
  event_subscription_id: z.string().nullable(),
  ws_url: z.string().nullable(),
});

export const ZoomConnection = z.object({
  connected: z.boolean(),
  account_id: z.string().nullable(),
  api_url: z.string().nullable(),
});
export type ZoomConnection = z.infer<typeof ZoomConnection>;

/** Live: the connected Zoom account's data. Sandbox: a separate data folder with seeded demo data, on the built-in Zoom sandbox. */
export const DeskMode = z.object({ mode: z.enum(['live', 'sandbox']) });

export const operations = {
  getStoreStatus: { input: NoInput, output: StoreStatus },
  getDeskMode: { input: NoInput, output: DeskMode },
  /** Switches the window to the sandbox (a data folder of its own, seeded, connected): only the desk (app or `serve`) can. */
  enterSandbox: { input: NoInput, output: DeskMode },
  /** Back to the live data; the sandbox's folder and keychain entries are removed. */
  leaveSandbox: { input: NoInput, output: DeskMode },
  getSettings: { input: NoInput, output: Settings },
  updateSettings: { input: SettingsPatch, output: Settings },
  connectZoom: { input: ZoomConnectInput, output: ZoomConnected },
  getZoomConnection: { input: NoInput, output: ZoomConnection },
  listAccounts: { input: NoInput, output: AccountList },
  /** Removes an account's credentials; its mirrored records stay, marked, until retention removes them. */
  disconnectAccount: { input: AccountNameInput, output: Disconnected },
  /** Whether this core holds the event subscription, and what came over it. */
  getLiveStatus: { input: NoInput, output: LiveStatus },
  /** Runs a sync to the end (the CLI); progress goes to the core's progress listener. */
  syncZoom: { input: SyncInput, output: SyncResult },
  /** Starts a sync in the background (the UI), which follows it with getSyncStatus. */
  startSync: { input: SyncInput, output: z.object({ started: z.literal(true) }) },
  cancelSync: { input: NoInput, output: z.object({ cancelled: z.boolean() }) },
  getSyncStatus: { input: NoInput, output: SyncStatus },
  listChanges: { input: ChangesInput, output: ChangesPage },
  findSubject: { input: FindInput, output: FindResult },
  listWebinars: { input: EventListInput, output: WebinarList },
  listMeetings: { input: EventListInput, output: MeetingList },
  getMirrorOverview: { input: MirrorOverviewInput, output: MirrorOverview },
  listRegistrants: { input: RegistrantListInput, output: RegistrantPage },
  getRegistrantTimeline: { input: TimelineInput, output: Timeline },
  createRequest: { input: CreateRequestInput.extend({ by: Operator }).refine(...HAS_ADDRESS), output: RequestSummary.extend({ emails: z.array(z.string()) }) },
  /** Another address of the same person, before the job runs (it needs its own identity check). */
  addRequestAddress: { input: AddAddressInput, output: RequestDetail },
  /** "Possibly the same person": addresses under which the subject's name was registered, with the DPO's decisions. */
  listSuggestions: { input: RequestRef, output: SuggestionList },
  /** Accept (the address joins the request, as addRequestAddress) or dismiss (never offered again) one suggestion. */
  decideSuggestion: { input: SuggestionDecisionInput, output: SuggestionList },
  listRequests: { input: ListRequestsInput, output: z.object({ requests: z.array(RequestSummary) }) },
  /** Open requests about an address: how the new-request form flags a duplicate. */
  findOpenRequests: { input: z.object({ email: z.string().trim().min(3).max(320) }).strict(), output: z.object({ requests: z.array(RequestSummary) }) },
  getRequest: { input: RequestRef, output: RequestDetail },
  verifyIdentity: { input: VerifyIdentityInput, output: RequestDetail },
  approveRequest: { input: ApproveInput, output: RequestDetail },
  refuseRequest: { input: RefuseInput, output: RequestDetail },
  extendRequest: { input: ExtendInput, output: RequestDetail },
  holdRequest: { input: HoldInput, output: RequestDetail },
  resumeRequest: { input: ResumeInput, output: RequestDetail },
  rectifyRequest: { input: RectifyInput, output: RequestDetail },
  /** A note on the request's file, in its timeline. */
  addRequestNote: { input: NoteInput, output: RequestDetail },
  /** A reply went to the data subject: which document, when, how. */
  recordReplySent: { input: ReplySentInput, output: RequestDetail },
  planJob: { input: JobRef, output: JobPlanOutput },
  /** Runs (or resumes) the job of an approved request to its end; progress goes to the core's listener. */
  runJob: { input: JobRunInput, output: JobRunOutput },
  /** Starts (or resumes) a job in the background (the window), which follows it with getJobStatus. */
  startJob: { input: JobRunInput, output: z.object({ started: z.literal(true) }) },
  getJobStatus: { input: JobRef, output: JobStatus },
  cancelJob: { input: NoInput, output: z.object({ cancelled: z.boolean() }) },
  listProcessorTasks: { input: NoInput, output: ProcessorTaskList },
  updateProcessorTask: { input: ProcessorTaskUpdate, output: ProcessorTask },
  writeEvidence: { input: DocumentInput, output: PdfWritten },
  writeReplyLetter: { input: LetterInput, output: LetterWritten },
  writeProcessorRequest: { input: DocumentInput, output: PdfWritten },
  writeSubjectPackage: { input: DocumentInput, output: PackageWritten },
  writeReport: { input: ReportInput, output: ReportWritten },
  /** A document the app wrote (under the data folder's documents/ or exports/), for the window to download or save. */
  readDocument: { input: z.object({ path: z.string().trim().min(1).max(1000) }).strict(), output: z.object({ name: z.string(), media_type: z.string(), base64: z.string() }) },
  /** The keyed hash of an address, as documents print it: how an auditor given the address checks a document concerns it. */
  subjectHash: { input: z.object({ email: z.string().trim().min(3).max(320) }).strict(), output: z.object({ hash: z.string() }) },
  /** Makes the recovery key (an age identity): its public half is kept, the secret half returned once. */
  createRecoveryKey: { input: RecoveryKeyCreateInput, output: RecoveryKeyCreated },
  getRecoveryKey: { input: NoInput, output: RecoveryKeyState },
  /** One age file: a consistent snapshot of the store, the documents and a manifest, encrypted to the recovery key and every recipient. */
  writeBackup: { input: BackupInput, output: BackupWritten },
  /** Decrypts a backup in memory and checks every part and the audit chain inside; writes nothing. */
  verifyBackup: { input: BackupVerifyInput, output: BackupVerified },
  /** What the schedule does (`backup --auto`): a backup into the backup folder, the erasure ledger beside it, the oldest beyond the count deleted. */
  runAutoBackup: { input: NoInput, output: AutoBackupWritten },
  /** The recovery key, the backup settings and the last backup, for Settings and the overview. */
  getBackupStatus: { input: NoInput, output: BackupStatus },
  /** Opens a store whose key this keychain lacks with the recovery key (the desk's unlock screen; the CLI's `unlock`). */
  unlockStore: { input: UnlockInput, output: Unlocked },
  listAudit: { input: AuditListInput, output: AuditPage },
  verifyAudit: {
    input: NoInput,
    output: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      head: z.string(),
      first_bad: z.number().int().nullable(),
      /** The head as the keychain holds it (kept outside the database after every commit). */
      anchor: z.object({ entries: z.number().int(), head: z.string(), at: z.string() }).nullable(),
      finding: z.enum(AUDIT_FINDINGS),
      message: z.string(),
    }),
  },
  /** Every entry with its hash, one JSON object a line (the window's `audit export`): into the data folder's documents/audit/, to download. */
  exportAuditLog: { input: NoInput, output: z.object({ path: z.string(), entries: z.number().int(), head: z.string() }) },
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<K extends OperationName> = z.input<Operations[K]['input']>;
export type ParsedInput<K extends OperationName> = z.output<Operations[K]['input']>;
export type OperationOutput<K extends OperationName> = z.output<Operations[K]['output']>;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}

/** What the core implements: one method per operation, taking already-parsed input. */
export type CoreService = {
  [K in OperationName]: (input: ParsedInput<K>) => Promise<OperationOutput<K>>;
};

/** What the renderer calls, whichever door is underneath. */
export type ContractClient = {
  [K in OperationName]: (input: OperationInput<K>) => Promise<Result<OperationOutput<K>>>;
};

/** Formats zod issues as "field: problem" without echoing the rejected values (they may be personal data). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`).join('; ');
}
