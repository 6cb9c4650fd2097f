import { AppError, type ErrorCode } from '../../../shared/errors';
import { redact } from '../log';

/**
 * Every non-2xx answer from Zoom, with what Zoom said: HTTP status, Zoom's own `code` (not the
 * HTTP status: HTTP 400 with code 200 is "no permission") and its message, with any email address
 * in it cut out (per-registrant limit messages name the registrant).
 */
export class ZoomApiError extends AppError {
  readonly httpStatus: number | null;
  readonly zoomCode: number | null;
  readonly zoomMessage: string;

  constructor(code: ErrorCode, detail: { httpStatus: number | null; zoomCode: number | null; zoomMessage: string; hint: string }) {
    const said = detail.httpStatus === null ? detail.zoomMessage : `HTTP ${detail.httpStatus}${detail.zoomCode !== null ? `, Zoom code ${detail.zoomCode}` : ''}: ${redact(detail.zoomMessage)}`;
    super(code, `Zoom refused the call (${said}). ${detail.hint}`);
    this.httpStatus = detail.httpStatus;
    this.zoomCode = detail.zoomCode;
    this.zoomMessage = redact(detail.zoomMessage);
  }
}

/** Zoom's answer in words for a timeline or a journal: what was called, the HTTP status and Zoom's code. */
export function answered(call: string, error: ZoomApiError): string {
  return `${call} answered ${error.httpStatus === null ? 'nothing (no reply)' : `HTTP ${error.httpStatus}`}${error.zoomCode !== null ? `, Zoom code ${error.zoomCode}` : ''}`;
}

/** A daily limit: the account's (per category) or one registrant's. Carries when to resume. */
export class ZoomDailyLimitReached extends ZoomApiError {
  readonly resumeAt: Date;
  constructor(code: 'ZOOM_DAILY_LIMIT' | 'ZOOM_REGISTRANT_LIMIT', detail: { httpStatus: number; zoomCode: number | null; zoomMessage: string; resumeAt: Date; scope: string }) {
    super(code, {
      ...detail,
      hint: `The ${detail.scope} daily limit is used up; it resets at ${detail.resumeAt.toISOString()}. Resume the job after that time.`,
    });
    this.resumeAt = detail.resumeAt;
  }
}

interface ZoomErrorBody {
  code?: number;
  message?: string;
}

/** Maps Zoom's (HTTP status, code) pairs to our named errors (zoom-api.md §2-§3). */
export function zoomErrorFor(httpStatus: number, body: ZoomErrorBody): ZoomApiError {
  const zoomCode = typeof body.code === 'number' ? body.code : null;
  const zoomMessage = typeof body.message === 'string' ? body.message : 'no message';
  const detail = { httpStatus, zoomCode, zoomMessage };
  if (httpStatus === 401 || zoomCode === 124) {
    return new ZoomApiError('ZOOM_AUTH_FAILED', { ...detail, hint: 'Check the Server-to-Server OAuth app is activated and reconnect with `dsr-desk connect`.' });
  }
  if (zoomCode === 3001 || (httpStatus === 404 && zoomCode === null)) {
    return new ZoomApiError('ZOOM_WEBINAR_NOT_FOUND', { ...detail, hint: 'The webinar or meeting no longer exists on Zoom, or the ID is wrong.' });
  }
  if (zoomCode === 3079 || (zoomCode === 3000 && /not found|does not exist/i.test(zoomMessage))) {
    return new ZoomApiError('ZOOM_REGISTRANT_NOT_FOUND', { ...detail, hint: 'Zoom holds no such registrant for this webinar.' });
  }
  if (zoomCode === 200 || httpStatus === 403) {
    return new ZoomApiError('ZOOM_NO_PERMISSION', {
      ...detail,
      hint: 'The app lacks a scope or the user lacks the webinar plan: add webinar:read:admin, webinar:write:admin and report:read:admin to the app.',
    });
  }
  if (zoomCode === 300 || httpStatus === 400) {
    return new ZoomApiError('ZOOM_VALIDATION', { ...detail, hint: 'Zoom rejected the request as invalid.' });
  }
  if (httpStatus >= 500) {
    return new ZoomApiError('ZOOM_UNAVAILABLE', { ...detail, hint: 'Zoom is having trouble; try again later.' });
  }
  return new ZoomApiError('ZOOM_ERROR', { ...detail, hint: "See Zoom's message." });
}
