import { z } from 'zod';

// The audit log as the window pages through it: newest first, filtered by request, actor or action.

export const AuditListInput = z
  .object({
    request_id: z.string().trim().max(40).optional(),
    actor: z.string().trim().max(120).optional(),
    /** An action or its group: `request` matches request.received, request.approved, … */
    action: z.string().trim().max(80).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

/** What `audit verify` found: intact (and anchored), empty, an entry changed, the tail cut, the log replaced, or no anchor to hold it against. */
export const AUDIT_FINDINGS = ['intact', 'empty', 'changed', 'cut', 'replaced', 'unanchored'] as const;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  request_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({ total: z.number().int(), entries: z.array(AuditEntry), actors: z.array(z.string()) });
