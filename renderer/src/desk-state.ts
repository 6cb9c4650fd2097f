import { create } from 'zustand';
import type { OperationOutput } from '../../shared/contract';
import type { Settings } from '../../shared/settings';
import { asDeskError, call, type DeskError } from './call';
import { applyLanguage } from './i18n';

// What every screen needs to know about the desk: the store, live or sandbox, Zoom, the settings
// (the reviewer's name among them). Loaded once, refreshed after a change.

interface DeskState {
  store: OperationOutput<'getStoreStatus'> | null;
  mode: 'live' | 'sandbox';
  zoom: OperationOutput<'getZoomConnection'> | null;
  settings: Settings | null;
  /** The recovery key and the backups (live mode): Settings shows them, every screen warns without a recovery key. */
  backup: OperationOutput<'getBackupStatus'> | null;
  error: DeskError | null;
  loaded: boolean;
  load(): Promise<void>;
  saveSettings(patch: Partial<Settings>): Promise<Settings>;
  switchMode(to: 'live' | 'sandbox'): Promise<void>;
  loadBackup(): Promise<void>;
}

export const useDesk = create<DeskState>((set, get) => ({
  store: null,
  mode: 'live',
  zoom: null,
  settings: null,
  backup: null,
  error: null,
  loaded: false,
  async load() {
    try {
      const [store, mode, zoom, settings, backup] = await Promise.all([
        call('getStoreStatus', {}),
        call('getDeskMode', {}),
        call('getZoomConnection', {}),
        call('getSettings', {}),
        call('getBackupStatus', {}),
      ]);
      await applyLanguage(settings.ui_language);
      set({ store, mode: mode.mode, zoom, settings, backup, error: null, loaded: true });
    } catch (error) {
      set({ error: asDeskError(error), loaded: true });
    }
  },
  async saveSettings(patch) {
    const settings = await call('updateSettings', patch);
    await applyLanguage(settings.ui_language);
    set({ settings });
    return settings;
  },
  async loadBackup() {
    set({ backup: await call('getBackupStatus', {}) });
  },
  async switchMode(to) {
    await call(to === 'sandbox' ? 'enterSandbox' : 'leaveSandbox', {});
    await get().load();
  },
}));

/** The reviewer every decision is recorded under (first run asks for it). */
export const useReviewer = () => useDesk((s) => s.settings?.operator ?? '');
