import { z } from 'zod';

// The contract's shapes for backups and the recovery key (cli-contract.md, "Backup and recovery").

export const AgeRecipient = z
  .string()
  .trim()
  .regex(/^age1[02-9ac-hj-np-z]{58}$/, 'give an age recipient (age1…, as age-keygen prints it)');
/** The secret half, given on stdin or typed into the desk's unlock screen; never echoed back. */
export const AgeIdentity = z.string().trim().min(1).max(2000);

export const RecoveryKeyCreateInput = z.object({ sheet: z.string().trim().min(1).optional(), force: z.boolean().default(false) }).strict();
export const RecoveryKeyCreated = z.object({ recipient: z.string(), identity: z.string(), sheet: z.string().nullable() });
export const RecoveryKeyState = z.object({ recipient: z.string().nullable(), created_at: z.string().nullable() });

export const BackupInput = z.object({ out: z.string().trim().min(1), recipients: z.array(AgeRecipient).max(20).default([]), force: z.boolean().default(false) }).strict();

export const AuditHead = z.object({ entries: z.number().int(), head: z.string() });
export const BackupCounts = z.object({ requests: z.number().int(), registrants: z.number().int(), audit_entries: z.number().int() });

export const BackupWritten = z.object({
  path: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  taken_at: z.string(),
  schema_version: z.number().int(),
  audit: AuditHead,
  counts: BackupCounts,
});

export const BackupVerifyInput = z.object({ file: z.string().trim().min(1), identity: AgeIdentity }).strict();
export const BackupManifest = z.object({
  format: z.string(),
  format_version: z.number().int(),
  app_version: z.string(),
  schema_version: z.number().int(),
  taken_at: z.string(),
  audit: AuditHead,
  counts: BackupCounts,
  store: z.object({ cipher: z.string(), compatibility: z.number().int(), key: z.string() }),
  parts: z.array(z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string() })),
});
export const BackupVerified = z.object({ ok: z.literal(true), manifest: BackupManifest });

export const AutoBackupWritten = BackupWritten.extend({ deleted: z.array(z.string()) });

export const BackupStatus = z.object({
  recovery_key: RecoveryKeyState,
  folder: z.string().nullable(),
  interval_hours: z.number().int(),
  keep: z.number().int(),
  recipients: z.array(z.string()),
  after_erasure: z.boolean(),
  last: z.object({ at: z.string(), path: z.string(), sha256: z.string(), verified_at: z.string().nullable() }).nullable(),
  /** No backup within the interval (or none at all): the overview warns. */
  overdue: z.boolean(),
  /** The backups in the backup folder, newest first (empty without a folder, or while it is away). */
  backups: z.array(z.object({ name: z.string(), bytes: z.number().int(), at: z.string() })),
});

export const UnlockInput = z.object({ identity: AgeIdentity }).strict();
export const Unlocked = z.object({ unlocked: z.literal(true) });
