/** The form every lookup matches on: trimmed and case-folded, never a substring. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The address as the register keeps it once the full one is purged: first letter of the local
 * part and the domain, e.g. "e***@example.com". Enough for a person to recognise, not to write to.
 */
export function maskEmail(email: string): string {
  const normal = normaliseEmail(email);
  const at = normal.lastIndexOf('@');
  if (at < 1) return '***';
  return `${normal[0]}***${normal.slice(at)}`;
}
