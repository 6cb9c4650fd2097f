import type { Db } from './database';

// Reads for "possibly the same person" (requests/suggestions.ts): the names registered under a
// request's addresses, and the registrations under other addresses with one of those names. Both
// go through an index (registrants_by_email, registrants_by_last_name). Suggestions only: nothing
// is ever erased on a name.

export interface RegisteredName {
  first: string;
  last: string;
}

export interface Namesake {
  email_norm: string;
  first_name: string;
  last_name: string;
  event_id: string;
}

/** The form names are compared in: one line, single spaces, case-folded (Unicode-wide, after NFC). */
export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('und');
}

/** Each full name (a first and a last name, both given) registered under these addresses, once. */
export function namesUnder(db: Db, emails: string[]): RegisteredName[] {
  const names = new Map<string, RegisteredName>();
  const select = db.prepare('SELECT first_name, last_name FROM registrants WHERE email_norm = ? AND first_name IS NOT NULL AND last_name IS NOT NULL');
  for (const email of emails) {
    for (const row of select.all(email) as { first_name: string; last_name: string }[]) {
      const first = normaliseName(row.first_name);
      const last = normaliseName(row.last_name);
      if (first && last) names.set(`${first}\u0000${last}`, { first, last });
    }
  }
  return [...names.values()];
}

/**
 * Registrations with this name under any address. SQLite's lower() folds ASCII only, so the index
 * finds the candidates and normaliseName decides (a name in capitals with umlauts, "MÜLLER", is
 * not found: a suggestion missed, never a wrong one).
 */
export function registrationsNamed(db: Db, name: RegisteredName): Namesake[] {
  return (
    db
      .prepare(
        `SELECT email_norm, first_name, last_name, event_id FROM registrants
         WHERE lower(last_name) = ? AND lower(first_name) = ? AND email_norm IS NOT NULL ORDER BY email_norm, event_id`,
      )
      .all(name.last, name.first) as Namesake[]
  ).filter((r) => normaliseName(r.first_name) === name.first && normaliseName(r.last_name) === name.last);
}
