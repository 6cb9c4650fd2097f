import { AppError } from '../../../shared/errors';

// What DSR Desk does on Zoom, and the scopes that allow each (zoom-api.md §1.3): a classic scope
// covers many endpoints, a granular one a single endpoint; either form, with or without :admin.

interface Need {
  what: string;
  classic: string;
  granular: string;
}

const NEEDS: Need[] = [
  { what: 'list webinars', classic: 'webinar:read', granular: 'webinar:read:list_webinars' },
  { what: 'list registrants', classic: 'webinar:read', granular: 'webinar:read:list_registrants' },
  { what: 'read one registrant back', classic: 'webinar:read', granular: 'webinar:read:registrant' },
  { what: 'cancel a registration', classic: 'webinar:write', granular: 'webinar:update:registrant_status' },
  { what: 'delete a registration', classic: 'webinar:write', granular: 'webinar:delete:registrant' },
  { what: 'list absentees', classic: 'webinar:read', granular: 'webinar:read:list_absentees' },
  { what: 'list panelists', classic: 'webinar:read', granular: 'webinar:read:list_panelists' },
  { what: 'read attendee reports', classic: 'report:read:admin', granular: 'report:read:list_webinar_participants:admin' },
  { what: 'read Q&A reports', classic: 'report:read:admin', granular: 'report:read:webinar_qna:admin' },
  { what: 'read poll reports', classic: 'report:read:admin', granular: 'report:read:list_webinar_polls:admin' },
  { what: 'read survey reports', classic: 'report:read:admin', granular: 'report:read:webinar_survey:admin' },
];

const allows = (granted: Set<string>, scope: string) => granted.has(scope) || (!scope.endsWith(':admin') && granted.has(`${scope}:admin`));

/** The needs a token's scopes don't cover, each with the scope names that would. */
export function missingScopes(granted: readonly string[]): { what: string; scopes: string[] }[] {
  const set = new Set(granted);
  return NEEDS.filter((need) => !allows(set, need.classic) && !allows(set, need.granular)).map((need) => ({
    what: need.what,
    scopes: [need.granular.endsWith(':admin') ? need.granular : `${need.granular}:admin`, need.classic.endsWith(':admin') ? need.classic : `${need.classic}:admin`],
  }));
}

/** Refuses credentials whose token lacks a scope DSR Desk needs, naming each one. A token without a `scope` field is let through (nothing to judge). */
export function checkScopes(granted: readonly string[] | null): void {
  if (!granted) return;
  const missing = missingScopes(granted);
  if (missing.length === 0) return;
  const named = missing.map((m) => `${m.scopes[0]} (or classic ${m.scopes[1]}) to ${m.what}`);
  throw new AppError(
    'ZOOM_MISSING_SCOPES',
    `The Zoom app lacks ${missing.length === 1 ? 'a scope' : `${missing.length} scopes`} DSR Desk needs: ${named.join('; ')}. ` +
      'Add them to the Server-to-Server OAuth app in the Zoom App Marketplace (Scopes), then connect again. Nothing was stored.',
  );
}
