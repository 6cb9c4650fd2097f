import { DEFAULT_ACCOUNT, type AccountList, type ZoomAccount } from '../../../shared/accounts';
import { AppError } from '../../../shared/errors';
import type { Db } from './database';

// The Zoom accounts this register mirrors (zoom_accounts): their names, Zoom's account IDs and
// when each was connected, last synced or disconnected. The credentials are in the keychain.

type AccountRow = ZoomAccount & { disconnected_at: string | null };

export function accountRows(db: Db): AccountRow[] {
  return db.prepare('SELECT name, account_id, api_url, connected_at, last_sync_at, disconnected_at FROM zoom_accounts ORDER BY connected_at, name').all() as AccountRow[];
}

export function listAccounts(db: Db): AccountList {
  const rows = accountRows(db);
  const plain = ({ disconnected_at: _gone, ...account }: AccountRow): ZoomAccount => account;
  return {
    accounts: rows.filter((row) => row.disconnected_at === null).map(plain),
    disconnected: rows.filter((row) => row.disconnected_at !== null).map((row) => ({ ...plain(row), disconnected_at: row.disconnected_at! })),
  };
}

/** The names of the accounts connected now, in the order they were connected. */
export function connectedAccountNames(db: Db): string[] {
  return listAccounts(db).accounts.map((account) => account.name);
}

/** A connected account by name, or ACCOUNT_UNKNOWN naming the ones there are. */
export function connectedAccount(db: Db, name: string): ZoomAccount {
  const rows = accountRows(db);
  const row = rows.find((r) => r.name === name);
  if (row && row.disconnected_at === null) return row;
  const known = theAccounts(
    'The connected accounts are',
    rows.filter((r) => r.disconnected_at === null),
  );
  throw new AppError(
    'ACCOUNT_UNKNOWN',
    row ? `The Zoom account "${name}" was disconnected on ${row.disconnected_at}. ${known} Connect it again with \`connect --name ${name}\`.` : `No Zoom account is named "${name}". ${known}`,
  );
}

/** An ACCOUNT_UNKNOWN message's list of the names there are. */
function theAccounts(lead: string, rows: AccountRow[]): string {
  return rows.length > 0 ? `${lead}: ${rows.map((r) => r.name).join(', ')}.` : 'No Zoom account is connected.';
}

/** Records a (re)connected account; its earlier sync time stays, its event subscription is what this connect gave. */
export function saveAccount(db: Db, account: { name: string; account_id: string; api_url: string; subscription?: { event_subscription_id: string; ws_url: string } }, at: string): void {
  db.prepare(
    `INSERT INTO zoom_accounts (name, account_id, api_url, connected_at, event_subscription_id, ws_url) VALUES (@name, @account_id, @api_url, @at, @subscription, @ws_url)
     ON CONFLICT (name) DO UPDATE SET account_id = excluded.account_id, api_url = excluded.api_url, connected_at = excluded.connected_at, disconnected_at = NULL,
       event_subscription_id = coalesce(excluded.event_subscription_id, event_subscription_id), ws_url = coalesce(excluded.ws_url, ws_url)`,
  ).run({ ...account, at, subscription: account.subscription?.event_subscription_id ?? null, ws_url: account.subscription?.ws_url ?? null });
}

/** The event subscriptions of the connected accounts other than the default one (whose subscription is in settings). */
export function accountSubscriptions(db: Db): { account: string; id: string; wsUrl: string }[] {
  return (
    db
      .prepare('SELECT name, event_subscription_id, ws_url FROM zoom_accounts WHERE disconnected_at IS NULL AND event_subscription_id IS NOT NULL AND name <> ? ORDER BY connected_at, name')
      .all(DEFAULT_ACCOUNT) as { name: string; event_subscription_id: string; ws_url: string }[]
  ).map((row) => ({ account: row.name, id: row.event_subscription_id, wsUrl: row.ws_url }));
}

export function markDisconnected(db: Db, name: string, at: string): void {
  db.prepare('UPDATE zoom_accounts SET disconnected_at = ? WHERE name = ?').run(at, name);
}

export function markSynced(db: Db, name: string, at: string): void {
  db.prepare('UPDATE zoom_accounts SET last_sync_at = ? WHERE name = ?').run(at, name);
}

/** Registrations and report records the mirror holds from an account's events. */
export function recordsOfAccount(db: Db, name: string): number {
  return db.prepare('SELECT count(*) FROM registrants WHERE event_id IN (SELECT id FROM events WHERE account = ?)').pluck().get(name) as number;
}

/** Whether no account was ever recorded (a new register, or one from the days of one account). */
export function noAccountRecorded(db: Db): boolean {
  return db.prepare('SELECT 1 FROM zoom_accounts').get() === undefined;
}

/**
 * A register from the days of one account has its credentials under the default name and no row:
 * the row is made from them when the register opens.
 */
export function adoptLegacyAccount(db: Db, credentials: { account_id: string; api_url: string } | null, at: string): void {
  if (!credentials || !noAccountRecorded(db)) return;
  const lastSync = db.prepare(`SELECT max(finished_at) FROM sync_runs WHERE status = 'completed'`).pluck().get() as string | null;
  db.prepare('INSERT INTO zoom_accounts (name, account_id, api_url, connected_at, last_sync_at) VALUES (?, ?, ?, ?, ?)').run(
    DEFAULT_ACCOUNT,
    credentials.account_id,
    credentials.api_url,
    at,
    lastSync,
  );
}

/** The events an account hosts, through events_by_account: how a mirror list is narrowed to one account. */
export const EVENTS_OF_ACCOUNT = 'SELECT id FROM events WHERE account = ?';

/** The names of the accounts disconnected from this desk, whose records the mirror marks. */
export function disconnectedAccountNames(db: Db): Set<string> {
  return new Set(db.prepare('SELECT name FROM zoom_accounts WHERE disconnected_at IS NOT NULL').pluck().all() as string[]);
}

/**
 * A mirror list's account filter: any account whose records the mirror holds (a disconnected one
 * too, its records stay until retention removes them); a name it never knew is ACCOUNT_UNKNOWN
 * rather than an empty list that reads as "nothing mirrored".
 */
export function checkAccountFilter(db: Db, name: string | undefined): void {
  if (name === undefined || db.prepare('SELECT 1 FROM zoom_accounts WHERE name = ?').get(name) || db.prepare('SELECT 1 FROM events WHERE account = ? LIMIT 1').get(name)) return;
  throw new AppError('ACCOUNT_UNKNOWN', `No Zoom account is named "${name}". ${theAccounts('The accounts are', accountRows(db))}`);
}
