import type { CoreService } from '../../shared/contract';
import { callOperation, type Dispatch } from '../../shared/dispatch';
import { createLogger } from './log';
import { readSettings, updateSettings } from './settings';
import { CIPHER, isEncryptedOnDisk, openStore, type Store } from './store/database';
import { LATEST_SCHEMA_VERSION } from './store/migrations';
import { keytarBackend, Secrets, type KeychainBackend } from './secrets';
import { connectZoom } from './zoom/connection';

const log = createLogger('core');

export interface CoreOptions {
  dataDir: string;
  keychain?: KeychainBackend;
  now?: () => Date;
}

export interface Core {
  service: CoreService;
  dispatch: Dispatch;
  store: Store;
  secrets: Secrets;
  close(): void;
}

/** Opens the store of a data directory and returns the one service object that implements the contract. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const now = options.now ?? (() => new Date());
  const secrets = new Secrets(options.keychain ?? keytarBackend(), options.dataDir);
  const store = await openStore(options.dataDir, secrets);
  const { db } = store;

  const service: CoreService = {
    async getStoreStatus() {
      const meta = db.prepare(`SELECT value FROM app_meta WHERE key = 'created_at'`).get() as { value: string };
      return {
        path: store.path,
        encrypted: isEncryptedOnDisk(store.path),
        cipher: CIPHER,
        schema_version: db.pragma('user_version', { simple: true }) as number,
        latest_schema_version: LATEST_SCHEMA_VERSION,
        created_at: meta.value,
      };
    },
    async getSettings() {
      return readSettings(db);
    },
    async updateSettings(patch) {
      const settings = updateSettings(db, patch, now());
      log.info('settings changed', { keys: Object.keys(patch) });
      return settings;
    },
    async connectZoom(input) {
      return connectZoom(secrets, readSettings(db).zoom_plan, input);
    },
    async getZoomConnection() {
      const credentials = await secrets.getZoomCredentials();
      return { connected: credentials !== null, account_id: credentials?.account_id ?? null, api_url: credentials?.api_url ?? null };
    },
  };

  const dispatch: Dispatch = (name, input) =>
    callOperation(service, name, input, (operation, error) => log.error('operation failed', { operation, error }));

  return { service, dispatch, store, secrets, close: () => store.close() };
}
