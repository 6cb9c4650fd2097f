import { z } from 'zod';

// Several Zoom accounts in one desk (a university's faculties, a group's subsidiaries): each is
// connected under a name, its credentials in the keychain under that name, and every record the
// mirror holds names the account it came from.

/** The name `connect` keeps an account under when none is given (and the one everything before accounts belonged to). */
export const DEFAULT_ACCOUNT = 'default';

export const AccountName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, { message: 'use a short name of letters, digits, dots, dashes and underscores (at most 40), e.g. "eu" or "faculty-law"' });

export const AccountNameInput = z.object({ name: AccountName }).strict();

export const ZoomAccount = z.object({
  name: z.string(),
  account_id: z.string(),
  api_url: z.string(),
  connected_at: z.string(),
  last_sync_at: z.string().nullable(),
});
export type ZoomAccount = z.infer<typeof ZoomAccount>;

/** A disconnected account: its credentials are gone, its mirrored records stay (marked) until retention removes them. */
export const DisconnectedAccount = ZoomAccount.extend({ disconnected_at: z.string() });

export const AccountList = z.object({ accounts: z.array(ZoomAccount), disconnected: z.array(DisconnectedAccount) });
export type AccountList = z.infer<typeof AccountList>;

export const Disconnected = z.object({ disconnected: z.literal(true), name: z.string(), records_kept: z.number().int() });
