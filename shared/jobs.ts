import { z } from 'zod';
import { REGISTRANT_STATUS_VALUES } from './changes';
import { MATCH_SOURCES } from './mirror';
import { Person, RequestId, type RequestType } from './requests';

// What a request's job does, decided by a pure planner from what the mirror holds of the subject.

export const JOB_ACTIONS = ['anonymize_local', 'cancel', 'delete', 'verify', 'collect'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];
export type MatchSource = (typeof MATCH_SOURCES)[number];

/** One record of the subject in the mirror, as the planner sees it. */
export interface SubjectRecord {
  source: MatchSource;
  webinar_id: string;
  registrant_id: string | null;
  status: (typeof REGISTRANT_STATUS_VALUES)[number] | null;
  present: boolean;
  /** Occurrences the registrant was listed under, where people register per occurrence; [] otherwise. */
  occurrence_ids: string[];
}

export interface PlannedStep {
  webinar_id: string;
  registrant_id: string | null;
  occurrence_id: string | null;
  source: MatchSource;
  actions: JobAction[];
}

export interface Residual {
  source: Exclude<MatchSource, 'registrant'>;
  webinar_id: string;
  records: number;
}

export interface JobPlan {
  steps: PlannedStep[];
  /** Records Zoom's API can't erase: they go to Zoom as a processor request (Art 28(3)(e), Art 19). */
  residual: Residual[];
  notes: string[];
}

/**
 * The plan of a request's job. Erasure: anonymize every mirrored record, then on Zoom cancel a
 * registration still approved or pending (which revokes its join link even if the delete then
 * fails), delete it, and verify it is gone; a registration Zoom no longer lists is only verified.
 * Restriction and objection: cancel (which blocks re-registration) without deleting. Access and
 * portability: collect. Rectification: nothing on Zoom, which can't edit a registrant.
 */
export function planJob(type: RequestType, records: SubjectRecord[]): JobPlan {
  const registrants = records.filter((r) => r.source === 'registrant' && r.registrant_id !== null);
  const others = records.filter((r) => r.source !== 'registrant');
  const steps: PlannedStep[] = [];
  const notes: string[] = [];
  const perOccurrence = (r: SubjectRecord, actions: (occurrence: string | null) => JobAction[]) => {
    for (const occurrence of r.occurrence_ids.length > 0 ? r.occurrence_ids : [null]) {
      steps.push({ webinar_id: r.webinar_id, registrant_id: r.registrant_id, occurrence_id: occurrence, source: 'registrant', actions: actions(occurrence) });
    }
  };
  const live = (r: SubjectRecord) => r.present && (r.status === 'approved' || r.status === 'pending');

  switch (type) {
    case 'erasure':
      for (const r of registrants) perOccurrence(r, () => ['anonymize_local', ...(live(r) ? (['cancel'] as const) : []), ...(r.present ? (['delete'] as const) : []), 'verify']);
      for (const r of others) steps.push({ webinar_id: r.webinar_id, registrant_id: r.registrant_id, occurrence_id: null, source: r.source, actions: ['anonymize_local'] });
      break;
    case 'restriction':
    case 'objection':
      notes.push('Policy: the registration is cancelled on Zoom, which blocks the address from registering again, and is not deleted; the mirror keeps the data, restricted.');
      for (const r of registrants) perOccurrence(r, () => (live(r) ? ['cancel', 'verify'] : ['verify']));
      break;
    case 'access':
    case 'portability':
      for (const r of records) steps.push({ webinar_id: r.webinar_id, registrant_id: r.registrant_id, occurrence_id: null, source: r.source, actions: ['collect'] });
      break;
    case 'rectification':
      notes.push(
        "Zoom's API can't edit a registrant. Correct the mirror's copy; on Zoom the only way is to delete the registration and have the person register again, which DSR Desk offers but does not do on its own.",
      );
      break;
  }

  const residual = new Map<string, Residual>();
  if (type === 'erasure') {
    for (const r of others) {
      const key = `${r.source}:${r.webinar_id}`;
      const entry = residual.get(key) ?? { source: r.source as Residual['source'], webinar_id: r.webinar_id, records: 0 };
      entry.records++;
      residual.set(key, entry);
    }
  }
  return { steps, residual: [...residual.values()], notes };
}

// ---- contract shapes --------------------------------------------------------------------------

export const JobRef = z.object({ id: RequestId }).strict();

const Residual = z.object({ source: z.string(), webinar_id: z.string(), records: z.number().int() });

export const JobPlanOutput = z.object({
  request_id: z.string(),
  steps: z.array(z.object({ webinar_id: z.string(), registrant_id: z.string().nullable(), occurrence_id: z.string().nullable(), source: z.string(), actions: z.array(z.enum(JOB_ACTIONS)) })),
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
      webinar_id: z.string(),
      registrant_id: z.string().nullable(),
      occurrence_id: z.string().nullable(),
      source: z.string(),
      actions: z.array(JobActionResult),
      verified: z.boolean(),
    }),
  ),
  residual: z.array(Residual),
  processor_task: z.object({ id: z.number().int(), status: z.string(), letter: z.string() }).nullable(),
  notes: z.array(z.string()),
});
export type JobRunOutput = z.infer<typeof JobRunOutput>;

export const PROCESSOR_TASK_STATUSES = ['open', 'sent', 'answered', 'closed'] as const;
export const ProcessorTaskUpdate = z
  .object({ id: RequestId, status: z.enum(PROCESSOR_TASK_STATUSES), by: Person, note: z.string().trim().max(2000).optional() })
  .strict();
export const ProcessorTask = z.object({ id: z.number().int(), request_id: z.string(), processor: z.string(), status: z.enum(PROCESSOR_TASK_STATUSES), letter: z.string(), created_at: z.string() });
