import type { EventKind } from '../../../shared/events';
import type { ReadBackOutcome } from '../store/mirror-writer';
import type { ZoomClient } from '../zoom/client';
import { answered, ZoomApiError } from '../zoom/errors';

/**
 * One Light GET on a registrant no list shows (or an event says was cancelled): Zoom still answers
 * one who cancelled themselves (status "all") or is listed after all, not one deleted in the web
 * portal or by an app (3079). Returns what it answered, and those words for the timeline.
 */
export async function readBackRegistrant(client: ZoomClient, kind: EventKind, eventId: string, registrantId: string): Promise<ReadBackOutcome> {
  try {
    const { httpStatus, registrant } = await client.getRegistrant(kind, eventId, registrantId);
    return { readBack: { found: true, status: String(registrant.status) }, evidence: `read back: GET registrant answered HTTP ${httpStatus} with status "${String(registrant.status)}"` };
  } catch (error) {
    if (!(error instanceof ZoomApiError) || error.code !== 'ZOOM_REGISTRANT_NOT_FOUND') throw error;
    return { readBack: { found: false }, evidence: `read back: ${answered('GET registrant', error)}` };
  }
}
