import { randomUUID } from 'node:crypto';
import type { CoreService } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { DEFAULT_WS_URL } from '../../../shared/settings';
import { updateSettings } from '../settings';
import { readMeta, writeMeta, type Db } from '../store/database';
import { checkBaseUrl } from '../zoom/base-url';
import { connectZoom } from '../zoom/connection';
import type { CoreParts } from './core-parts';

/** app_meta's mark of the last credentials stored (a random value; the credentials stay in the keychain). */
const CREDENTIALS_CHANGED = 'zoom_credentials_changed';

/** The mark of the credentials last stored: whoever stores new ones changes it, so every core on this folder reads them again. */
export function credentialsMark(db: Db): string | null {
  return readMeta(db, CREDENTIALS_CHANGED);
}

type ZoomOperations = Pick<CoreService, 'connectZoom' | 'getZoomConnection' | 'getLiveStatus'>;

/** The Zoom account this register mirrors: its credentials (in the keychain), and the event subscription's state. */
export function zoomHandlers({ store, secrets, now, settings, zoomClients, live }: Pick<CoreParts, 'store' | 'secrets' | 'now' | 'settings' | 'zoomClients' | 'live'>): ZoomOperations {
  const { db } = store;
  return {
    async connectZoom(input) {
      const { event_subscription_id: subscriptionId, ws_url: wsUrl, ...credentials } = input;
      if (wsUrl !== undefined && subscriptionId === undefined) throw new AppError('USAGE', '--ws-url goes with --event-subscription-id: name the subscription whose socket it is.');
      const subscription = subscriptionId !== undefined ? { event_subscription_id: subscriptionId, ws_url: checkBaseUrl('--ws-url', wsUrl ?? DEFAULT_WS_URL, ['wss:', 'ws:']) } : undefined;
      const connected = await connectZoom(secrets, settings().zoom_plan, credentials);
      writeMeta(db, CREDENTIALS_CHANGED, randomUUID());
      const current = subscription ? updateSettings(db, subscription, now()) : settings();
      return { ...connected, event_subscription_id: current.event_subscription_id, ws_url: current.event_subscription_id ? (current.ws_url ?? DEFAULT_WS_URL) : null };
    },
    async getZoomConnection() {
      const credentials = await zoomClients.credentials();
      return { connected: credentials !== null, account_id: credentials?.account_id ?? null, api_url: credentials?.api_url ?? null };
    },
    async getLiveStatus() {
      return live.status();
    },
  };
}
