import type { CoreService } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { CIPHER, isEncryptedOnDisk, readMeta } from '../store/database';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../store/migrations';
import type { CoreParts } from './core-parts';

type StoreOperations = Pick<CoreService, 'getStoreStatus' | 'getDeskMode' | 'enterSandbox' | 'leaveSandbox'>;

/**
 * Which store this core has open: its file and schema, and whether it is the live register or the
 * sandbox's. Switching between the two is the desk's (desk.ts answers enterSandbox and
 * leaveSandbox itself, and asks the core in use for its mode); a core on its own refuses to switch.
 */
export function storeHandlers({ store, sandbox }: Pick<CoreParts, 'store' | 'sandbox'>): StoreOperations {
  const { db } = store;
  return {
    async getStoreStatus() {
      return {
        path: store.path,
        encrypted: isEncryptedOnDisk(store.path),
        cipher: CIPHER,
        schema_version: schemaVersion(db),
        latest_schema_version: LATEST_SCHEMA_VERSION,
        created_at: readMeta(db, 'created_at')!,
      };
    },
    async getDeskMode() {
      return { mode: sandbox ? ('sandbox' as const) : ('live' as const) };
    },
    async enterSandbox() {
      throw new AppError('USAGE', 'Only the desk (the app window or `dsr-desk serve`) switches to the sandbox; from the command line use `dsr-desk demo` or `dsr-desk sandbox`.');
    },
    async leaveSandbox() {
      throw new AppError('USAGE', 'Only the desk (the app window or `dsr-desk serve`) switches to and from the sandbox.');
    },
  };
}
