import { AppError } from '../../../shared/errors';
import { registerSecret } from '../log';

// age v1 keys (age-encryption.org/v1) through the `age-encryption` package: the recovery key is an
// X25519 identity any age implementation reads. Files are sealed and opened in age-stream.ts.

type AgeModule = typeof import('age-encryption');
let loaded: Promise<AgeModule> | undefined;
/** age-encryption is an ES module; the core is CommonJS, so it is loaded on first use. */
export const age = (): Promise<AgeModule> => (loaded ??= import('age-encryption'));

const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
const IDENTITY = /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/;

export function isRecipient(value: string): boolean {
  return RECIPIENT.test(value);
}

/**
 * The X25519 identity in what was given on stdin: the bare key, or an identity file as age-keygen
 * writes it (comment lines, then the key). Anything else is refused without echoing it.
 */
export function parseIdentity(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length !== 1 || !IDENTITY.test(lines[0]!.toUpperCase())) {
    throw new AppError('INVALID_INPUT', 'Give the recovery key: one line AGE-SECRET-KEY-1… (as the recovery sheet prints it), or an age identity file.');
  }
  const identity = lines[0]!.toUpperCase();
  // From here on no log line can carry it, whatever a library puts in its errors.
  registerSecret(identity);
  return identity;
}

/** Refuses a key with a wrong character (its Bech32 checksum), naming neither the key nor the character. */
export async function checkedIdentity(identity: string): Promise<string> {
  try {
    await (await age()).identityToRecipient(identity);
    return identity;
  } catch {
    throw new AppError('INVALID_INPUT', 'That is not a valid recovery key: a character is wrong (its checksum does not match). Check it against the recovery sheet, character by character.');
  }
}

export async function newIdentity(): Promise<{ identity: string; recipient: string }> {
  const { generateX25519Identity, identityToRecipient } = await age();
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

export async function recipientOf(identity: string): Promise<string> {
  return (await age()).identityToRecipient(identity);
}

export function ageError(error: unknown, file: string): AppError {
  if (error instanceof AppError) return error;
  // Only the library's words, never a key: a message that names one is not repeated.
  const raw = error instanceof Error ? error.message : String(error);
  const text = /AGE-SECRET-KEY/i.test(raw) ? 'its header or payload did not check out' : raw;
  if (/no identity matched/i.test(text)) {
    return new AppError(
      'BACKUP_IDENTITY_WRONG',
      `${file} was not encrypted to this recovery key (no recipient in its header matches it). Nothing was written. Use the recovery key whose sheet was current when the backup was taken, or a recipient's own key.`,
    );
  }
  return new AppError('BACKUP_CORRUPT', `${file} is damaged or incomplete (${text.slice(0, 80)}): its encryption does not check out. Nothing was written. Use another copy of the backup.`);
}
