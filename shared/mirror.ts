import { z } from 'zod';
import { AccountName } from './accounts';
import { CHANGE_KINDS, REGISTRANT_STATUS_VALUES } from './changes';
import { EventFieldsShape, EventKindSchema } from './events';

// Contract shapes of the mirror: sync, changes, find, and the lists the UI pages through.

export const WebinarId = z
  .string()
  .trim()
  .regex(/^\d{1,20}$/, 'a Zoom webinar ID is a number (up to 20 digits, no spaces)');
export const EventId = z
  .string()
  .trim()
  .regex(/^\d{1,20}$/, 'a Zoom webinar or meeting ID is a number (up to 20 digits, no spaces)');
const IsoDateTime = z.iso.datetime({ offset: true, message: 'use an ISO 8601 date-time such as 2026-11-01T00:00:00Z' });
const Email = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+$/, 'give one whole email address (name@domain)');
const Count = z.number().int().min(0);

export const SYNC_MODES = ['full', 'incremental', 'webinar'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];
export const SYNC_PHASES = ['discovering', 'webinars', 'indexing', 'finishing'] as const;

export const SyncInput = z
  .object({
    webinar_id: WebinarId.optional(),
    full: z.boolean().default(false),
    /** One connected account; every connected account when left out. */
    account: AccountName.optional(),
  })
  .strict()
  .refine((input) => !(input.full && input.webinar_id), { message: 'choose either one webinar or a full sync, not both' });

export const ChangeCounts = z.object(Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, Count])) as Record<(typeof CHANGE_KINDS)[number], typeof Count>);
export type ChangeCounts = z.infer<typeof ChangeCounts>;

export const SyncWarning = z.object({ ...EventFieldsShape, source: z.string(), code: z.string(), message: z.string() });
export type SyncWarning = z.infer<typeof SyncWarning>;

/** What one account's run read. */
export const AccountSyncResult = z.object({
  account: z.string(),
  run_id: z.number().int(),
  mode: z.enum(SYNC_MODES),
  resumed: z.boolean(),
  /** When the run started (a resumed run: when it first started); its changes are observed from then on. */
  started_at: z.string(),
  /** Events read in this run, by kind (a meeting is counted only if it takes registration). */
  webinars: Count,
  meetings: Count,
  registrants: Count,
  participants: Count,
  changes: ChangeCounts,
  /** Registrations of erased subjects first listed in this run (they registered again): stored without personal data. */
  returned_after_erasure: Count,
  /**
   * Upcoming webinars whose lists were not read again: the event subscription has been heard without
   * a gap since they were last read and brought no change for them (incremental runs only).
   */
  kept_by_events: Count,
  warnings: z.array(SyncWarning),
});
export type AccountSyncResult = z.infer<typeof AccountSyncResult>;

/**
 * A sync of one or several accounts, side by side: the counts summed over them (run_id, mode and
 * started_at are the first account's), and each account's own run in `accounts`.
 */
export const SyncResult = AccountSyncResult.omit({ account: true }).extend({ accounts: z.array(AccountSyncResult) });
export type SyncResult = z.infer<typeof SyncResult>;

export const SyncProgress = z.object({
  /** The account whose run this is (several are read side by side). */
  account: z.string(),
  run_id: z.number().int(),
  phase: z.enum(SYNC_PHASES),
  webinars_done: Count,
  webinars_total: Count,
  rows: Count,
  /** The event being read (webinar_id too while it is a webinar). */
  webinar_id: z.string().nullable(),
  event_type: EventKindSchema.nullable(),
  event_id: z.string().nullable(),
  /** Calls sent to Zoom by this run so far, and the 429 answers it waited out. */
  calls: Count,
  rate_limit_waits: Count,
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const SyncRunSummary = z.object({
  id: z.number().int(),
  mode: z.enum(SYNC_MODES),
  status: z.enum(['running', 'completed', 'cancelled', 'failed', 'abandoned']),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  error_code: z.string().nullable(),
  /** What the run could not read (a webinar's report, say): kept with the run, no personal data. */
  warnings: z.array(SyncWarning),
  /** Upcoming webinars its plan left out because live events kept them current (see SyncResult). */
  kept_by_events: Count,
});

export const SyncStatus = z.object({
  running: z.boolean(),
  progress: SyncProgress.nullable(),
  last_run: SyncRunSummary.nullable(),
  last_full_sync_at: z.string().nullable(),
  /** The last run's error while it was running in this process, for the UI to show. */
  last_error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const Change = z.object({
  id: z.number().int(),
  ...EventFieldsShape,
  registrant_id: z.string(),
  kind: z.enum(CHANGE_KINDS),
  from: z.enum(REGISTRANT_STATUS_VALUES).nullable(),
  to: z.enum(REGISTRANT_STATUS_VALUES).nullable(),
  observed_at: z.string(),
  request_id: z.string().nullable(),
  /** How the change was established: the list it was seen in, or the read-back's answer. */
  evidence: z.string().nullable(),
  /** sync: found by a sync's lists and read-backs; event: applied as Zoom's event arrived (observed live); job: read back gone by the erasure job that deleted it. */
  via: z.enum(['sync', 'event', 'job']),
});
export type Change = z.infer<typeof Change>;

export const ChangesInput = z
  .object({
    since: IsoDateTime.optional(),
    webinar_id: WebinarId.optional(),
    event_id: EventId.optional(),
    /** Changes after this id (the last one of the previous page). */
    after_id: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(5000).default(1000),
  })
  .strict();

export const ChangesPage = z.object({ changes: z.array(Change), next_after_id: z.number().int().nullable() });

export const MATCH_SOURCES = ['registrant', 'participant', 'absentee', 'qa', 'poll', 'survey', 'panelist'] as const;

/** One address, or several of one person (answered at once, each match naming the address it matched). */
export const FindInput = z
  .object({ email: Email.optional(), emails: z.array(Email).min(1).max(20).optional() })
  .strict()
  .refine((input) => input.email !== undefined || input.emails !== undefined, { message: 'give an email address (--email)', path: ['email'] });
export const FindResult = z.object({
  matches: z.array(
    z.object({
      /** The address (normalised) this record matched. */
      email: z.string(),
      source: z.enum(MATCH_SOURCES),
      ...EventFieldsShape,
      registrant_id: z.string().nullable(),
      status: z.enum(REGISTRANT_STATUS_VALUES).nullable(),
      /** Whether Zoom still listed it at the last sync (registrants); report records are what Zoom last returned. */
      present: z.boolean(),
    }),
  ),
  /** An address is on the suppression list: its rows, if any, are kept without personal data. */
  suppressed: z.boolean(),
  /** Each address asked about: how many records matched it, and whether (and by which request) it was erased. */
  addresses: z.array(z.object({ email: z.string(), matches: z.number().int(), suppressed: z.boolean(), erased_by: z.object({ request_id: z.string().nullable(), at: z.string() }).nullable() })),
  /** The request that erased the address, and when (from its keyed hash: the address itself is not kept). */
  erased_by: z.object({ request_id: z.string().nullable(), at: z.string() }).nullable(),
});
export type FindResult = z.infer<typeof FindResult>;

/** A mirror list narrowed to one account's events (connected or disconnected); every account's when left out. */
const AccountFilter = AccountName.optional();
export const EventListInput = z.object({ account: AccountFilter }).strict();

/** Where a row came from: the account hosting its event, and whether that account was disconnected (its records stay until retention removes them). */
const AccountOfRow = { account: z.string(), account_disconnected: z.boolean() };

export const RecordCounts = z.object({ participants: Count, absentees: Count, qa: Count, polls: Count, survey: Count, panelists: Count });

export const WebinarOverview = z.object({
  id: z.string(),
  event_type: EventKindSchema,
  topic: z.string().nullable(),
  start_time: z.string().nullable(),
  type: z.number().int().nullable(),
  deleted: z.boolean(),
  last_synced_at: z.string().nullable(),
  registrants: z.object({ approved: Count, pending: Count, denied: Count, gone: Count }),
  records: RecordCounts,
  suppressed_rows: Count,
  ...AccountOfRow,
});
export const WebinarList = z.object({ webinars: z.array(WebinarOverview) });
export const MeetingList = z.object({ meetings: z.array(WebinarOverview) });

export const REGISTRANT_FILTERS = ['approved', 'pending', 'denied', 'gone', 'all'] as const;
export const REGISTRANT_SORTS = ['create_time', 'email', 'last_name', 'status', 'first_seen'] as const;

export const RegistrantListInput = z
  .object({
    webinar_id: WebinarId.optional(),
    /** One event of either kind (webinar_id is the older name for a webinar's). */
    event_id: EventId.optional(),
    status: z.enum(REGISTRANT_FILTERS).default('all'),
    /** Addresses starting with this text (case-insensitive). */
    email_prefix: z.string().trim().max(320).optional(),
    /** Addresses, first names or last names starting with this text (case-insensitive). */
    search: z.string().trim().max(320).optional(),
    /** Registrants whose latest change is of this kind. */
    change_kind: z.enum(CHANGE_KINDS).optional(),
    account: AccountFilter,
    sort: z.enum(REGISTRANT_SORTS).default('create_time'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
    /** Count the matches too (false: a later page of a list whose total the caller has; total is then null). */
    with_total: z.boolean().default(true),
  })
  .strict();

export const RegistrantRow = z.object({
  ...EventFieldsShape,
  registrant_id: z.string(),
  email: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  status: z.enum(REGISTRANT_STATUS_VALUES),
  present: z.boolean(),
  suppressed: z.boolean(),
  create_time: z.string().nullable(),
  last_change: z.object({ kind: z.enum(CHANGE_KINDS), observed_at: z.string() }).nullable(),
  /** The request whose erasure removed it (its row keeps no personal data); null otherwise. */
  erased_by: z.string().nullable(),
  account_disconnected: z.boolean(),
});
export const RegistrantPage = z.object({ total: Count.nullable(), rows: z.array(RegistrantRow) });

export const TimelineInput = z
  .object({ webinar_id: WebinarId.optional(), event_id: EventId.optional(), registrant_id: z.string().trim().min(1).max(100) })
  .strict()
  .refine((input) => (input.webinar_id ?? input.event_id) !== undefined, { message: 'name the event: event_id (or webinar_id)' });
export const Timeline = z.object({
  registrant: RegistrantRow.extend({ fields: z.record(z.string(), z.string().nullable()) }),
  /** Every registration of the same address for this webinar, oldest first, each with its changes. */
  registrations: z.array(z.object({ registrant_id: z.string(), changes: z.array(Change) })),
});

export const MirrorOverviewInput = EventListInput;

/** The event subscription's states (LiveStatus). */
export const LIVE_STATES = ['off', 'connecting', 'live', 'reconnecting', 'stopped', 'failed'] as const;

/** Each account the mirror knows, connected or disconnected: when it was last synced, and whether live changes are held for it. */
export const AccountState = z.object({
  name: z.string(),
  account_id: z.string(),
  last_sync_at: z.string().nullable(),
  disconnected_at: z.string().nullable(),
  /** The event subscription's state: held for the default account only, null for the others (their changes are found by sync). */
  live: z.enum(LIVE_STATES).nullable(),
});

/** What the overview shows beside the lists it reads itself: the last sync's changes by kind (of one account's last run when filtered). */
export const MirrorOverview = z.object({
  last_sync: z.object({ run_id: z.number().int(), started_at: z.string(), finished_at: z.string().nullable(), changes: ChangeCounts }).nullable(),
  registrants: z.object({ approved: Count, pending: Count, denied: Count, gone: Count, erased: Count }),
  accounts: z.array(AccountState),
});

/** The event subscription as this core holds it (zoom-api.md §5.1a): `off` when none is configured or nobody watches. */
const AccountLiveStatus = z.object({
  state: z.enum(LIVE_STATES),
  since: z.string(),
  /** Events received, and changes they and the reconciliations after each (re)connection recorded. */
  events: z.number().int(),
  changes: z.number().int(),
  reconciled_at: z.string().nullable(),
  last_event_at: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
/** The default account's hold (the fields above), and each account's whose subscription is held. */
export const LiveStatus = AccountLiveStatus.extend({ accounts: z.array(AccountLiveStatus.extend({ account: z.string() })).optional() });
export type LiveStatus = z.infer<typeof LiveStatus>;
