import { z } from 'zod';
import { normaliseEmail } from './email';
import { EventFieldsShape } from './events';

// The data-subject request register: types, states and the moves between them (gdpr-dsr.md).

export const REQUEST_TYPES = ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
/** The article of the GDPR each type of request rests on. */
export const REQUEST_ARTICLE: Record<RequestType, string> = { access: '15', rectification: '16', erasure: '17', restriction: '18', portability: '20', objection: '21' };
/** The same, as the command line prints it (Art 17). */
export const REQUEST_ARTICLES = Object.fromEntries(REQUEST_TYPES.map((type) => [type, `Art ${REQUEST_ARTICLE[type]}`])) as Record<RequestType, string>;

export const CHANNELS = ['email', 'letter', 'form', 'phone'] as const;

/** waiting_for_processor: the job is done, but Zoom still holds what its API can't erase until it answers the processor request. */
export const REQUEST_STATUSES = ['received', 'identity_verified', 'approved', 'refused', 'running', 'completed', 'partial', 'failed', 'on_hold', 'waiting_for_processor'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_ACTIONS = ['verify_identity', 'add_address', 'approve', 'refuse', 'hold', 'resume', 'start_job', 'finish_job', 'extend', 'processor_done'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/**
 * Where each action may move a request from. Refusal is possible before identity is verified
 * (Art 11(2)/12(2): the subject can't be identified; 12(5): manifestly unfounded). A job may be run
 * again from partial or failed (it resumes). An extension (Art 12(3)) is not a state: it changes the
 * due date of a request in whatever open state it is, once.
 */
const ALLOWED_FROM: Record<Exclude<RequestAction, 'resume' | 'finish_job'>, readonly RequestStatus[]> = {
  verify_identity: ['received'],
  // Before the job runs only: its plan covers the addresses the request held when it started.
  add_address: ['received', 'identity_verified', 'approved'],
  approve: ['identity_verified'],
  refuse: ['received', 'identity_verified'],
  hold: ['received', 'identity_verified', 'approved', 'partial', 'failed'],
  start_job: ['approved', 'partial', 'failed', 'running'],
  extend: ['received', 'identity_verified', 'approved', 'running', 'partial', 'failed', 'on_hold', 'waiting_for_processor'],
  processor_done: ['waiting_for_processor'],
};

const NEXT_STEP: Partial<Record<RequestStatus, string>> = {
  received: "verify the subject's identity (`request verify-identity`) or refuse it",
  identity_verified: 'approve or refuse it',
  approved: 'run its job (`job run`)',
  partial: 'run its job again to resume it',
  failed: 'run its job again to resume it',
  on_hold: 'resume it first',
  running: 'wait for its job to finish',
  waiting_for_processor: "record Zoom's answer to the processor request (`job processor-request ID --status answered --outcome …`)",
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
  add_address: 'given another address',
  approve: 'approved',
  refuse: 'refused',
  hold: 'put on hold',
  resume: 'resumed',
  start_job: 'run',
  finish_job: 'finished',
  extend: 'extended',
  processor_done: "closed after the processor's answer",
};

export const OPEN_STATUSES: readonly RequestStatus[] = ['received', 'identity_verified', 'approved', 'running', 'partial', 'failed', 'on_hold', 'waiting_for_processor'];
export const CLOSED_STATUSES: readonly RequestStatus[] = ['refused', 'completed'];

// ---- contract shapes --------------------------------------------------------------------------

const IsoDateTime = z.iso.datetime({ offset: true, message: 'use an ISO 8601 date-time such as 2026-11-01T09:30:00Z' });

/** C0 and C1 control characters: a line break or a terminal escape in a name forges lines in the timeline, the terminal and the documents. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const NO_CONTROL = { message: 'remove line breaks, tabs and other control characters: write it on one line' };
/** Free text a person types (a name, a method, a note, a reason): trimmed, on one line, at most `max` characters. */
export const PlainText = (min: number, max: number, tooShort = `write at least ${min} characters`) =>
  z
    .string()
    .trim()
    .min(min, tooShort)
    .max(max)
    .refine((value) => !CONTROL_CHARACTERS.test(value), NO_CONTROL);
/** Text of several lines (a postal address, a purpose): line breaks kept, every other control character refused. */
export const TextLines = (min: number, max: number, tooShort = `write at least ${min} characters`) =>
  z
    .string()
    .trim()
    .transform((value) => value.replace(/\r\n?/g, '\n'))
    .pipe(
      z
        .string()
        .min(min, tooShort)
        .max(max)
        .refine((value) => !CONTROL_CHARACTERS.test(value.replaceAll('\n', ' ')), { message: 'remove tabs and other control characters (line breaks are fine)' }),
    );
/** Who decides or acts: recorded on the request, in its timeline, in the audit log and in the evidence. */
export const Person = PlainText(2, 120, 'name the person who decides (at least 2 characters)');
/** Who acts, when a door may leave it out: the settings' operator stands in, and without one the act is refused (OPERATOR_MISSING). */
export const Operator = Person.optional();
/** A contract input whose operator the core has resolved. */
export type Acting<T> = Omit<T, 'by'> & { by: string };
const Reason = PlainText(3, 2000, 'give a reason (at least 3 characters)');
const Note = PlainText(0, 2000);
export const RequestId = z
  .string()
  .trim()
  .regex(/^DSR-\d{4}-\d{4,}$/, 'a request ID looks like DSR-2026-0001');

/**
 * How an identity is usually checked (EDPB 01/2022: by the least data that suffices), recorded as
 * the code and shown in words in either language; any other method is written out as text.
 */
export const IDENTITY_METHODS = ['reply_from_registered_address', 'existing_account', 'document_seen_not_kept'] as const;
/** Art 17(1): the grounds on which an erasure is owed; the one relied on is chosen at approval. */
export const ERASURE_GROUNDS = ['17(1)(a)', '17(1)(b)', '17(1)(c)', '17(1)(d)', '17(1)(e)', '17(1)(f)'] as const;

/** A person rarely has more; a longer list is more likely a mistake (or someone else's addresses). */
export const MAX_ADDRESSES = 20;
export const SubjectAddress = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "give the subject's whole email address");

export const CreateRequestInput = z
  .object({
    type: z.enum(REQUEST_TYPES),
    /** The subject's address; with `emails`, the first of them. */
    email: SubjectAddress.optional(),
    /** Every address the person used (issue 28): one request for one person. */
    emails: z.array(SubjectAddress).min(1).max(MAX_ADDRESSES).optional(),
    received_at: IsoDateTime.optional(),
    channel: z.enum(CHANNELS).default('email'),
    note: Note.optional(),
    /** The language of replies to this subject; default: the settings' language. */
    language: z.enum(['en', 'de']).optional(),
  })
  .strict();
/** Whether a create input names at least one address (the contract refines its input with it). */
export const HAS_ADDRESS: [(input: { email?: string; emails?: string[] }) => boolean, { message: string; path: string[] }] = [
  (input) => input.email !== undefined || input.emails !== undefined,
  { message: "give the subject's email address (--email)", path: ['email'] },
];

/** Every address of a create input, normalised, the first first, each once. */
export function addressesOf(input: { email?: string | undefined; emails?: string[] | undefined }): string[] {
  return [...new Set([...(input.email ? [input.email] : []), ...(input.emails ?? [])].map(normaliseEmail))];
}

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

const Identity = z.object({ method: z.string(), by: z.string(), at: z.string() });
export const ADDRESS_VIA = ['filed', 'added', 'suggestion'] as const;
export const RequestAddress = z.object({
  /** Null once purged (as subject_email). */
  email: z.string().nullable(),
  masked: z.string(),
  subject_hash: z.string(),
  /** How it came to the request: given when it was filed, added later, or a name match the DPO accepted. */
  via: z.enum(ADDRESS_VIA),
  added_by: z.string(),
  added_at: z.string(),
  identity: Identity.nullable(),
});

export const RequestDetail = RequestSummary.extend({
  /** The full address; null once purged (the grace period after an erasure closes, or retention). */
  subject_email: z.string().nullable(),
  /** Every address of the person still held in full, the first first (the one in subject_email); [] once purged. */
  emails: z.array(z.string()),
  /** Every address of the person with its own identity check, in the order they were given. */
  addresses: z.array(RequestAddress),
  /** The masked address (e***@example.com), kept as long as the request. */
  subject_masked: z.string(),
  /** HMAC-SHA-256 of the normalised address under the keychain's suppression key: how the register and the mirror match the subject without the address. */
  subject_hash: z.string(),
  address_purged_at: z.string().nullable(),
  /** Registrations of an erased subject that Zoom listed after the job (they registered again): stored without personal data. */
  returned: z.array(z.object({ ...EventFieldsShape, registrant_id: z.string(), first_seen_at: z.string() })),
  channel: z.enum(CHANNELS),
  /** The language of replies to this subject; null: the settings' language. */
  language: z.enum(['en', 'de']).nullable(),
  /** When the request was closed (completed or refused); null while open. */
  closed_at: z.string().nullable(),
  /** The note given when it was filed, then every note added (`request note`), oldest first. */
  notes: z.array(z.object({ at: z.string(), by: z.string(), text: z.string() })),
  /** The processor request to Zoom about what its API can't erase; null when the job left nothing with Zoom. */
  processor: z
    .object({
      status: z.enum(['open', 'sent', 'answered', 'closed']),
      sent_at: z.string().nullable(),
      /** When Zoom must answer: sent_at plus the settings' processor_reply_days. */
      due_at: z.string().nullable(),
      answered_at: z.string().nullable(),
      outcome: z.enum(['erased', 'refused', 'partial']).nullable(),
    })
    .nullable(),
  /** Replies that went to the data subject. */
  replies: z.array(z.object({ document: z.enum(['letter', 'package', 'extension']), sent_at: z.string(), channel: z.enum(['email', 'letter', 'portal']), by: z.string() })),
  original_due_at: z.string(),
  /** The check that completed the identity (every address checked); null until then. */
  identity: Identity.nullable(),
  decision: z
    .object({
      outcome: z.enum(['approved', 'refused']),
      by: z.string(),
      at: z.string(),
      reason: z.string().nullable(),
      article: z.string().nullable(),
      /** An approved erasure's Art 17(1) ground; null when none was recorded. */
      ground: z.enum(ERASURE_GROUNDS).nullable(),
      /** When the approver confirmed that no Art 17(3) exception applies; null when not recorded. */
      exceptions_checked: z.boolean(),
    })
    .nullable(),
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
/** Without `email`, the check is recorded for every address not yet checked. */
export const VerifyIdentityInput = z.object({ id: RequestId, email: SubjectAddress.optional(), method: PlainText(3, 500, 'say how the identity was checked'), by: Operator }).strict();
export const AddAddressInput = z.object({ id: RequestId, email: SubjectAddress, by: Operator }).strict();
export const SuggestionDecisionInput = z.object({ id: RequestId, email: SubjectAddress, decision: z.enum(['accept', 'dismiss']), by: Operator }).strict();
/**
 * "Possibly the same person": an address of the mirror under which someone registered with the
 * name the subject used under one of the request's addresses. Only a suggestion: nothing is
 * erased on a name alone; accepting adds the address, whose identity is then checked.
 */
export const Suggestion = z.object({
  email: z.string(),
  /** The name as it was registered under that address. */
  name: z.string().nullable(),
  /** Registrations under that address with the subject's name. */
  sources: z.number().int(),
  /** The events they are in. */
  events: z.array(z.object({ ...EventFieldsShape })),
  state: z.enum(['open', 'accepted', 'dismissed']),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
});
export const SuggestionList = z.object({ request_id: z.string(), suggestions: z.array(Suggestion) });
export const ApproveInput = z
  .object({
    id: RequestId,
    by: Operator,
    note: Note.optional(),
    /** For an erasure: the Art 17(1) ground relied on. */
    ground: z.enum(ERASURE_GROUNDS).optional(),
    /** For an erasure: the person checked that none of the Art 17(3) exceptions applies (where one does, the request is refused under it). */
    exceptions_checked: z.literal(true, { message: 'confirm that none of the Art 17(3) exceptions applies, or refuse the request under the one that does' }).optional(),
  })
  .strict();
export const REFUSAL_ARTICLES = ['11(2)', '12(2)', '12(4)', '12(5)', '17(3)(a)', '17(3)(b)', '17(3)(c)', '17(3)(d)', '17(3)(e)'] as const;
export const RefuseInput = z.object({ id: RequestId, by: Operator, reason: Reason, article: z.enum(REFUSAL_ARTICLES).optional() }).strict();
export const ExtendInput = z.object({ id: RequestId, by: Operator, reason: Reason, notified_at: IsoDateTime, months: z.union([z.literal(1), z.literal(2)]).default(2) }).strict();
export const HoldInput = z.object({ id: RequestId, by: Operator, reason: Reason }).strict();
export const ResumeInput = z.object({ id: RequestId, by: Operator }).strict();

export const NoteInput = z.object({ id: RequestId, text: PlainText(1, 2000, 'write the note'), by: Operator }).strict();
export const REPLY_DOCUMENTS = ['letter', 'package', 'extension'] as const;
export const REPLY_CHANNELS = ['email', 'letter', 'portal'] as const;
export const ReplySentInput = z.object({ id: RequestId, document: z.enum(REPLY_DOCUMENTS), sent_at: IsoDateTime, channel: z.enum(REPLY_CHANNELS), by: Operator }).strict();

/** Fields of a mirrored registration a rectification may correct (Zoom itself can't be edited). */
export const RECTIFIABLE_FIELDS = ['first_name', 'last_name', 'org', 'job_title', 'city', 'state', 'country', 'phone', 'address', 'zip'] as const;
export const RectifyInput = z
  .object({
    id: RequestId,
    by: Operator,
    fields: z
      .object(Object.fromEntries(RECTIFIABLE_FIELDS.map((f) => [f, PlainText(0, 200).nullable().optional()])) as Record<(typeof RECTIFIABLE_FIELDS)[number], z.ZodOptional<z.ZodNullable<z.ZodString>>>)
      .strict()
      .refine((fields) => Object.values(fields).some((v) => v !== undefined), { message: 'name at least one field to correct' }),
  })
  .strict();
