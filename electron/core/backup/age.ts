import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../../../shared/errors';
import { registerSecret } from '../log';

// The age v1 format (age-encryption.org/v1) through the `age-encryption` package, so anyone with
// Debian's `age` or any other implementation opens what the app writes. Files are streamed in
// 64 KiB chunks both ways: a backup never needs to fit in memory, and no part of it is ever on
// disk in the clear.

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
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length !== 1 || !IDENTITY.test(lines[0]!.toUpperCase())) {
    throw new AppError('INVALID_INPUT', 'Give the recovery key: one line AGE-SECRET-KEY-1… (as the recovery sheet prints it), or an age identity file.');
  }
  const identity = lines[0]!.toUpperCase();
  // From here on no log line can carry it, whatever a library puts in its errors.
  registerSecret(identity);
  return identity;
}

/** Refuses a key with a wrong character (its Bech32 checksum), naming neither the key nor the character. */
async function checkedIdentity(identity: string): Promise<string> {
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

/** Encrypts what `source` yields to every recipient, into `fd` (an open file); returns the file's size and SHA-256. */
export async function encryptStream(source: Readable, recipients: string[], fd: number): Promise<{ bytes: number; sha256: string }> {
  const { Encrypter } = await age();
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const encrypted = await encrypter.encrypt(Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>);
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    Readable.fromWeb(encrypted as unknown as WebReadableStream<Uint8Array>),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        try {
          fs.writeSync(fd, chunk);
          hash.update(chunk);
          bytes += chunk.length;
          done();
        } catch (error) {
          done(error as Error);
        }
      },
    }),
  );
  return { bytes, sha256: hash.digest('hex') };
}

export async function encryptBytes(bytes: Uint8Array | string, recipients: string[]): Promise<Uint8Array> {
  const { Encrypter } = await age();
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  return encrypter.encrypt(bytes);
}

/**
 * The plaintext of an age file as a stream. A wrong identity and a damaged or cut file are told
 * apart (ageError): the header names who it was encrypted to; the payload's chunks are
 * authenticated one by one, so damage anywhere fails the read before the damaged chunk is used.
 */
export async function decryptFile(file: string, identity: string): Promise<Readable> {
  const { Decrypter } = await age();
  const decrypter = new Decrypter();
  decrypter.addIdentity(await checkedIdentity(identity));
  const source = Readable.toWeb(fs.createReadStream(file, { highWaterMark: 64 * 1024 })) as unknown as ReadableStream<Uint8Array>;
  let plain: ReadableStream<Uint8Array>;
  try {
    plain = await decrypter.decrypt(source);
  } catch (error) {
    throw ageError(error, file);
  }
  // Errors in the payload surface while it is read: the reader maps them with ageError.
  return Readable.fromWeb(plain as unknown as WebReadableStream<Uint8Array>);
}

export async function decryptBytes(bytes: Uint8Array, identity: string, what: string): Promise<Uint8Array> {
  const { Decrypter } = await age();
  const decrypter = new Decrypter();
  decrypter.addIdentity(await checkedIdentity(identity));
  try {
    return await decrypter.decrypt(bytes);
  } catch (error) {
    throw ageError(error, what);
  }
}

export function ageError(error: unknown, file: string): AppError {
  if (error instanceof AppError) return error;
  // Only the library's words, never a key: a message that names one is not repeated.
  const raw = error instanceof Error ? error.message : String(error);
  const text = /AGE-SECRET-KEY/i.test(raw) ? 'its header or payload did not check out' : raw;
  if (/no identity matched/i.test(text)) {
    return new AppError('BACKUP_IDENTITY_WRONG', `${file} was not encrypted to this recovery key (no recipient in its header matches it). Nothing was written. Use the recovery key whose sheet was current when the backup was taken, or a recipient's own key.`);
  }
  return new AppError('BACKUP_CORRUPT', `${file} is damaged or incomplete (${text.slice(0, 80)}): its encryption does not check out. Nothing was written. Use another copy of the backup.`);
}
