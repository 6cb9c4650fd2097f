import { z } from 'zod';

// A webinar and a meeting are two kinds of one thing: a Zoom event that takes registration, with
// occurrences, registrants and reports. The kind decides the endpoints, which reports exist and
// how an event is named to a person; everything else speaks of events.

export const EVENT_KINDS = ['webinar', 'meeting'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EventKindSchema = z.enum(EVENT_KINDS);

/** An event as Zoom names it. Zoom's meeting and webinar numbers are one number space (both join at /j/{number}). */
export interface EventRef {
  kind: EventKind;
  id: string;
}

/** What every contract record naming an event carries; `webinar_id` stays on webinar records for older callers. */
export interface EventFields {
  event_type: EventKind;
  event_id: string;
  webinar_id?: string;
  /** The name of the Zoom account that hosts the event (several accounts in one desk). */
  account?: string;
}

export function eventFields(kind: EventKind, id: string, account?: string): EventFields {
  const named = account === undefined ? {} : { account };
  return kind === 'webinar' ? { event_type: kind, event_id: id, webinar_id: id, ...named } : { event_type: kind, event_id: id, ...named };
}

/** The contract's zod shape of those fields, to spread into an object schema. */
export const EventFieldsShape = {
  event_type: EventKindSchema,
  event_id: z.string(),
  webinar_id: z.string().optional(),
  account: z.string().optional(),
};

/** Which report sources Zoom keeps per kind (zoom-api.md §4, §4.1a): meetings have no absentees or panelists. */
export function kindHasSource(kind: EventKind, source: 'absentees' | 'panelists' | 'participants' | 'qa' | 'polls' | 'survey'): boolean {
  return kind === 'webinar' || (source !== 'absentees' && source !== 'panelists');
}
