import { randomUUID } from 'node:crypto';
import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
import type { CoreService } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { DEFAULT_WS_URL } from '../../../shared/settings';
import { updateSettings } from '../settings';
import { connectedAccount, listAccounts, markDisconnected, recordsOfAccount, saveAccount } from '../store/accounts';
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

type ZoomOperations = Pick<CoreService, 'connectZoom' | 'getZoomConnection' | 'listAccounts' | 'disconnectAccount' | 'getLiveStatus'>;

/** The Zoom accounts this register mirrors: their credentials (in the keychain, one entry each), and the event subscription's state. */
export function zoomHandlers({ store, secrets, now, settings, live, audit }: Pick<CoreParts, 'store' | 'secrets' | 'now' | 'settings' | 'live' | 'audit'>): ZoomOperations {
  const { db } = store;
  return {
    async connectZoom(input) {
      const { event_subscription_id: subscriptionId, ws_url: wsUrl, name, ...credentials } = input;
      if (wsUrl !== undefined && subscriptionId === undefined) throw new AppError('USAGE', '--ws-url goes with --event-subscription-id: name the subscription whose socket it is.');
      const subscription = subscriptionId !== undefined ? { event_subscription_id: subscriptionId, ws_url: checkBaseUrl('--ws-url', wsUrl ?? DEFAULT_WS_URL, ['wss:', 'ws:']) } : undefined;
      const connected = await connectZoom(secrets, settings().zoom_plan, credentials, name);
      const at = now().toISOString();
      db.transaction(() => {
        // The default account's subscription stays in settings (where the desk and watch have always read it); another's is on its row.
        saveAccount(db, { name, account_id: connected.account_id, api_url: connected.api_url, subscription: name === DEFAULT_ACCOUNT ? undefined : subscription }, at);
        writeMeta(db, CREDENTIALS_CHANGED, randomUUID());
      })();
      audit.append({ actor: settings().operator ?? 'zoom', action: 'zoom.connected', details: { account: name, account_id: connected.account_id, api_url: connected.api_url } });
      if (name !== DEFAULT_ACCOUNT) return { ...connected, name, event_subscription_id: subscription?.event_subscription_id ?? null, ws_url: subscription?.ws_url ?? null };
      const current = subscription ? updateSettings(db, subscription, now()) : settings();
      return { ...connected, name, event_subscription_id: current.event_subscription_id, ws_url: current.event_subscription_id ? (current.ws_url ?? DEFAULT_WS_URL) : null };
    },
    async getZoomConnection() {
      const first = listAccounts(db).accounts[0];
      return { connected: first !== undefined, account_id: first?.account_id ?? null, api_url: first?.api_url ?? null };
    },
    async listAccounts() {
      return listAccounts(db);
    },
    async disconnectAccount({ name }) {
      connectedAccount(db, name);
      await secrets.removeZoomCredentials(name);
      const at = now().toISOString();
      db.transaction(() => {
        markDisconnected(db, name, at);
        writeMeta(db, CREDENTIALS_CHANGED, randomUUID());
      })();
      const kept = recordsOfAccount(db, name);
      audit.append({ actor: settings().operator ?? 'zoom', action: 'zoom.disconnected', details: { account: name, records_kept: kept } });
      return { disconnected: true, name, records_kept: kept };
    },
    async getLiveStatus() {
      return live.status();
    },
  };
}
