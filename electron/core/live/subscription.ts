import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
import { AppError } from '../../../shared/errors';
import type { LiveStatus, SyncResult } from '../../../shared/mirror';
import { DEFAULT_WS_URL, type Settings } from '../../../shared/settings';
import { accountSubscriptions } from '../store/accounts';
import type { Db } from '../store/database';
import type { SuppressionList } from '../store/suppression';
import type { ZoomClient } from '../zoom/client';
import { EventApplier } from './apply';
import { LiveWatcher, type WatcherDeps } from './watcher';

// The core's hold on the event subscriptions: the default account's (set in settings) and any other
// account's (kept on its row), each on its own socket with its own client, one hold at a time
// (`watch`, the desk), their status for the window, and a way to let go. Only the default
// account's hold vouches for the mirror between syncs (live coverage): the coverage record is one.

export type WatchOptions = Pick<WatcherDeps, 'onChange' | 'onNote' | 'socket'>;

export interface SubscriptionDeps {
  db: Db;
  now: () => Date;
  settings: () => Settings;
  /** An account's client. */
  client: (account: string) => Promise<ZoomClient>;
  suppression: () => Promise<SuppressionList>;
  /** An incremental sync of one account through the core (one sync at a time). */
  reconcile: (account: string) => Promise<SyncResult>;
}

interface Held {
  account: string;
  watcher: LiveWatcher;
}

export function eventSubscription(deps: SubscriptionDeps) {
  let held: Held[] = [];

  /** The subscriptions to hold: the default account's from settings, then each other account's. */
  function subscriptions(): { account: string; id: string; wsUrl: string }[] {
    const settings = deps.settings();
    const own = settings.event_subscription_id ? [{ account: DEFAULT_ACCOUNT, id: settings.event_subscription_id, wsUrl: settings.ws_url ?? DEFAULT_WS_URL }] : [];
    return [...own, ...accountSubscriptions(deps.db)];
  }

  /** Holds every subscription until `stop()`; `done` settles when all have stopped, rejecting when Zoom refuses an account's credentials. */
  function watch(options: WatchOptions = {}): { stop(): void; done: Promise<void> } {
    if (held.length > 0) throw new AppError('INVALID_STATE', 'This core already holds the event subscription.');
    const wanted = subscriptions();
    if (wanted.length === 0) {
      throw new AppError(
        'INVALID_STATE',
        'No event subscription is set for this data folder. Add a WebSocket event subscription to the Zoom app, then connect again with --event-subscription-id ID (and --ws-url URL if its endpoint is not wss://ws.zoom.us/ws).',
      );
    }
    const { db, now } = deps;
    const current: Held[] = wanted.map(({ account, id, wsUrl }) => {
      const client = () => deps.client(account);
      const watcher = new LiveWatcher({
        db,
        now,
        client,
        subscription: { id, wsUrl },
        applier: new EventApplier({ db, client, suppression: deps.suppression, now }),
        reconcile: () => deps.reconcile(account),
        keepsCoverage: account === DEFAULT_ACCOUNT,
        ...options,
      });
      return { account, watcher };
    });
    held = current;
    // Settles once every socket has stopped: one account's refusal leaves the others listening (and held),
    // and is answered when all have ended.
    const done = Promise.allSettled(current.map(({ watcher }) => watcher.run())).then((outcomes) => {
      if (held === current) held = [];
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      if (refused) throw refused.reason;
    });
    const stop = () => {
      for (const { watcher } of current) watcher.stop();
      if (held === current) held = []; // a new hold may start at once; this one winds down
    };
    return { stop, done };
  }

  const off = (): LiveStatus => ({ state: 'off', since: deps.now().toISOString(), events: 0, changes: 0, reconciled_at: null, last_event_at: null, error: null });
  return {
    watch,
    /** The default account's hold (or the first held), and each held account's own. */
    status: (): LiveStatus => {
      const first = held.find((h) => h.account === DEFAULT_ACCOUNT) ?? held[0];
      return { ...(first ? { ...first.watcher.status } : off()), accounts: held.map(({ account, watcher }) => ({ account, ...watcher.status })) };
    },
    /**
     * One account's live state: its hold's, or off while nothing holds it; null for an account with
     * no subscription, which is read by sync alone (the default account is off rather than null, as ever).
     */
    stateOf: (account: string): LiveStatus['state'] | null => {
      const holding = held.find((h) => h.account === account);
      if (holding) return holding.watcher.status.state;
      return account === DEFAULT_ACCOUNT || subscriptions().some((s) => s.account === account) ? 'off' : null;
    },
    stop: () => held.forEach(({ watcher }) => watcher.stop()),
  };
}
