import { AppError } from '../../../shared/errors';
import type { LiveStatus, SyncResult } from '../../../shared/mirror';
import { DEFAULT_WS_URL, type Settings } from '../../../shared/settings';
import type { Db } from '../store/database';
import type { SuppressionList } from '../store/suppression';
import type { ZoomClient } from '../zoom/client';
import { EventApplier } from './apply';
import { LiveWatcher, type WatcherDeps } from './watcher';

// The core's hold on the event subscription set in settings: one watcher at a time (`watch`, the
// desk), its status for the window, and a way to let go.

export type WatchOptions = Pick<WatcherDeps, 'onChange' | 'onNote' | 'socket'>;

export interface SubscriptionDeps {
  db: Db;
  now: () => Date;
  settings: () => Settings;
  client: () => Promise<ZoomClient>;
  suppression: () => Promise<SuppressionList>;
  /** An incremental sync through the core (one sync at a time). */
  reconcile: () => Promise<SyncResult>;
}

export function eventSubscription(deps: SubscriptionDeps) {
  let watcher: LiveWatcher | null = null;

  /** Holds the subscription until `stop()`; `done` settles when it has stopped, rejecting when Zoom refuses the credentials. */
  function watch(options: WatchOptions = {}): { stop(): void; done: Promise<void> } {
    if (watcher) throw new AppError('INVALID_STATE', 'This core already holds the event subscription.');
    const settings = deps.settings();
    if (!settings.event_subscription_id) {
      throw new AppError(
        'INVALID_STATE',
        'No event subscription is set for this data folder. Add a WebSocket event subscription to the Zoom app, then connect again with --event-subscription-id ID (and --ws-url URL if its endpoint is not wss://ws.zoom.us/ws).',
      );
    }
    const { db, now, client } = deps;
    const current = new LiveWatcher({
      db,
      now,
      client,
      subscription: { id: settings.event_subscription_id, wsUrl: settings.ws_url ?? DEFAULT_WS_URL },
      applier: new EventApplier({ db, client, suppression: deps.suppression, now }),
      reconcile: deps.reconcile,
      ...options,
    });
    watcher = current;
    const done = current.run().finally(() => {
      if (watcher === current) watcher = null;
    });
    const stop = () => {
      current.stop();
      if (watcher === current) watcher = null; // a new subscription may start at once; this one winds down
    };
    return { stop, done };
  }

  return {
    watch,
    status: (): LiveStatus => (watcher ? { ...watcher.status } : { state: 'off', since: deps.now().toISOString(), events: 0, changes: 0, reconciled_at: null, last_event_at: null, error: null }),
    stop: () => watcher?.stop(),
  };
}
