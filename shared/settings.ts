import { z } from 'zod';

/** Zoom plans decide the API rate limits the client must stay under (see zoom-api.md §6). */
export const ZOOM_PLANS = ['free', 'pro', 'business'] as const;
export type ZoomPlan = (typeof ZOOM_PLANS)[number];

export const Settings = z.object({
  organisation_name: z.string().trim().min(1).max(200).nullable(),
  dpo_email: z.email().max(254).nullable(),
  zoom_plan: z.enum(ZOOM_PLANS),
  request_retention_years: z.number().int().min(1).max(10),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  organisation_name: null,
  dpo_email: null,
  zoom_plan: 'pro',
  request_retention_years: 3,
};

export const SettingsPatch = Settings.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one setting to change' });
export type SettingsPatch = z.infer<typeof SettingsPatch>;
