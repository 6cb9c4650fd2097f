import { z } from 'zod';
import { REGISTRANT_STATUS_VALUES } from './changes';
import { EventFieldsShape, eventFields, type EventFields, type EventKind } from './events';
import { MATCH_SOURCES } from './mirror';
import { Operator, PlainText, RequestId, type RequestType } from './requests';

// What a request's job does, decided by a pure planner from what the mirror holds of the subject.

export const JOB_ACTIONS = ['anonymize_local', 'cancel', 'delete', 'verify', 'collect'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];
export type MatchSource = (typeof MATCH_SOURCES)[number];

/** What the mirror knows of a registration no list shows any more (see shared/changes.ts). */
export type GoneKind = 'self_cancelled' | 'deleted_outside' | 'deleted' | 'deleted_by_request';

/** One record of the subject in the mirror, as the planner sees it. */
export interface SubjectRecord extends EventFields {
  /** The request's address (normalised) the record was found under. */
  email: string;
  source: MatchSource;
  registrant_id: string | null;
  status: (typeof REGISTRANT_STATUS_VALUES)[number] | null;
  present: boolean;
  gone_kind: GoneKind | null;
  /** Occurrences the registrant was listed under, where people register per occurrence; [] otherwise. */
  occurrence_ids: string[];
}

/** Where a step looks: one registration, or (source `lists`) Zoom's three lists of a webinar, swept for the address. */
export type StepSource = MatchSource | 'lists';

export interface PlannedStep extends EventFields {
  /** The request's address the step acts for; null for a sweep of Zoom's lists, which looks for every address of the request. */
  email: string | null;
  registrant_id: string | null;
  occurrence_id: string | null;
  source: StepSource;
  actions: JobAction[];
}

/**
 * What stays with Zoom after a job, for the processor request: report records its API can't
 * erase, a registration Zoom refused to delete (`registrant`, with its ID), and the address on a
 * webinar's list of addresses blocked from registering, which a cancel or deny leaves (`blocked_list`).
 */
export interface Residual extends EventFields {
  source: Exclude<MatchSource, 'registrant'> | 'registrant' | 'blocked_list';
  records: number;
  registrant_id?: string;
  reason?: string;
}

export interface JobPlan {
  steps: PlannedStep[];
  /** Records Zoom's API can't erase: they go to Zoom as a processor request (Art 28(3)(e), Art 19). */
  residual: Residual[];
  notes: string[];
}

/** The sync a plan is made from: its evidence, and what "no record" means. */
export interface PlanBasis {
  run_id: number;
  at: string;
}

const live = (r: SubjectRecord) => r.present && (r.status === 'approved' || r.status === 'pending');

/**
 * The steps for one registration of the subject (one per occurrence where people register per
 * occurrence). Erasure: every registration the mirror has ever seen, listed or not (denied,
 * cancelled by the subject, deleted outside DSR Desk), is deleted and verified gone, since Zoom
 * may still hold it; a live one is cancelled first, which revokes its join link even if the
 * delete then fails. Restriction and objection: cancel (which blocks re-registration), no delete.
 */
export function registrationSteps(type: RequestType, r: SubjectRecord): PlannedStep[] {
  const actions: JobAction[] = type === 'erasure' ? ['anonymize_local', ...(live(r) ? (['cancel'] as const) : []), 'delete', 'verify'] : live(r) ? ['cancel', 'verify'] : ['verify'];
  return (r.occurrence_ids.length > 0 ? r.occurrence_ids : [null]).map((occurrence) => ({
    ...eventFields(r.event_type, r.event_id, r.account),
    email: r.email,
    registrant_id: r.registrant_id,
    occurrence_id: occurrence,
    source: 'registrant' as const,
    actions: [...actions],
  }));
}

/** After the registrations: one sweep of Zoom's lists per webinar (and occurrence) touched, for a registration of any of the addresses no plan knew. */
function sweepSteps(steps: PlannedStep[]): PlannedStep[] {
  const keys = new Map<string, PlannedStep>();
  for (const step of steps) {
    const key = `${step.event_type}:${step.event_id}:${step.occurrence_id ?? ''}`;
    if (!keys.has(key))
      keys.set(key, { ...eventFields(step.event_type, step.event_id, step.account), email: null, registrant_id: null, occurrence_id: step.occurrence_id, source: 'lists', actions: ['verify'] });
  }
  return [...keys.values()];
}

/**
 * The plan of a request's job, from what the mirror holds of the subject as of sync `basis`.
 * Erasure: anonymize every mirrored record; on Zoom, registrationSteps for each registration,
 * then sweep the lists. Restriction and objection: cancel without deleting. Access and
 * portability: collect. Rectification: nothing on Zoom, which can't edit a registrant.
 */
export function planJob(type: RequestType, records: SubjectRecord[], basis: PlanBasis | null = null): JobPlan {
  const registrants = records.filter((r) => r.source === 'registrant' && r.registrant_id !== null);
  const others = records.filter((r) => r.source !== 'registrant');
  const steps: PlannedStep[] = [];
  const notes: string[] = [];

  switch (type) {
    case 'erasure':
      for (const r of registrants) steps.push(...registrationSteps(type, r));
      steps.push(...sweepSteps(steps));
      for (const r of others)
        steps.push({ ...eventFields(r.event_type, r.event_id, r.account), email: r.email, registrant_id: r.registrant_id, occurrence_id: null, source: r.source, actions: ['anonymize_local'] });
      break;
    case 'restriction':
    case 'objection':
      notes.push('Policy: the registration is cancelled on Zoom, which blocks the address from registering again, and is not deleted; the mirror keeps the data, restricted.');
      for (const r of registrants) steps.push(...registrationSteps(type, r));
      steps.push(...sweepSteps(steps));
      break;
    case 'access':
    case 'portability':
      for (const r of records)
        steps.push({ ...eventFields(r.event_type, r.event_id, r.account), email: r.email, registrant_id: r.registrant_id, occurrence_id: null, source: r.source, actions: ['collect'] });
      break;
    case 'rectification':
      notes.push(
        "Zoom's API can't edit a registrant. Correct the mirror's copy; on Zoom the only way is to delete the registration and have the person register again, which DSR Desk offers but does not do on its own.",
      );
      break;
  }
  if (records.length === 0) {
    notes.push(basis ? `No record of the subject as of sync ${basis.run_id} at ${basis.at}.` : 'No record of the subject: the mirror was never synced.');
  }

  const residual = new Map<string, Residual>();
  const count = (source: Residual['source'], r: SubjectRecord) => {
    const key = `${source}:${r.event_type}:${r.event_id}`;
    const entry = residual.get(key) ?? { source, ...eventFields(r.event_type, r.event_id, r.account), records: 0 };
    entry.records++;
    residual.set(key, entry);
  };
  if (type === 'erasure') {
    for (const r of others) count(r.source as Residual['source'], r);
    // A cancel (ours, or a host's before) or a deny leaves the address on the event's blocked list;
    // whether a delete lifts it is unverified (zoom-api.md §3.6), and no API reads or clears that list.
    for (const r of registrants) if (live(r) || r.status === 'denied') count('blocked_list', r);
  }
  return { steps, residual: [...residual.values()], notes };
}

/** Each source's words, one and many (English plural rules: the CLI and the demo speak English). */
const RESIDUAL_WORDS: Record<string, [string, string]> = {
  participant: ['attendance record', 'attendance records'],
  absentee: ['absentee record', 'absentee records'],
  qa: ['Q&A entry', 'Q&A entries'],
  poll: ['poll answer', 'poll answers'],
  survey: ['survey answer', 'survey answers'],
  panelist: ['panelist entry', 'panelist entries'],
};
const ONE = new Intl.PluralRules('en');

/** "1 poll answer", "3 poll answers": a count with its noun in the right number. */
export function counted(count: number, [one, many]: [string, string]): string {
  return `${count} ${ONE.select(count) === 'one' ? one : many}`;
}

/** One residual in words, the same for the CLI, the demo and the UI. */
export function describeResidual(r: { source: string; event_type: EventKind; event_id: string; records: number; registrant_id?: string; account?: string }): string {
  const event = `${r.event_type} ${r.event_id}${r.account ? ` (account "${r.account}")` : ''}`;
  if (r.source === 'blocked_list') return `${event}: the address on its list of addresses blocked from registering (left by a cancel or deny)`;
  if (r.source === 'registrant') return `${event}: registration ${r.registrant_id}, which Zoom refused to delete`;
  const words = RESIDUAL_WORDS[r.source];
  return `${event}: ${words ? counted(r.records, words) : `${r.records} ${r.source}`}`;
}

// ---- contract shapes --------------------------------------------------------------------------

export const JobRef = z.object({ id: RequestId }).strict();
/** Running a job is an act: it names who runs it (the cancel and delete on Zoom are recorded under that name). */
export const JobRunInput = JobRef.extend({ by: Operator }).strict();

const Residual = z.object({
  source: z.string(),
  ...EventFieldsShape,
  records: z.number().int(),
  registrant_id: z.string().optional(),
  reason: z.string().optional(),
});

/** The address a step acts for (masked once the request's addresses are purged); null: a sweep, for every address. */
const StepEmail = z.string().nullable();

export const JobPlanOutput = z.object({
  request_id: z.string(),
  steps: z.array(
    z.object({ ...EventFieldsShape, email: StepEmail, registrant_id: z.string().nullable(), occurrence_id: z.string().nullable(), source: z.string(), actions: z.array(z.enum(JOB_ACTIONS)) }),
  ),
  residual: z.array(Residual),
  notes: z.array(z.string()),
});

export const JobActionResult = z.object({
  action: z.enum(JOB_ACTIONS),
  result: z.enum(['done', 'skipped', 'failed', 'pending', 'unknown']),
  http_status: z.number().int().nullable(),
  zoom_code: z.number().int().nullable(),
  message: z.string().nullable(),
  at: z.string().nullable(),
});

export const JobRunOutput = z.object({
  request_id: z.string(),
  status: z.enum(['completed', 'partial', 'failed']),
  /** True when the job had already completed: nothing was done again. */
  already_completed: z.boolean(),
  resume_at: z.string().nullable(),
  steps: z.array(
    z.object({
      ...EventFieldsShape,
      email: StepEmail,
      registrant_id: z.string().nullable(),
      occurrence_id: z.string().nullable(),
      source: z.string(),
      actions: z.array(JobActionResult),
      verified: z.boolean(),
      /** Zoom refused to erase it: named in the processor request instead (never a silent pass). */
      handed_to_processor: z.boolean(),
    }),
  ),
  /** The sync the plan was made from. */
  planned_from: z.object({ run_id: z.number().int(), at: z.string() }).nullable(),
  residual: z.array(Residual),
  processor_task: z.object({ id: z.number().int(), status: z.string(), letter: z.string() }).nullable(),
  /** Access and portability: the package written for the subject (its files and their SHA-256). */
  package: z.array(z.object({ path: z.string(), sha256: z.string() })).nullable(),
  notes: z.array(z.string()),
  /** Zoom accounts whose credentials failed in this run: their steps stay open (the job is partial) until they are connected again. */
  accounts_unreachable: z.array(z.object({ account: z.string(), code: z.string(), message: z.string() })),
});
export type JobRunOutput = z.infer<typeof JobRunOutput>;

export const PROCESSOR_TASK_STATUSES = ['open', 'sent', 'answered', 'closed'] as const;
export const PROCESSOR_OUTCOMES = ['erased', 'refused', 'partial'] as const;
export const ProcessorTaskUpdate = z
  .object({
    id: RequestId,
    status: z.enum(PROCESSOR_TASK_STATUSES),
    by: Operator,
    note: PlainText(0, 2000).optional(),
    /** When it was sent or answered (default: now). */
    at: z.iso.datetime({ offset: true, message: 'use an ISO 8601 date-time such as 2026-11-01T09:30:00Z' }).optional(),
    /** What Zoom answered: only with status answered, and needed there. */
    outcome: z.enum(PROCESSOR_OUTCOMES).optional(),
  })
  .strict()
  .refine((input) => (input.status === 'answered') === (input.outcome !== undefined), {
    message: 'give --outcome (erased, refused or partial) with --status answered, and only there',
    path: ['outcome'],
  });
export const ProcessorTask = z.object({
  id: z.number().int(),
  request_id: z.string(),
  processor: z.string(),
  status: z.enum(PROCESSOR_TASK_STATUSES),
  letter: z.string(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
  due_at: z.string().nullable(),
  answered_at: z.string().nullable(),
  outcome: z.enum(PROCESSOR_OUTCOMES).nullable(),
});

export const JobProgress = z.object({ request_id: z.string(), done: z.number().int(), total: z.number().int(), action: z.enum(JOB_ACTIONS).nullable() });
export type JobProgress = z.infer<typeof JobProgress>;

/** A job as the desk follows it: running (with progress), or its last result (which outlives the process that ran it). */
export const JobStatus = z.object({
  request_id: z.string(),
  running: z.boolean(),
  progress: JobProgress.nullable(),
  /** The journal's account of the last run; null before the job first ran. */
  result: JobRunOutput.nullable(),
  /** Why the last run in this process stopped, when it did not finish. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  processor_task: ProcessorTask.nullable(),
});
export type JobStatus = z.infer<typeof JobStatus>;

export const ProcessorTaskList = z.object({ tasks: z.array(ProcessorTask) });
