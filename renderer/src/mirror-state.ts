import { create } from 'zustand';
import type { OperationInput, OperationOutput } from '../../shared/contract';
import type { ErrorShape } from '../../shared/errors';
import { api } from './api';

// What the UI shows of the mirror: sync status, the webinars, and one page of registrants. The
// renderer never holds more than a page of rows; the core pages, filters and sorts.

export type SyncStatus = OperationOutput<'getSyncStatus'>;
export type WebinarOverview = OperationOutput<'listWebinars'>['webinars'][number];
export type RegistrantPage = OperationOutput<'listRegistrants'>;
export type Timeline = OperationOutput<'getRegistrantTimeline'>;
export type RegistrantQuery = Required<Pick<OperationInput<'listRegistrants'>, 'status' | 'sort' | 'order' | 'offset' | 'limit'>> & { email_prefix: string };

export const PAGE_SIZE = 50;

interface MirrorState {
  sync: SyncStatus | null;
  webinars: WebinarOverview[];
  webinarId: string | null;
  query: RegistrantQuery;
  page: RegistrantPage | null;
  timeline: Timeline | null;
  error: ErrorShape | null;
  refreshSync(): Promise<void>;
  startSync(full: boolean): Promise<void>;
  cancelSync(): Promise<void>;
  loadWebinars(): Promise<void>;
  selectWebinar(id: string | null): Promise<void>;
  setQuery(patch: Partial<RegistrantQuery>): Promise<void>;
  loadPage(): Promise<void>;
  openTimeline(webinarId: string, registrantId: string): Promise<void>;
  closeTimeline(): void;
}

export const useMirror = create<MirrorState>((set, get) => ({
  sync: null,
  webinars: [],
  webinarId: null,
  query: { status: 'all', sort: 'create_time', order: 'asc', offset: 0, limit: PAGE_SIZE, email_prefix: '' },
  page: null,
  timeline: null,
  error: null,
  async refreshSync() {
    const result = await api.getSyncStatus({});
    if (result.ok) set({ sync: result.value });
  },
  async startSync(full) {
    const result = await api.startSync({ full });
    if (!result.ok) return set({ error: result.error });
    set({ error: null });
    await get().refreshSync();
  },
  async cancelSync() {
    await api.cancelSync({});
    await get().refreshSync();
  },
  async loadWebinars() {
    const result = await api.listWebinars({});
    if (!result.ok) return set({ error: result.error });
    set({ webinars: result.value.webinars });
  },
  async selectWebinar(id) {
    set({ webinarId: id, query: { ...get().query, offset: 0 }, timeline: null });
    await get().loadPage();
  },
  async setQuery(patch) {
    // Any change other than paging starts again at the first page.
    set({ query: { ...get().query, offset: 0, ...patch } });
    await get().loadPage();
  },
  async loadPage() {
    const { query, webinarId } = get();
    const { email_prefix, ...rest } = query;
    const result = await api.listRegistrants({ ...rest, ...(webinarId ? { webinar_id: webinarId } : {}), ...(email_prefix.trim() ? { email_prefix } : {}) });
    if (!result.ok) return set({ error: result.error });
    set({ page: result.value, error: null });
  },
  async openTimeline(webinarId, registrantId) {
    const result = await api.getRegistrantTimeline({ webinar_id: webinarId, registrant_id: registrantId });
    if (!result.ok) return set({ error: result.error });
    set({ timeline: result.value });
  },
  closeTimeline() {
    set({ timeline: null });
  },
}));
