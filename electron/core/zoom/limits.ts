import type { ZoomPlan } from '../../../shared/settings';

// Zoom's published account-level rate limits (zoom-api.md §6). The client paces itself by these
// and the sandbox enforces them, so both read the same table.

export const CATEGORIES = ['light', 'medium', 'heavy', 'resource_intensive'] as const;
export type RateCategory = (typeof CATEGORIES)[number];

export interface CategoryLimit {
  /** Requests allowed per window. */
  requests: number;
  windowMs: number;
}

export interface PlanLimits {
  perWindow: Record<RateCategory, CategoryLimit>;
  /** Daily caps; `heavy_shared` is the one Heavy + Resource-intensive share on paid plans. */
  daily: Partial<Record<RateCategory | 'heavy_shared', number>>;
}

const perSecond = (requests: number): CategoryLimit => ({ requests, windowMs: 1000 });
const perMinute = (requests: number): CategoryLimit => ({ requests, windowMs: 60_000 });

export const PLAN_LIMITS: Record<ZoomPlan, PlanLimits> = {
  free: {
    perWindow: { light: perSecond(4), medium: perSecond(2), heavy: perSecond(1), resource_intensive: perMinute(10) },
    daily: { light: 6000, medium: 2000, heavy: 1000, resource_intensive: 30_000 },
  },
  pro: {
    perWindow: { light: perSecond(30), medium: perSecond(20), heavy: perSecond(10), resource_intensive: perMinute(10) },
    daily: { heavy_shared: 30_000 },
  },
  business: {
    perWindow: { light: perSecond(80), medium: perSecond(60), heavy: perSecond(40), resource_intensive: perMinute(20) },
    daily: { heavy_shared: 60_000 },
  },
};

/** Which daily counter a call in this category draws from on this plan, if any. */
export function dailyBucket(plan: ZoomPlan, category: RateCategory): RateCategory | 'heavy_shared' | null {
  const daily = PLAN_LIMITS[plan].daily;
  if (daily[category] !== undefined) return category;
  if ((category === 'heavy' || category === 'resource_intensive') && daily.heavy_shared !== undefined) return 'heavy_shared';
  return null;
}

/** Header spelling of a category, as Zoom sends it in X-RateLimit-Category. */
export const CATEGORY_HEADER: Record<RateCategory, string> = {
  light: 'Light',
  medium: 'Medium',
  heavy: 'Heavy',
  resource_intensive: 'Resource-intensive',
};

/** Per-registrant limits per webinar per UTC day (§6): adds and status changes. */
export const REGISTRANT_DAILY_ADDS = 3;
export const REGISTRANT_DAILY_STATUS_CHANGES = 10;

/** Next 00:00 UTC after `now`: when Zoom's daily limits reset. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}
