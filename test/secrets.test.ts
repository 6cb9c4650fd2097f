import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keytarBackend, Secrets, type ZoomCredentials } from '../electron/core/secrets';
import { openCore } from '../electron/core/service';
import { runCli, tempDataDir } from './helpers';

const CREDENTIALS: ZoomCredentials = {
  account_id: 'acct-test',
  client_id: 'client-test',
  client_secret: 'canary-secret-Zq81vKd0pL',
  api_url: 'http://127.0.0.1:9/v2',
  oauth_url: 'http://127.0.0.1:9',
};

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('secrets in the OS keychain', () => {
  it('stores Zoom credentials and the database key per data directory, in the keychain only', async () => {
    const dirA = tempDataDir();
    const dirB = tempDataDir();
    const core = await openCore({ dataDir: dirA });
    await core.secrets.setZoomCredentials(CREDENTIALS);
    expect(await new Secrets(keytarBackend(), dirA).getZoomCredentials()).toEqual(CREDENTIALS);
    expect(await new Secrets(keytarBackend(), dirB).getZoomCredentials()).toBeNull();
    expect(await new Secrets(keytarBackend(), dirB).getDatabaseKey()).toBeNull();
    const key = (await core.secrets.getDatabaseKey())!;
    await core.close();

    // Neither the client secret nor the database key is in any file of the data directory.
    for (const file of filesUnder(dirA)) {
      const bytes = fs.readFileSync(file);
      expect(bytes.includes(CREDENTIALS.client_secret), file).toBe(false);
      expect(bytes.includes(key), file).toBe(false);
      expect(bytes.includes(Buffer.from(key, 'hex')), file).toBe(false);
    }
  });

  it('fails with KEYCHAIN_UNAVAILABLE and a how-to when no keychain is reachable, and creates nothing', () => {
    const dir = path.join(tempDataDir(), 'never-created');
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' };
    const run = runCli(['--json', '--data-dir', dir, 'status'], { env });
    expect(run.code).toBe(1);
    const error = (run.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.message).toMatch(/gnome-keyring-daemon --unlock/);
    expect(error.message).toMatch(/never falls back to plaintext/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(dir)).toBe(false);
  });
});
