import { z } from 'zod';
import { isTimeZone } from './deadlines';
import { isSecureOrLoopback } from './urls';
import { Person, PlainText, TextLines } from './requests';

/** Zoom plans decide the API rate limits the client must stay under (see zoom-api.md §6). */
export const ZOOM_PLANS = ['free', 'pro', 'business'] as const;
export type ZoomPlan = (typeof ZOOM_PLANS)[number];

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

const Text = (max: number) => TextLines(3, max, 'give at least a few words').nullable();

export const Settings = z.object({
  organisation_name: PlainText(1, 200).nullable(),
  dpo_email: z.email().max(254).nullable(),
  /** The controller's postal address or other contact, printed on the documents. */
  organisation_contact: Text(500),
  /** Why the organisation processes webinar registrants' data (Art 13/15(1)(a)); null: a default text, marked as such. */
  purposes: Text(2000),
  /** How long the data is kept, or the criteria (Art 15(1)(d)); null: a default text, marked as such. */
  retention_text: Text(2000),
  /** The supervisory authority a subject may complain to (Art 15(1)(f), 77); null: a default text, marked as such. */
  supervisory_authority: Text(500),
  /** The language of replies to data subjects unless a request names its own. */
  language: z.enum(LANGUAGES),
  zoom_plan: z.enum(ZOOM_PLANS),
  request_retention_years: z.number().int().min(1).max(10),
  /**
   * Days a closed erasure or restriction request keeps the full address (for the reply), then only the masked one and the keyed hash;
   * also how long the data folder keeps a closed request's files that hold the subject's data (packages, replies, processor requests).
   */
  erasure_address_grace_days: z.number().int().min(0).max(365),
  /** The organisation's IANA time zone, for deadline dates; null: this computer's. */
  time_zone: z.string().trim().refine(isTimeZone, { message: 'use an IANA time zone name such as Europe/Berlin' }).nullable(),
  /** Public holidays (YYYY-MM-DD) a deadline that falls on them moves past, as weekends do. */
  holidays: z.array(z.iso.date({ message: 'give holidays as YYYY-MM-DD dates' })).max(400),
  /** Who works at this desk: every act made in the window, and every CLI act without --by, is recorded under this name. */
  operator: Person.nullable(),
  /** The window's language; null: the operating system's (English unless it prefers German). */
  ui_language: z.enum(LANGUAGES).nullable(),
  /** The app's WebSocket event subscription (zoom-api.md §5.1a); null: no live events, syncs only. */
  event_subscription_id: z.string().trim().min(1).max(200).nullable(),
  /** Where that subscription's socket is: wss anywhere, plain ws only to this machine. */
  ws_url: z
    .string()
    .trim()
    .refine((value) => isSecureOrLoopback(value, 'wss:', 'ws:'), { message: 'use a wss:// URL (plain ws:// only for 127.0.0.1, localhost or [::1])' })
    .nullable(),
  /** Where scheduled backups go (a network share or a USB disk is typical); null: no scheduled backups. */
  backup_folder: z.string().trim().min(1).max(1000).nullable(),
  /** How often the desk and `watch` take a backup while open, and when the overview warns that none was taken. */
  backup_interval_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  /** How many backups the folder keeps; older ones are deleted by the app. */
  backup_keep: z.number().int().min(1).max(365),
  /** Further age recipients every backup is encrypted to, beside the recovery key (e.g. the IT department's). */
  backup_recipients: z
    .array(
      z
        .string()
        .trim()
        .regex(/^age1[02-9ac-hj-np-z]{58}$/, 'give age recipients (age1…, as age-keygen prints them)'),
    )
    .max(20),
  /** A backup into the backup folder after every finished erasure job. */
  backup_after_erasure: z.boolean(),
  /** Days Zoom has to answer a processor request once it is sent (the DPA's term; 30 unless it says otherwise). */
  processor_reply_days: z.number().int().min(1).max(365),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  organisation_name: null,
  dpo_email: null,
  organisation_contact: null,
  purposes: null,
  retention_text: null,
  supervisory_authority: null,
  language: 'en',
  zoom_plan: 'pro',
  request_retention_years: 3,
  erasure_address_grace_days: 30,
  time_zone: null,
  holidays: [],
  operator: null,
  ui_language: null,
  event_subscription_id: null,
  ws_url: null,
  backup_folder: null,
  backup_interval_hours: 24,
  backup_keep: 14,
  backup_recipients: [],
  backup_after_erasure: true,
  processor_reply_days: 30,
};

/** What a document can't be sent without: the controller's name, how to reach it, and where to complain (Art 13, 15(1)(f), 77). */
export const ORGANISATION_REQUIRED = ['organisation_name', 'organisation_contact', 'supervisory_authority'] as const;

/** The organisation settings a document still lacks (none: documents can go out as they are; the core refuses them otherwise, ORGANISATION_INCOMPLETE). */
export function organisationMissing(settings: Settings): (typeof ORGANISATION_REQUIRED)[number][] {
  return ORGANISATION_REQUIRED.filter((key) => !settings[key]);
}

/** Whether the settings name all a document needs to go out as it is. */
export function organisationComplete(settings: Settings | null): boolean {
  return settings !== null && organisationMissing(settings).length === 0;
}

/** Zoom's event socket unless the connection names another (the sandbox's, or a test emulator's). */
export const DEFAULT_WS_URL = 'wss://ws.zoom.us/ws';

export const SettingsPatch = Settings.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one setting to change' });
export type SettingsPatch = z.infer<typeof SettingsPatch>;
