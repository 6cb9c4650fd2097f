import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { openCore } from '../core/service';
import { KEYCHAIN_SERVICE } from '../core/secrets';
import { startZoomSandbox } from '../core/sandbox/server';
import { connectedClient } from '../core/zoom/connection';
import { EXIT_OK, type Output } from './output';

/**
 * The main job end to end, on a data directory of its own so demo data never mixes with a real
 * register, against the built-in Zoom sandbox. Grows with the product: today it creates the
 * encrypted store, connects to the sandbox and reads what Zoom holds.
 */
export async function runDemo(out: Output, dataDirOption: string | undefined): Promise<number> {
  const dataDir = dataDirOption ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-desk-demo-'));
  const privateKeychain = process.env.DSR_DESK_PRIVATE_KEYCHAIN === '1';
  const steps: string[] = [];
  const step = (line: string) => {
    steps.push(line);
    out.note(`  ✓ ${line}`);
  };

  out.note('DSR Desk demo');
  out.note(`  data directory: ${dataDir}`);
  out.note(
    privateKeychain
      ? '  keychain: none was reachable, so a private GNOME Keyring was started for this run (it ends with the run)'
      : '  keychain: the OS keychain',
  );

  const sandbox = await startZoomSandbox({ seed: 'demo', plan: 'pro' });
  try {
    const core = await openCore({ dataDir });
    try {
      const status = await core.service.getStoreStatus({});
      step(
        core.store.created
          ? `generated a random 256-bit database key and stored it only in the keychain ("${KEYCHAIN_SERVICE}", database-key@${path.resolve(dataDir)})`
          : "found this data directory's database key in the keychain",
      );
      step(`${core.store.created ? 'created' : 'opened'} the encrypted database ${status.path} (${status.cipher}, schema version ${status.schema_version})`);
      step(`checked the file on disk: ${status.encrypted ? 'no plaintext SQLite header, its pages are encrypted' : 'NOT ENCRYPTED'}`);
      step(`started the Zoom sandbox on ${sandbox.oauthUrl} (demo data, Pro plan rate limits)`);

      const connected = await core.dispatch('connectZoom', { ...sandbox.credentials, api_url: sandbox.apiUrl, oauth_url: sandbox.oauthUrl });
      if (!connected.ok) return out.failure(connected.error);
      step('connected: got a Server-to-Server OAuth token, read /users/me, and stored the credentials in the keychain only');

      const zoom = await connectedClient(core.secrets, (await core.service.getSettings({})).zoom_plan);
      const webinars = [];
      for await (const webinar of zoom.listAccountWebinars()) {
        const counts: Record<string, number> = {};
        for (const state of ['approved', 'pending', 'denied'] as const) {
          counts[state] = 0;
          for await (const page of zoom.listRegistrants(webinar.id, state)) counts[state] += page.items.length;
        }
        webinars.push({ id: webinar.id, topic: webinar.topic, registrants: counts });
        step(`read webinar ${webinar.id} "${webinar.topic}": ${counts.approved} approved, ${counts.pending} pending, ${counts.denied} denied registrants`);
      }
      const calls = sandbox.requests().filter((r) => r.path !== '/oauth/token');
      step(`${calls.length} Zoom API calls, ${calls.filter((r) => r.status === 429).length} refused for rate limits`);

      out.result(
        {
          data_dir: path.resolve(dataDir),
          database: status.path,
          created: core.store.created,
          encrypted: status.encrypted,
          schema_version: status.schema_version,
          zoom: { api_url: sandbox.apiUrl, account_id: sandbox.credentials.account_id, webinars },
          steps,
        },
        () =>
          privateKeychain
            ? ['', 'Done. The private keychain ends with this run, and its key with it: on a desktop session the OS keychain keeps the key.']
            : ['', 'Done. Look at the store with:', `  npx dsr-desk --data-dir ${dataDir} status`, `  npx dsr-desk --data-dir ${dataDir} serve    (browser mode)`],
      );
      return EXIT_OK;
    } finally {
      core.close();
    }
  } catch (error) {
    if (error instanceof AppError) return out.failure({ code: error.code, message: error.message });
    throw error;
  } finally {
    await sandbox.close();
  }
}
