/** The form every lookup matches on: trimmed and case-folded, never a substring. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
