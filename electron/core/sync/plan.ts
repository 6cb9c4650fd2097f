import type { Db } from '../store/database';
import { lastCompletedFullRun, type SyncMode } from './runs';

// What a sync reads: the mode it runs in, and which webinars an incremental run reads although
// nothing in Zoom's webinar list says they changed.

/** An incremental sync becomes a full pass when the last full one is older than this. */
export const FULL_PASS_EVERY_MS = 7 * 86_400_000;
/** How long after a session starts its reports may still change (Zoom prepares them once it has ended). */
export const REPORTS_SETTLE_MS = 86_400_000;

export function chooseMode(db: Db, options: { webinarId?: string; full?: boolean }, now: Date): SyncMode {
  if (options.webinarId) return 'webinar';
  if (options.full) return 'full';
  const lastFull = lastCompletedFullRun(db);
  if (!lastFull?.finished_at || now.getTime() - Date.parse(lastFull.finished_at) > FULL_PASS_EVERY_MS) return 'full';
  return 'incremental';
}

/**
 * Webinars with a session that started since their last sync, or within REPORTS_SETTLE_MS before it
 * (its reports may not have been final then): their reports are read though the webinar list shows nothing new.
 */
export function heldSinceLastSync(db: Db, now: Date): Set<string> {
  const startedInWindow = (column: string) => `julianday(${column}) <= julianday(@now) AND julianday(${column}) > julianday(w.last_synced_at) - @settleDays`;
  const ids = db
    .prepare(
      `SELECT w.id FROM events w WHERE w.last_synced_at IS NOT NULL AND (
         (${startedInWindow('w.start_time')}) OR EXISTS (SELECT 1 FROM occurrences o WHERE o.event_id = w.id AND ${startedInWindow('o.start_time')}))`,
    )
    .pluck()
    .all({ now: now.toISOString(), settleDays: REPORTS_SETTLE_MS / 86_400_000 }) as string[];
  return new Set(ids);
}

/**
 * Past and upcoming webinars alternately: a past one's report calls use the Heavy limit, so the
 * workers then rarely all wait on Heavy while the Medium limit (registrant lists) sits idle.
 */
export function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...(i < a.length ? [a[i]!] : []), ...(i < b.length ? [b[i]!] : []));
  return out;
}
