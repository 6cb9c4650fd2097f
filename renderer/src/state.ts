import { create } from 'zustand';
import type { StoreStatus, ZoomConnection } from '../../shared/contract';
import type { ErrorShape } from '../../shared/errors';
import { api } from './api';

interface StatusState {
  status: StoreStatus | null;
  zoom: ZoomConnection | null;
  error: ErrorShape | null;
  loading: boolean;
  load(): Promise<void>;
}

export const useStatus = create<StatusState>((set) => ({
  status: null,
  zoom: null,
  error: null,
  loading: false,
  async load() {
    set({ loading: true });
    const [status, zoom] = await Promise.all([api.getStoreStatus({}), api.getZoomConnection({})]);
    if (!status.ok) return set({ status: null, zoom: null, error: status.error, loading: false });
    set({ status: status.value, zoom: zoom.ok ? zoom.value : null, error: zoom.ok ? null : zoom.error, loading: false });
  },
}));
