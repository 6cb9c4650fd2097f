import type { CoreService } from '../../../shared/contract';
import { createLogger } from '../log';
import { normaliseEmail } from '../../../shared/email';
import { findSubject, listChanges, listRegistrants, registrantTimeline } from '../store/mirror-queries';
import { listEvents, mirrorOverview } from '../store/mirror-summaries';
import { lastCompletedFullRun, lastRun } from '../sync/runs';
import type { CoreParts } from './core-parts';

const log = createLogger('core');

type MirrorOperations = Pick<
  CoreService,
  'syncZoom' | 'startSync' | 'cancelSync' | 'getSyncStatus' | 'listChanges' | 'findSubject' | 'listWebinars' | 'listMeetings' | 'getMirrorOverview' | 'listRegistrants' | 'getRegistrantTimeline'
>;

/** The mirror of what Zoom holds: syncing it (run by the scheduler) and reading it. */
export function mirrorHandlers({ store, scheduler, suppression, live }: Pick<CoreParts, 'store' | 'scheduler' | 'suppression' | 'live'>): MirrorOperations {
  const { db } = store;
  return {
    async syncZoom(input) {
      return scheduler.sync(input);
    },
    async startSync(input) {
      // The live watcher's reconciliation may be running: the window follows that sync instead of failing.
      if (scheduler.syncState().running && !input.full && !input.webinar_id) return { started: true as const };
      scheduler.sync(input).catch((error: unknown) => log.warn('background sync ended with an error', { error }));
      return { started: true as const };
    },
    async cancelSync() {
      return { cancelled: scheduler.cancelSync() };
    },
    async getSyncStatus() {
      const last = lastRun(db);
      const current = scheduler.syncState();
      return {
        running: current.running,
        progress: current.progress,
        last_run: last
          ? {
              id: last.id,
              mode: last.mode,
              status: last.status,
              started_at: last.started_at,
              finished_at: last.finished_at,
              error_code: last.error_code,
              warnings: last.warnings ? JSON.parse(last.warnings) : [],
              kept_by_events: last.kept_by_events ?? 0,
            }
          : null,
        last_full_sync_at: lastCompletedFullRun(db)?.finished_at ?? null,
        last_error: current.last_error,
      };
    },
    async listChanges(input) {
      return listChanges(db, input);
    },
    async findSubject(input) {
      const list = await suppression();
      const emails = [...new Set([...(input.email ? [input.email] : []), ...(input.emails ?? [])].map(normaliseEmail))];
      const addresses = emails.map((email) => ({ email, matches: findSubject(db, email), erased_by: list.erasedBy(email) }));
      const erased = addresses.find((a) => a.erased_by !== null);
      return {
        matches: addresses.flatMap((a) => a.matches),
        suppressed: erased !== undefined,
        erased_by: erased?.erased_by ?? null,
        addresses: addresses.map((a) => ({ email: a.email, matches: a.matches.length, suppressed: a.erased_by !== null, erased_by: a.erased_by })),
      };
    },
    async listMeetings(input) {
      return { meetings: listEvents(db, 'meeting', input) };
    },
    async listWebinars(input) {
      return { webinars: listEvents(db, 'webinar', input) };
    },
    async getMirrorOverview(input) {
      return mirrorOverview(db, input, live.stateOf);
    },
    async listRegistrants(input) {
      return listRegistrants(db, input);
    },
    async getRegistrantTimeline(input) {
      return registrantTimeline(db, input);
    },
  };
}
