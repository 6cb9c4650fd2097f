import { CHANGE_KINDS } from '../../../shared/changes';
import { AppError } from '../../../shared/errors';
import type { AccountSyncResult, ChangeCounts, SyncResult } from '../../../shared/mirror';
import { connectedAccount, connectedAccountNames, markSynced } from '../store/accounts';
import type { Db } from '../store/database';
import type { SuppressionList } from '../store/suppression';
import type { ZoomClient } from '../zoom/client';
import { runSync, type SyncOptions } from './engine';
import type { AsyncWriter } from './writer-thread';

// A sync of several Zoom accounts: each account is read by its own run with its own client (Zoom's
// rate limits are per account, so the runs don't wait on each other), side by side; their pages go
// to one writer. One account failing doesn't stop the others: what they read is kept, and the
// failure is answered naming the account.

export interface AccountsSyncDeps {
  db: Db;
  suppression: SuppressionList;
  now: () => Date;
  writer: AsyncWriter;
  /** The client of one account (its credentials from the keychain). */
  client: (account: string) => Promise<ZoomClient>;
  /** Each account's finished run (the scheduler records its warnings and audits it). */
  onAccountDone?: (result: AccountSyncResult) => void;
}

/** Which accounts a sync reads: the one named, the one hosting the webinar named, or every connected one. */
export function accountsToSync(db: Db, input: { account?: string; webinar_id?: string }): string[] {
  if (input.account !== undefined) return [connectedAccount(db, input.account).name];
  if (input.webinar_id !== undefined) {
    const host = db.prepare('SELECT account FROM events WHERE id = ?').pluck().get(input.webinar_id) as string | undefined;
    if (host !== undefined) return [connectedAccount(db, host).name];
    const names = connectedAccountNames(db);
    if (names.length > 1)
      throw new AppError(
        'USAGE',
        `Webinar ${input.webinar_id} is not in the mirror yet, and ${names.length} Zoom accounts are connected: name the one that hosts it with --account (${names.join(', ')}).`,
      );
    return names;
  }
  return connectedAccountNames(db);
}

export async function syncAccounts(deps: AccountsSyncDeps, accounts: string[], options: SyncOptions): Promise<SyncResult> {
  if (accounts.length === 0) throw new AppError('ZOOM_NOT_CONNECTED', 'No Zoom account is connected to this data folder.', { action: 'connect' });
  const outcomes = await Promise.allSettled(
    accounts.map(async (account) => {
      const client = await deps.client(account);
      const result = await runSync({ db: deps.db, account, client, suppression: deps.suppression, now: deps.now, writer: deps.writer }, options);
      markSynced(deps.db, account, deps.now().toISOString());
      deps.onAccountDone?.(result);
      return result;
    }),
  );
  const failed = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ account: accounts[i]!, error: outcome.reason as unknown }] : []));
  if (failed.length > 0) throw accountFailure(failed, accounts.length);
  return combine(outcomes.map((outcome) => (outcome as PromiseFulfilledResult<AccountSyncResult>).value));
}

/** The first failure, its message naming the account (and what the other accounts did). */
function accountFailure(failed: { account: string; error: unknown }[], total: number): unknown {
  const [{ account, error }] = failed as [{ account: string; error: unknown }];
  if (total === 1 || !(error instanceof AppError)) return error;
  const others = total - failed.length;
  const rest = others > 0 ? ` The other ${others === 1 ? 'account was' : `${others} accounts were`} synced.` : '';
  const more =
    failed.length > 1
      ? ` Also failed: ${failed
          .slice(1)
          .map((f) => `"${f.account}"`)
          .join(', ')}.`
      : '';
  return new AppError(error.code, `Zoom account "${account}": ${error.message}${more}${rest}`, error.hint);
}

function combine(results: AccountSyncResult[]): SyncResult {
  const [first] = results as [AccountSyncResult];
  const sum = (pick: (r: AccountSyncResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const changes = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, sum((r) => r.changes[kind])])) as ChangeCounts;
  return {
    run_id: first.run_id,
    mode: first.mode,
    resumed: results.some((r) => r.resumed),
    started_at: first.started_at,
    webinars: sum((r) => r.webinars),
    meetings: sum((r) => r.meetings),
    registrants: sum((r) => r.registrants),
    participants: sum((r) => r.participants),
    changes,
    returned_after_erasure: sum((r) => r.returned_after_erasure),
    kept_by_events: sum((r) => r.kept_by_events),
    warnings: results.flatMap((r) => r.warnings),
    accounts: results,
  };
}
