import { z } from 'zod';

// The data-subject request register: types, states and the moves between them (gdpr-dsr.md).

export const REQUEST_TYPES = ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_ARTICLES: Record<RequestType, string> = {
  access: 'Art 15',
  rectification: 'Art 16',
  erasure: 'Art 17',
  restriction: 'Art 18',
  portability: 'Art 20',
  objection: 'Art 21',
};

export const CHANNELS = ['email', 'letter', 'form', 'phone'] as const;

export const REQUEST_STATUSES = ['received', 'identity_verified', 'approved', 'refused', 'running', 'completed', 'partial', 'failed', 'on_hold'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_ACTIONS = ['verify_identity', 'approve', 'refuse', 'hold', 'resume', 'start_job', 'finish_job', 'extend'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/**
 * Where each action may move a request from. Refusal is possible before identity is verified
 * (Art 11(2)/12(2): the subject can't be identified; 12(5): manifestly unfounded). A job may be run
 * again from partial or failed (it resumes). An extension (Art 12(3)) is not a state: it changes the
 * due date of a request in whatever open state it is, once.
 */
const ALLOWED_FROM: Record<Exclude<RequestAction, 'resume' | 'finish_job'>, readonly RequestStatus[]> = {
  verify_identity: ['received'],
  approve: ['identity_verified'],
  refuse: ['received', 'identity_verified'],
  hold: ['received', 'identity_verified', 'approved', 'partial', 'failed'],
  start_job: ['approved', 'partial', 'failed', 'running'],
  extend: ['received', 'identity_verified', 'approved', 'running', 'partial', 'failed', 'on_hold'],
};

const NEXT_STEP: Partial<Record<RequestStatus, string>> = {
  received: 'verify the subject\'s identity (`request verify-identity`) or refuse it',
  identity_verified: 'approve or refuse it',
  approved: 'run its job (`job run`)',
  partial: 'run its job again to resume it',
  failed: 'run its job again to resume it',
  on_hold: 'resume it first',
  running: 'wait for its job to finish',
};

/** Why an action isn't allowed in a state, in words that say what to do instead; null when it is allowed. */
export function refusalOf(action: RequestAction, status: RequestStatus, heldFrom: RequestStatus | null = null): string | null {
  if (action === 'resume') return status === 'on_hold' && heldFrom ? null : `only a request on hold can be resumed; this one is ${status}`;
  if (action === 'finish_job') return status === 'running' ? null : `only a running job can finish; this request is ${status}`;
  if (ALLOWED_FROM[action].includes(status)) return null;
  const next = NEXT_STEP[status];
  const closed = status === 'completed' || status === 'refused';
  return `a request that is ${status} can't be ${PAST[action]}${closed ? ': it is closed' : next ? `; next, ${next}` : ''}`;
}

const PAST: Record<RequestAction, string> = {
  verify_identity: 'identity-verified',
  approve: 'approved',
  refuse: 'refused',
  hold: 'put on hold',
  resume: 'resumed',
  start_job: 'run',
  finish_job: 'finished',
  extend: 'extended',
};

export const OPEN_STATUSES: readonly RequestStatus[] = ['received', 'identity_verified', 'approved', 'running', 'partial', 'failed', 'on_hold'];
export const CLOSED_STATUSES: readonly RequestStatus[] = ['refused', 'completed'];

// ---- contract shapes --------------------------------------------------------------------------

const IsoDateTime = z.iso.datetime({ offset: true, message: 'use an ISO 8601 date-time such as 2026-11-01T09:30:00Z' });
/** Who decides or acts: recorded on the request and in the audit log. */
export const Person = z.string().trim().min(2, 'name the person who decides (at least 2 characters)').max(120);
const Reason = z.string().trim().min(3, 'give a reason (at least 3 characters)').max(2000);
export const RequestId = z.string().trim().regex(/^DSR-\d{4}-\d{4,}$/, 'a request ID looks like DSR-2026-0001');

export const CreateRequestInput = z
  .object({
    type: z.enum(REQUEST_TYPES),
    email: z.string().trim().min(3).max(320).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'give the subject\'s whole email address'),
    received_at: IsoDateTime.optional(),
    channel: z.enum(CHANNELS).default('email'),
    note: z.string().trim().max(2000).optional(),
    /** The language of replies to this subject; default: the settings' language. */
    language: z.enum(['en', 'de']).optional(),
  })
  .strict();

export const RequestSummary = z.object({
  id: z.string(),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(REQUEST_STATUSES),
  received_at: z.string(),
  due_at: z.string(),
  days_left: z.number().int(),
  overdue: z.boolean(),
  extended: z.boolean(),
});

export const RequestEvent = z.object({
  at: z.string(),
  by: z.string(),
  action: z.string(),
  from: z.enum(REQUEST_STATUSES).nullable(),
  to: z.enum(REQUEST_STATUSES).nullable(),
  reason: z.string().nullable(),
});

export const RequestDetail = RequestSummary.extend({
  /** The full address; null once purged (the grace period after an erasure closes, or retention). */
  subject_email: z.string().nullable(),
  /** The masked address (e***@example.com), kept as long as the request. */
  subject_masked: z.string(),
  /** HMAC-SHA-256 of the normalised address under the keychain's suppression key: how the register and the mirror match the subject without the address. */
  subject_hash: z.string(),
  address_purged_at: z.string().nullable(),
  /** Registrations of an erased subject that Zoom listed after the job (they registered again): stored without personal data. */
  returned: z.array(z.object({ webinar_id: z.string(), registrant_id: z.string(), first_seen_at: z.string() })),
  channel: z.enum(CHANNELS),
  /** The language of replies to this subject; null: the settings' language. */
  language: z.enum(['en', 'de']).nullable(),
  /** When the request was closed (completed or refused); null while open. */
  closed_at: z.string().nullable(),
  notes: z.string().nullable(),
  original_due_at: z.string(),
  identity: z.object({ method: z.string(), by: z.string(), at: z.string() }).nullable(),
  decision: z.object({ outcome: z.enum(['approved', 'refused']), by: z.string(), at: z.string(), reason: z.string().nullable(), article: z.string().nullable() }).nullable(),
  extension: z.object({ by: z.string(), at: z.string(), reason: z.string(), notified_at: z.string() }).nullable(),
  hold: z.object({ reason: z.string(), from: z.enum(REQUEST_STATUSES) }).nullable(),
  purged_at: z.string().nullable(),
  /** An erasure of this request that a restore applied again from the erasure ledger: its next job run reads Zoom back. */
  reverify: z.object({ erased_at: z.string(), reapplied_at: z.string() }).nullable(),
  timeline: z.array(RequestEvent),
});
export type RequestDetail = z.infer<typeof RequestDetail>;

export const RequestRef = z.object({ id: RequestId }).strict();
export const ListRequestsInput = z.object({ status: z.enum(REQUEST_STATUSES).optional() }).strict();
export const VerifyIdentityInput = z.object({ id: RequestId, method: z.string().trim().min(3, 'say how the identity was checked').max(500), by: Person }).strict();
export const ApproveInput = z.object({ id: RequestId, by: Person, note: z.string().trim().max(2000).optional() }).strict();
export const REFUSAL_ARTICLES = ['11(2)', '12(2)', '12(4)', '12(5)', '17(3)(a)', '17(3)(b)', '17(3)(c)', '17(3)(d)', '17(3)(e)'] as const;
export const RefuseInput = z.object({ id: RequestId, by: Person, reason: Reason, article: z.enum(REFUSAL_ARTICLES).optional() }).strict();
export const ExtendInput = z
  .object({ id: RequestId, by: Person, reason: Reason, notified_at: IsoDateTime, months: z.union([z.literal(1), z.literal(2)]).default(2) })
  .strict();
export const HoldInput = z.object({ id: RequestId, by: Person, reason: Reason }).strict();
export const ResumeInput = z.object({ id: RequestId, by: Person }).strict();

/** Fields of a mirrored registration a rectification may correct (Zoom itself can't be edited). */
export const RECTIFIABLE_FIELDS = ['first_name', 'last_name', 'org', 'job_title', 'city', 'state', 'country', 'phone', 'address', 'zip'] as const;
export const RectifyInput = z
  .object({
    id: RequestId,
    by: Person,
    fields: z
      .object(Object.fromEntries(RECTIFIABLE_FIELDS.map((f) => [f, z.string().trim().max(200).nullable().optional()])) as Record<(typeof RECTIFIABLE_FIELDS)[number], z.ZodOptional<z.ZodNullable<z.ZodString>>>)
      .strict()
      .refine((fields) => Object.values(fields).some((v) => v !== undefined), { message: 'name at least one field to correct' }),
  })
  .strict();
