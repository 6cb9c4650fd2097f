import type { OperationOutput } from '../../shared/contract';

type Webinar = OperationOutput<'listWebinars'>['webinars'][number];

/** Where a webinar belongs in the window: deleted on Zoom, or upcoming / past by its start (no start: past). */
export function webinarGroupOf(w: Webinar, now: number): 'upcoming' | 'past' | 'deleted' {
  if (w.deleted) return 'deleted';
  return w.start_time && Date.parse(w.start_time) >= now ? 'upcoming' : 'past';
}
