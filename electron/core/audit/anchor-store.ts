import lockfile from 'proper-lockfile';
import { pathInDataFolder } from '../data-folder';
import { createLogger } from '../log';
import type { Secrets } from '../secrets';
import type { AnchorStore } from '.';

const log = createLogger('audit');

/** The lock is a folder beside the store; one left by a process that died is taken over after this long. */
const STALE_LOCK_MS = 10_000;

/**
 * The audit anchor in the keychain, updated under a lock in the data folder: every process that
 * appends to this folder's log (the desk, a CLI command, `watch`) takes the same lock.
 */
export function keychainAnchorStore(secrets: Secrets, dataDir: string): AnchorStore {
  const lockPath = pathInDataFolder(dataDir, 'audit-anchor.lock');
  return {
    read: () => secrets.getAuditAnchor(),
    write: (anchor) => secrets.setAuditAnchor(anchor),
    async exclusive(update) {
      const release = await lockfile.lock(dataDir, {
        lockfilePath: lockPath,
        realpath: false,
        stale: STALE_LOCK_MS,
        retries: { retries: 400, minTimeout: 5, maxTimeout: 50 },
        // A lock found taken over while held: the update under it already ran; the next append anchors again.
        onCompromised: (error) => log.warn('the audit anchor lock was taken over while held', { error }),
      });
      try {
        return await update();
      } finally {
        await release().catch((error: unknown) => log.warn('could not release the audit anchor lock', { error }));
      }
    },
  };
}
