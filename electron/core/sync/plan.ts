import type { SyncMode } from '../../../shared/mirror';

// What a sync reads, decided from facts alone (no store, no network, no clock of its own): the
// mode it runs in, which events it syncs in which order, and what a resumed run has left to do.
// The facts are gathered by the run's steps (run.ts, discovery.ts); test/sync/plan.test.ts pins the rules.

/** An incremental sync becomes a full pass when the last full one is older than this. */
export const FULL_PASS_EVERY_MS = 7 * 86_400_000;
/** How long after a session starts its reports may still change (Zoom prepares them once it has ended). */
export const REPORTS_SETTLE_MS = 86_400_000;
/**
 * An incremental run reads a remembered event that Zoom no longer lists only if it starts after
 * now minus this: one still to come can only be missing because it was deleted.
 */
const REMEMBERED_UPCOMING_AFTER_MS = 86_400_000;

export interface SyncRequest {
  webinarId?: string;
  full?: boolean;
}

/**
 * One webinar the sync asked for; a full pass when asked, or when the last completed full pass
 * finished more than FULL_PASS_EVERY_MS ago (or never); an incremental run otherwise.
 */
export function chooseMode(request: SyncRequest, lastFullFinishedAt: string | null, now: Date): SyncMode {
  if (request.webinarId) return 'webinar';
  if (request.full) return 'full';
  if (!lastFullFinishedAt || now.getTime() - Date.parse(lastFullFinishedAt) > FULL_PASS_EVERY_MS) return 'full';
  return 'incremental';
}

/** An event in Zoom's list of the account's events, as discovery stored it. */
export interface ListedEvent {
  id: string;
  /** Its summary differs from what the mirror held. */
  changed: boolean;
  /** It started before now (its reports use the Heavy limit). */
  past: boolean;
}

/** An event the mirror holds (not deleted): one Zoom no longer lists is read directly, which is how a deletion is noticed. */
export interface RememberedEvent {
  id: string;
  start_time: string | null;
}

/** What discovery found: Zoom's list, the mirror's memory, and what the store says about each event. */
export interface DiscoveredEvents {
  /** In Zoom's list order. */
  listed: ListedEvent[];
  /** In ID order. */
  remembered: RememberedEvent[];
  /** Events whose lists live events kept current since they were last read (store/live-coverage.ts). */
  keptCurrentByEvents: ReadonlySet<string>;
  /** Events with a session that started since their last sync, whose reports are read again. */
  heldSinceLastSync: ReadonlySet<string>;
}

export interface EventPlan {
  /** The events to sync, in the order they are synced. */
  eventIds: string[];
  /** Upcoming events left out because live events kept them current. */
  keptByEvents: number;
}

/**
 * Which events a whole-account run syncs, in what order. A full pass reads every listed event (a
 * gap in what was heard that nobody noticed is closed within a week at most) and every remembered
 * one Zoom stopped listing. An incremental run reads those whose summary changed, those held since
 * their last sync, and upcoming ones unless live events kept them current; of the remembered ones
 * not listed, only those still to come (Zoom lists only unexpired events, so a past one drops out
 * of the list by itself). Past and upcoming events alternate, remembered ones come last.
 */
export function planEvents(mode: 'full' | 'incremental', found: DiscoveredEvents, now: Date): EventPlan {
  const full = mode === 'full';
  const held = full ? new Set<string>() : found.heldSinceLastSync;
  const keptCurrent = full ? new Set<string>() : found.keptCurrentByEvents;
  const wanted = found.listed.filter((e) => full || e.changed || held.has(e.id) || (!e.past && !keptCurrent.has(e.id)));
  const keptByEvents = found.listed.filter((e) => !e.past && !e.changed && !held.has(e.id) && keptCurrent.has(e.id)).length;
  const listedIds = new Set(found.listed.map((e) => e.id));
  const upcomingAfter = now.getTime() - REMEMBERED_UPCOMING_AFTER_MS;
  const remembered = found.remembered
    .filter((e) => !listedIds.has(e.id))
    .filter((e) => full || e.start_time === null || Date.parse(e.start_time) > upcomingAfter)
    .map((e) => e.id);
  const eventIds = [
    ...interleave(
      wanted.filter((e) => e.past),
      wanted.filter((e) => !e.past),
    ).map((e) => e.id),
    ...remembered,
  ];
  return { eventIds, keptByEvents };
}

/** One event of a saved plan: its place in it and whether a run already synced it. */
export interface PlannedEvent {
  event_id: string;
  position: number;
  done: boolean;
}

/** Where a run stands in its plan: a resumed run skips what it already synced and goes on in the plan's order. */
export function remainingOfPlan(planned: readonly PlannedEvent[]): { eventIds: string[]; done: number; total: number } {
  const eventIds = [...planned]
    .sort((a, b) => a.position - b.position)
    .filter((e) => !e.done)
    .map((e) => e.event_id);
  return { eventIds, done: planned.length - eventIds.length, total: planned.length };
}

/**
 * Past and upcoming events alternately: a past one's report calls use the Heavy limit, so the
 * workers then rarely all wait on Heavy while the Medium limit (registrant lists) sits idle.
 */
export function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...(i < a.length ? [a[i]!] : []), ...(i < b.length ? [b[i]!] : []));
  return out;
}
