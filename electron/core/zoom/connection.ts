import type { ZoomPlan } from '../../../shared/settings';
import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
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
export async function connectZoom(secrets: Secrets, plan: ZoomPlan, input: ZoomCredentials, name: string = DEFAULT_ACCOUNT): Promise<{ connected: true; account_id: string; api_url: string }> {
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
  await secrets.setZoomCredentials(credentials, name);
  log.info('connected to Zoom', { account: name, api_url: credentials.api_url });
  return { connected: true, account_id: credentials.account_id, api_url: credentials.api_url };
}

/**
 * Hands out the client for the stored credentials, or ZOOM_NOT_CONNECTED saying how to connect.
 * Zoom's rate limits are per account, so every sync and job of one core shares one client (and
 * its pacer) until the credentials or the plan change: a fresh pacer per run would let a new run
 * start at full speed while the last one's calls still count in Zoom's window.
 *
 * The credentials are read from the keychain once, and again only when `changeMark` (kept in the
 * data folder by whoever stores new credentials, in this process or another) says they changed:
 * a keychain lookup per call leaked native memory in the keychain library (~1.4 KiB each on
 * Linux), which a watch asking for the client at every event turned into a steady rise.
 */
export class ZoomClients {
  private readonly stored = new Map<string, { mark: string | null; credentials: ZoomCredentials | null }>();
  private readonly current = new Map<string, { key: string; client: ZoomClient }>();

  constructor(
    private readonly secrets: Secrets,
    private readonly changeMark: () => string | null,
  ) {}

  /** An account's stored credentials (null when none are), read from the keychain only when they changed. */
  async credentials(name: string = DEFAULT_ACCOUNT): Promise<ZoomCredentials | null> {
    const mark = this.changeMark();
    let stored = this.stored.get(name);
    if (stored?.mark !== mark) {
      stored = { mark, credentials: await this.secrets.getZoomCredentials(name) };
      this.stored.set(name, stored);
    }
    return stored.credentials;
  }

  /** The client of one account: each account has its own, and its own pacer (Zoom's limits are per account). */
  async get(plan: ZoomPlan, name: string = DEFAULT_ACCOUNT): Promise<ZoomClient> {
    const credentials = await this.credentials(name);
    if (!credentials) {
      const which = name === DEFAULT_ACCOUNT ? 'No Zoom account is connected to this data folder.' : `The Zoom account "${name}" has no credentials in this keychain.`;
      throw new AppError('ZOOM_NOT_CONNECTED', which, { action: 'connect' });
    }
    const key = JSON.stringify([credentials, plan]);
    const current = this.current.get(name);
    if (current?.key === key) return current.client;
    const client = new ZoomClient({ credentials, plan });
    this.current.set(name, { key, client });
    return client;
  }
}
