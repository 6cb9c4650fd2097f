import { describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service';
import { keytarBackend, Secrets, type KeychainBackend } from '../../electron/core/secrets';
import { openStore, readMeta, writeMeta } from '../../electron/core/store/database';
import { ZoomClients } from '../../electron/core/zoom/connection';
import { tempDataDir } from '../helpers';
import { sandbox } from './sandbox-helpers';

/** The real keychain, counting the lookups made through it. */
function countingKeychain(): KeychainBackend & { lookups: number } {
  const real = keytarBackend();
  const counting = {
    lookups: 0,
    get: (service: string, account: string) => {
      counting.lookups++;
      return real.get(service, account);
    },
    set: real.set,
    remove: real.remove,
  };
  return counting;
}

const credentials = { account_id: 'a', client_id: 'c', client_secret: 'secret-one', api_url: 'http://127.0.0.1:1/v2', oauth_url: 'http://127.0.0.1:1' };

describe('ZoomClients', () => {
  it('gives every run of a core the same client (one pacer per Zoom account) until the credentials or plan change', async () => {
    const dataDir = tempDataDir();
    const secrets = new Secrets(keytarBackend(), dataDir);
    const { db, close } = await openStore(dataDir, secrets);
    const clients = new ZoomClients(secrets, () => readMeta(db, 'changed'));
    await expect(clients.get('pro')).rejects.toMatchObject({ code: 'ZOOM_NOT_CONNECTED' });
    await secrets.setZoomCredentials(credentials);
    writeMeta(db, 'changed', '1');
    const first = await clients.get('pro');
    expect(await clients.get('pro')).toBe(first);
    expect(await clients.get('business')).not.toBe(first);
    const business = await clients.get('business');
    await secrets.setZoomCredentials({ ...credentials, client_secret: 'secret-two' });
    writeMeta(db, 'changed', '2');
    expect(await clients.get('business')).not.toBe(business);
    close();
  });

  it('reads the credentials from the keychain once, and again only when the data folder marks them changed', async () => {
    // Each keychain lookup leaks native memory in the keychain library: a watch that asked at every
    // event grew by ~1.5 MiB a minute.
    const dataDir = tempDataDir();
    const keychain = countingKeychain();
    const secrets = new Secrets(keychain, dataDir);
    const { db, close } = await openStore(dataDir, secrets);
    await secrets.setZoomCredentials(credentials);
    const clients = new ZoomClients(secrets, () => readMeta(db, 'changed'));
    keychain.lookups = 0;
    const first = await clients.get('pro');
    for (let i = 0; i < 50; i++) expect(await clients.get('pro')).toBe(first);
    expect((await clients.credentials())?.client_secret).toBe('secret-one');
    expect(keychain.lookups).toBe(1);

    await secrets.setZoomCredentials({ ...credentials, client_secret: 'secret-two' });
    expect((await clients.credentials())?.client_secret).toBe('secret-one'); // not marked: not read again
    writeMeta(db, 'changed', 'another process connected');
    expect((await clients.credentials())?.client_secret).toBe('secret-two');
    expect(await clients.get('pro')).not.toBe(first);
    expect(keychain.lookups).toBe(2);
    close();
  });

  it("sees a connect made by another core on the same data folder (another process's `dsr-desk connect`)", async () => {
    const [one, two] = [await sandbox({ seed: 'empty' }), await sandbox({ seed: 'empty' })];
    const dataDir = tempDataDir();
    const keychain = countingKeychain();
    const desk = await openCore({ dataDir, keychain });
    const connect = (core: typeof desk, box: typeof one) => core.dispatch('connectZoom', { ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl });
    expect((await connect(desk, one)).ok).toBe(true);
    const lookupsAfterConnect = keychain.lookups;
    for (let i = 0; i < 20; i++) {
      const connection = await desk.dispatch('getZoomConnection', {});
      expect(connection).toMatchObject({ ok: true, value: { connected: true, api_url: one.apiUrl } });
    }
    expect(keychain.lookups - lookupsAfterConnect).toBeLessThanOrEqual(1);

    const terminal = await openCore({ dataDir });
    expect((await connect(terminal, two)).ok).toBe(true);
    await terminal.close();
    expect(await desk.dispatch('getZoomConnection', {})).toMatchObject({ ok: true, value: { connected: true, api_url: two.apiUrl } });
    await desk.close();
  });
});
