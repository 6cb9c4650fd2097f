import type { CoreService } from '../../../shared/contract';
import { createLogger } from '../log';
import { updateSettings } from '../settings';
import type { CoreParts } from './core-parts';

const log = createLogger('core');

type SettingsOperations = Pick<CoreService, 'getSettings' | 'updateSettings'>;

/** The register's settings; every change is audited by the keys it touched (never their values). */
export function settingsHandlers({ store, audit, now, settings }: Pick<CoreParts, 'store' | 'audit' | 'now' | 'settings'>): SettingsOperations {
  const { db } = store;
  return {
    async getSettings() {
      return settings();
    },
    async updateSettings(patch) {
      const updated = db.transaction(() => {
        const changed = updateSettings(db, patch, now());
        audit.append({ actor: 'settings', action: 'settings.updated', details: { keys: Object.keys(patch).sort() } });
        return changed;
      })();
      log.info('settings changed', { keys: Object.keys(patch) });
      return updated;
    },
  };
}
