import { describe, expect, it } from 'vitest';
import { keytarBackend, Secrets } from '../../electron/core/secrets';
import { ZoomClients } from '../../electron/core/zoom/connection';
import { tempDataDir } from '../helpers';

describe('ZoomClients', () => {
  it('gives every run of a core the same client (one pacer per Zoom account) until the credentials or plan change', async () => {
    const secrets = new Secrets(keytarBackend(), tempDataDir());
    const clients = new ZoomClients(secrets);
    await expect(clients.get('pro')).rejects.toMatchObject({ code: 'ZOOM_NOT_CONNECTED' });
    const credentials = { account_id: 'a', client_id: 'c', client_secret: 'secret-one', api_url: 'http://127.0.0.1:1/v2', oauth_url: 'http://127.0.0.1:1' };
    await secrets.setZoomCredentials(credentials);
    const first = await clients.get('pro');
    expect(await clients.get('pro')).toBe(first);
    expect(await clients.get('business')).not.toBe(first);
    const business = await clients.get('business');
    await secrets.setZoomCredentials({ ...credentials, client_secret: 'secret-two' });
    expect(await clients.get('business')).not.toBe(business);
  });
});
