import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { openCore } from '../core/service';
import { KEYCHAIN_SERVICE } from '../core/secrets';
import { EXIT_OK, type Output } from './output';

/**
 * The main job end to end, on a data directory of its own so demo data never mixes with a real
 * register. Today: create the encrypted store with its key in the keychain, and prove both.
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

  try {
    const core = await openCore({ dataDir });
    try {
      const status = await core.service.getStoreStatus({});
      step(
        core.store.created
          ? `generated a random 256-bit database key and stored it only in the keychain ("${KEYCHAIN_SERVICE}", database-key@${path.resolve(dataDir)})`
          : 'found this data directory\'s database key in the keychain',
      );
      step(`${core.store.created ? 'created' : 'opened'} the encrypted database ${status.path} (${status.cipher}, schema version ${status.schema_version})`);
      step(`checked the file on disk: ${status.encrypted ? 'no plaintext SQLite header, its pages are encrypted' : 'NOT ENCRYPTED'}`);
      out.result(
        { data_dir: path.resolve(dataDir), database: status.path, created: core.store.created, encrypted: status.encrypted, schema_version: status.schema_version, steps },
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
  }
}
