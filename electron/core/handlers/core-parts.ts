import { AppError } from '../../../shared/errors';
import type { Acting } from '../../../shared/requests';
import type { Settings } from '../../../shared/settings';
import type { AuditLog } from '../audit';
import type { Documents, Progress } from '../documents';
import type { JobRunner } from '../jobs/runner';
import type { eventSubscription } from '../live/subscription';
import type { RequestRegister } from '../requests/register';
import type { Suggestions } from '../requests/suggestions';
import type { Scheduler } from '../scheduler';
import type { Secrets } from '../secrets';
import type { Store } from '../store/database';
import type { SuppressionList } from '../store/suppression';
import type { ZoomClients } from '../zoom/connection';

/** What the core's wiring builds over one open store, and the contract's handlers work with. */
export interface CoreParts {
  store: Store;
  secrets: Secrets;
  audit: AuditLog;
  now: () => Date;
  dataDir: string;
  /** This core holds the sandbox's seeded data, not the live account's. */
  sandbox: boolean;
  settings: () => Settings;
  zoomClients: ZoomClients;
  suppression: () => Promise<SuppressionList>;
  requests: RequestRegister;
  suggestions: Suggestions;
  documents: Documents;
  jobs: JobRunner;
  live: ReturnType<typeof eventSubscription>;
  scheduler: Scheduler;
  onDocumentProgress?: Progress;
  /** Who acts: the name the door gave, else the settings' operator. */
  operator: (by: string | undefined) => string;
}

/** Who acts: the name the door gave, else the settings' operator; no act goes unnamed (Art 5(2)). */
export function namedOperator(settings: () => Settings): (by: string | undefined) => string {
  return (by) => {
    const name = by ?? settings().operator;
    if (!name) {
      throw new AppError('OPERATOR_MISSING', 'No one is named as acting, and no default reviewer is set. Nothing was changed.', { action: 'set-operator' });
    }
    return name;
  };
}

/** The input as the register takes it: with the operator named. */
export function acting<T extends { by?: string }>(parts: Pick<CoreParts, 'operator'>, input: T): Acting<T> {
  return { ...input, by: parts.operator(input.by) };
}
