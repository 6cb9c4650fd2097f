import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
import { KeychainUnavailable } from '../errors';
import { registerSecret } from '../log';

/** The OS keychain as the core sees it; keytar in the app, the same port for every caller. */
export interface KeychainBackend {
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, secret: string): Promise<void>;
  remove(service: string, account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'DSR Desk';

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

// keytar's errors come from libsecret / D-Bus and name the bus, never the secret; we keep only
// their first line as a hint and always answer with KEYCHAIN_UNAVAILABLE.
function keychainError(error: unknown): KeychainUnavailable {
  const text = error instanceof Error ? error.message : String(error);
  return new KeychainUnavailable(text.split('\n')[0]!.slice(0, 160));
}

async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw keychainError(error);
  }
}

export function keytarBackend(): KeychainBackend {
  let loaded: Keytar | undefined;
  const keytar = (): Keytar => {
    // Loaded lazily: on Linux the native module fails to load when libsecret is missing, and that
    // must surface as KEYCHAIN_UNAVAILABLE on first use, not crash the process at start.
    if (!loaded) {
      try {
        loaded = require('keytar') as Keytar;
      } catch (error) {
        throw keychainError(error);
      }
    }
    return loaded;
  };
  return {
    get: (service, account) => guard(() => keytar().getPassword(service, account)),
    set: (service, account, secret) => guard(() => keytar().setPassword(service, account, secret)),
    remove: (service, account) => guard(() => keytar().deletePassword(service, account)),
  };
}

export interface ZoomCredentials {
  account_id: string;
  client_id: string;
  client_secret: string;
  api_url: string;
  oauth_url: string;
}

/**
 * Secrets of one data directory. Entries are namespaced by the resolved data directory, so two
 * data dirs on one machine never share a database key or Zoom credentials.
 */
export class Secrets {
  private readonly namespace: string;

  constructor(
    private readonly backend: KeychainBackend,
    dataDir: string,
  ) {
    this.namespace = path.resolve(dataDir);
  }

  private account(kind: 'database-key' | 'zoom-credentials' | 'suppression-key' | 'audit-anchor'): string {
    return `${kind}@${this.namespace}`;
  }

  /** The entry of one Zoom account's credentials; the `default` account keeps the entry of the days of one account. */
  private zoomEntry(name: string): string {
    return name === DEFAULT_ACCOUNT ? this.account('zoom-credentials') : `zoom-credentials:${name}@${this.namespace}`;
  }

  async getDatabaseKey(): Promise<string | null> {
    const key = await this.backend.get(KEYCHAIN_SERVICE, this.account('database-key'));
    registerSecret(key);
    return key;
  }

  async setDatabaseKey(key: string): Promise<void> {
    registerSecret(key);
    await this.backend.set(KEYCHAIN_SERVICE, this.account('database-key'), key);
  }

  async getZoomCredentials(name = DEFAULT_ACCOUNT): Promise<ZoomCredentials | null> {
    const raw = await this.backend.get(KEYCHAIN_SERVICE, this.zoomEntry(name));
    if (raw === null) return null;
    const credentials = JSON.parse(raw) as ZoomCredentials;
    registerSecret(credentials.client_secret);
    return credentials;
  }

  async setZoomCredentials(credentials: ZoomCredentials, name = DEFAULT_ACCOUNT): Promise<void> {
    registerSecret(credentials.client_secret);
    await this.backend.set(KEYCHAIN_SERVICE, this.zoomEntry(name), JSON.stringify(credentials));
  }

  /** Removes one account's credentials (disconnect); true when there were any. */
  async removeZoomCredentials(name: string): Promise<boolean> {
    return this.backend.remove(KEYCHAIN_SERVICE, this.zoomEntry(name));
  }

  /**
   * The key of the suppression list's keyed hashes. Kept apart from the database key so that a
   * copy of the database alone can't test addresses against the list. Made only when `create`
   * says nothing was hashed with a key before; otherwise null when it is missing.
   */
  async suppressionKey(options: { create: boolean }): Promise<string | null> {
    let key = await this.backend.get(KEYCHAIN_SERVICE, this.account('suppression-key'));
    if (key === null) {
      if (!options.create) return null;
      key = randomBytes(32).toString('hex');
      await this.backend.set(KEYCHAIN_SERVICE, this.account('suppression-key'), key);
    }
    registerSecret(key);
    return key;
  }

  /** Puts a suppression key back (restore, unlock): the register's hashes and sealed addresses were made with it. */
  async setSuppressionKey(key: string): Promise<void> {
    registerSecret(key);
    await this.backend.set(KEYCHAIN_SERVICE, this.account('suppression-key'), key);
  }

  /** The audit log's anchor (entry count and head hash), kept outside the database so a cut or restored log shows. */
  async getAuditAnchor(): Promise<string | null> {
    return this.backend.get(KEYCHAIN_SERVICE, this.account('audit-anchor'));
  }

  async setAuditAnchor(anchor: string): Promise<void> {
    await this.backend.set(KEYCHAIN_SERVICE, this.account('audit-anchor'), anchor);
  }

  /** Removes every entry of this data directory (used when a data dir is discarded), the named Zoom accounts' too. */
  async forget(accountNames: readonly string[] = []): Promise<void> {
    for (const kind of ['database-key', 'zoom-credentials', 'suppression-key', 'audit-anchor'] as const) await this.backend.remove(KEYCHAIN_SERVICE, this.account(kind));
    for (const name of accountNames) await this.backend.remove(KEYCHAIN_SERVICE, this.zoomEntry(name));
  }
}
