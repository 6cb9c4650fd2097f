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

export interface ErrorShape {
  code: ErrorCode;
  message: string;
}

/** An expected failure with a stable code; anything else is reported as INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
