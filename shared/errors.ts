// Stable error codes: they cross every boundary (IPC, HTTP, CLI JSON) and scripts match on them,
// so a code is never renamed once shipped. Messages say what was wrong and what to do.
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_OPERATION',
  'USAGE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'KEYCHAIN_UNAVAILABLE',
  'DATABASE_KEY_MISSING',
  'DATABASE_WRONG_KEY',
  'DATABASE_NOT_ENCRYPTED',
  'DATABASE_CORRUPT',
  'DATABASE_FROM_FUTURE',
  'DATA_DIR_INVALID',
  'DATA_DIR_UNSAFE',
  'RECOVERY_KEY_MISSING',
  'BACKUP_IDENTITY_WRONG',
  'BACKUP_CORRUPT',
  'BACKUP_FROM_FUTURE',
  'RESTORE_TARGET_NOT_EMPTY',
  'ZOOM_NOT_CONNECTED',
  'ACCOUNT_UNKNOWN',
  'ZOOM_AUTH_FAILED',
  'ZOOM_MISSING_SCOPES',
  'ZOOM_NO_PERMISSION',
  'ZOOM_WEBINAR_NOT_FOUND',
  'ZOOM_REGISTRANT_NOT_FOUND',
  'ZOOM_VALIDATION',
  'ZOOM_RATE_LIMITED',
  'ZOOM_DAILY_LIMIT',
  'ZOOM_REGISTRANT_LIMIT',
  'ZOOM_UNAVAILABLE',
  'ZOOM_ERROR',
  'SYNC_IN_PROGRESS',
  'JOB_RUNNING',
  'SUPPRESSION_KEY_MISSING',
  'NOT_FOUND',
  'INVALID_STATE',
  'OUTPUT_EXISTS',
  'OUTPUT_UNWRITABLE',
  'OPERATOR_MISSING',
  'ORGANISATION_INCOMPLETE',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What to do about a refusal, as data: the message says what is wrong in words every door can
 * show, and each door words the hint its own way (the CLI as the command to run, the window as
 * what to click). Never personal data: an action, and at most IDs and settings keys.
 */
export type ErrorHint =
  | { action: 'connect' }
  /** Connect Zoom, sync the mirror, then run the job again. */
  | { action: 'connect-and-sync' }
  /** Put the database key back with the recovery key (or restore a backup). */
  | { action: 'unlock' }
  | { action: 'set-operator' }
  | { action: 'list-requests' }
  /** Fill in the organisation's settings, or write a draft. */
  | { action: 'complete-organisation'; missing: string[] }
  | { action: 'create-recovery-key' }
  | { action: 'set-backup-folder' }
  | { action: 'rectify'; request_id: string };

export type ErrorHintAction = ErrorHint['action'];

export const ERROR_HINT_ACTIONS = [
  'connect',
  'connect-and-sync',
  'unlock',
  'set-operator',
  'list-requests',
  'complete-organisation',
  'create-recovery-key',
  'set-backup-folder',
  'rectify',
] as const satisfies readonly ErrorHintAction[];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  /** Present only where there is one thing to do; old readers ignore it. */
  hint?: ErrorHint;
}

/** An expected failure with a stable code; anything else is reported as INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: ErrorHint | undefined;
  constructor(code: ErrorCode, message: string, hint?: ErrorHint) {
    super(message);
    this.code = code;
    this.hint = hint;
    this.name = new.target.name;
  }
}

/** The shape that crosses a boundary: code, message and the hint if any, nothing else of the error (no stack). */
export function errorShapeOf(error: { code: ErrorCode; message: string; hint?: ErrorHint | undefined }): ErrorShape {
  return error.hint ? { code: error.code, message: error.message, hint: error.hint } : { code: error.code, message: error.message };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
