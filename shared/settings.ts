import { z } from 'zod';
import { isTimeZone } from './deadlines';

/** Zoom plans decide the API rate limits the client must stay under (see zoom-api.md §6). */
export const ZOOM_PLANS = ['free', 'pro', 'business'] as const;
export type ZoomPlan = (typeof ZOOM_PLANS)[number];

export const Settings = z.object({
  organisation_name: z.string().trim().min(1).max(200).nullable(),
  dpo_email: z.email().max(254).nullable(),
  zoom_plan: z.enum(ZOOM_PLANS),
  request_retention_years: z.number().int().min(1).max(10),
  /** Days a closed erasure or restriction request keeps the full address (for the reply), then only the masked one and the keyed hash. */
  erasure_address_grace_days: z.number().int().min(0).max(365),
  /** The organisation's IANA time zone, for deadline dates; null: this computer's. */
  time_zone: z.string().trim().refine(isTimeZone, { message: 'use an IANA time zone name such as Europe/Berlin' }).nullable(),
  /** Public holidays (YYYY-MM-DD) a deadline that falls on them moves past, as weekends do. */
  holidays: z.array(z.iso.date({ message: 'give holidays as YYYY-MM-DD dates' })).max(400),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  organisation_name: null,
  dpo_email: null,
  zoom_plan: 'pro',
  request_retention_years: 3,
  erasure_address_grace_days: 30,
  time_zone: null,
  holidays: [],
};

export const SettingsPatch = Settings.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one setting to change' });
export type SettingsPatch = z.infer<typeof SettingsPatch>;
