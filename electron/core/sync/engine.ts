import type { AccountSyncResult } from '../../../shared/mirror';
import { RunningSync, type SyncDeps, type SyncOptions } from './run';

export { SyncCancelled, type SyncDeps, type SyncOptions } from './run';

/**
 * Mirrors what Zoom holds: webinars, registrants in every status (per occurrence where people
 * register per occurrence), and the report records with personal data. Pages go to the store as
 * they arrive. Resumes an unfinished run of the same scope instead of starting over. The run's
 * steps are in run.ts, what it reads is decided in plan.ts.
 */
export function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<AccountSyncResult> {
  return new RunningSync(deps, options).execute();
}
