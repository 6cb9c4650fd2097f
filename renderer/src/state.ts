import { create } from 'zustand';
import type { StoreStatus } from '../../shared/contract';
import type { ErrorShape } from '../../shared/errors';
import { api } from './api';

interface StatusState {
  status: StoreStatus | null;
  error: ErrorShape | null;
  loading: boolean;
  load(): Promise<void>;
}

export const useStatus = create<StatusState>((set) => ({
  status: null,
  error: null,
  loading: false,
  async load() {
    set({ loading: true });
    const result = await api.getStoreStatus({});
    set(result.ok ? { status: result.value, error: null, loading: false } : { status: null, error: result.error, loading: false });
  },
}));
