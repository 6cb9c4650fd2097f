import { useEffect, useState } from 'react';
import { call } from './call';
import { useFormat } from './format';
import type { OperationOutput } from '../../shared/contract';

type Webinar = OperationOutput<'listWebinars'>['webinars'][number];

/** Where a webinar belongs in the window: deleted on Zoom, or upcoming / past by its start (no start: past). */
export function webinarGroupOf(w: Webinar, now: number): 'upcoming' | 'past' | 'deleted' {
  if (w.deleted) return 'deleted';
  return w.start_time && Date.parse(w.start_time) >= now ? 'upcoming' : 'past';
}

/**
 * Webinars and meetings by title and date, for screens that name them from a request's steps (its plan, its
 * result): read once from the mirror, and the ID shown until they arrive or where the mirror has no title.
 */
export function useWebinarNames(): (id: string) => string {
  const f = useFormat();
  const [names, setNames] = useState<Map<string, Webinar>>(new Map());
  useEffect(() => {
    let live = true;
    Promise.all([call('listWebinars', {}), call('listMeetings', {})])
      .then(([webinars, meetings]) => live && setNames(new Map([...webinars.webinars, ...meetings.meetings].map((w) => [w.id, w]))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return (id) => {
    const w = names.get(id);
    if (!w?.topic) return id;
    return w.start_time ? `${w.topic} (${f.date(w.start_time)})` : w.topic;
  };
}
