import type { ZoomPlan } from '../../../shared/settings';
import { AppError } from '../../../shared/errors';
import { createLogger } from '../log';
import type { Secrets, ZoomCredentials } from '../secrets';
import { checkBaseUrl } from './base-url';
import { ZoomClient } from './client';
import { checkScopes } from './scopes';

const log = createLogger('zoom');

/**
 * Proves a set of Server-to-Server OAuth credentials (a token, then one read call) and only then
 * stores them in the keychain. A failure changes nothing: earlier credentials stay as they were.
 */
export async function connectZoom(secrets: Secrets, plan: ZoomPlan, input: ZoomCredentials): Promise<{ connected: true; account_id: string; api_url: string }> {
  const credentials: ZoomCredentials = {
    account_id: input.account_id,
    client_id: input.client_id,
    client_secret: input.client_secret,
    api_url: checkBaseUrl('--api-url', input.api_url),
    oauth_url: checkBaseUrl('--oauth-url', input.oauth_url),
  };
  const client = new ZoomClient({ credentials, plan });
  await client.getMe();
  checkScopes(client.grantedScopes());
  await secrets.setZoomCredentials(credentials);
  log.info('connected to Zoom', { api_url: credentials.api_url });
  return { connected: true, account_id: credentials.account_id, api_url: credentials.api_url };
}

/**
 * Hands out the client for the stored credentials, or ZOOM_NOT_CONNECTED saying how to connect.
 * Zoom's rate limits are per account, so every sync and job of one core shares one client (and
 * its pacer) until the credentials or the plan change: a fresh pacer per run would let a new run
 * start at full speed while the last one's calls still count in Zoom's window.
 */
export class ZoomClients {
  private current: { key: string; client: ZoomClient } | undefined;

  constructor(private readonly secrets: Secrets) {}

  async get(plan: ZoomPlan): Promise<ZoomClient> {
    const credentials = await this.secrets.getZoomCredentials();
    if (!credentials) {
      throw new AppError('ZOOM_NOT_CONNECTED', 'No Zoom account is connected to this data folder. Run `dsr-desk connect` (or `dsr-desk connect --sandbox`) first.');
    }
    const key = JSON.stringify([credentials, plan]);
    if (this.current?.key !== key) this.current = { key, client: new ZoomClient({ credentials, plan }) };
    return this.current.client;
  }
}
