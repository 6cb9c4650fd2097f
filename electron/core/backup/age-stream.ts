import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { age, ageError, checkedIdentity } from './age';

// An age v1 file (age-encryption.org/v1) is a text header, which wraps a random file key for each
// recipient and is sealed with an HMAC, then a 16-byte nonce and the payload in the STREAM
// construction: 64 KiB chunks, each sealed with ChaCha20-Poly1305 under a key derived from the file
// key and that nonce, the chunk's counter in its nonce and a flag on the last one.
//
// The header (X25519 key agreement, stanzas, HMAC) is age-encryption's, through its public
// Recipient interface and Decrypter.decryptHeader. The payload is sealed here with Node's own
// ChaCha20-Poly1305 (OpenSSL): age-encryption's pure-JS cipher runs at ~105 MB/s, which made a
// backup of a 1M-registrant store take 2.5x SQLite's own copy of it. Debian's `age` opens what is
// written here, and what it writes opens here (test/backup/age-stream.test.ts).

const CHUNK = 64 * 1024;
const TAG = 16;
const SEALED_CHUNK = CHUNK + TAG;
const NONCE = 16;
/** Far above a header with a few dozen recipients; a "header" longer than this is not one. */
const MAX_HEADER = 64 * 1024;
const MAC_LINE = Buffer.from('\n--- ');

function payloadKey(fileKey: Uint8Array, nonce: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', fileKey, nonce, 'payload', 32));
}

/** The 12-byte chunk nonce: an 11-byte big-endian counter, then 1 on the last chunk. */
function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

function seal(key: Buffer, counter: number, last: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, chunkNonce(counter, last), { authTagLength: TAG });
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, counter: number, last: boolean, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('chacha20-poly1305', key, chunkNonce(counter, last), { authTagLength: TAG });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw new Error(last ? 'the last chunk does not authenticate (damaged or cut short)' : `chunk ${counter + 1} does not authenticate`);
  }
}

/** A header for the recipients and the file key it wraps, made by age-encryption. */
async function header(recipients: string[]): Promise<{ header: Buffer; fileKey: Uint8Array }> {
  const { Encrypter } = await age();
  const encrypter = new Encrypter();
  let fileKey: Uint8Array | undefined;
  // A recipient that adds no stanza, only keeps the file key the others wrap.
  encrypter.addRecipient({ wrapFileKey: (key: Uint8Array) => ((fileKey = key), []) });
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  // Sealing nothing yields the header, then a payload that is thrown away: ours gets its own nonce.
  const sealedNothing = Buffer.from(await encrypter.encrypt(new Uint8Array(0)));
  return { header: sealedNothing.subarray(0, headerEnd(sealedNothing)!), fileKey: fileKey! };
}

/** Where the header ends (after its MAC line), or undefined while that line is not complete. */
function headerEnd(bytes: Buffer): number | undefined {
  const mac = bytes.indexOf(MAC_LINE);
  if (mac < 0) return undefined;
  const end = bytes.indexOf(0x0a, mac + MAC_LINE.length);
  return end < 0 ? undefined : end + 1;
}

async function* sealStream(source: AsyncIterable<Buffer>, recipients: string[]): AsyncGenerator<Buffer> {
  const made = await header(recipients);
  const nonce = randomBytes(NONCE);
  const key = payloadKey(made.fileKey, nonce);
  yield Buffer.concat([made.header, nonce]);
  let pending: Buffer = Buffer.alloc(0);
  let counter = 0;
  for await (const chunk of source) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    // A chunk is sealed once more follows it: only the last one carries the flag.
    let at = 0;
    while (pending.length - at > CHUNK) {
      yield seal(key, counter++, false, pending.subarray(at, at + CHUNK));
      at += CHUNK;
    }
    pending = pending.subarray(at);
  }
  yield seal(key, counter, true, pending);
}

async function* openStream(source: AsyncIterable<Buffer>, identity: string): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let key: Buffer | undefined;
  let counter = 0;
  for await (const chunk of source) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (!key) {
      const end = headerEnd(pending);
      if (end === undefined) {
        if (pending.length > MAX_HEADER) throw new Error('no age header was found');
        continue;
      }
      if (pending.length < end + NONCE) continue;
      key = await fileKeyOf(pending.subarray(0, end), identity, pending.subarray(end, end + NONCE));
      pending = pending.subarray(end + NONCE);
    }
    let at = 0;
    while (pending.length - at > SEALED_CHUNK) {
      yield open(key, counter++, false, pending.subarray(at, at + SEALED_CHUNK));
      at += SEALED_CHUNK;
    }
    pending = pending.subarray(at);
  }
  if (!key) throw new Error('the file ends inside its age header');
  if (pending.length < TAG) throw new Error('the file is cut short');
  const last = open(key, counter, true, pending);
  // Only an empty payload ends in an empty chunk: anything else was cut at a chunk's edge.
  if (last.length === 0 && counter > 0) throw new Error('the file is cut short');
  yield last;
}

async function fileKeyOf(headerBytes: Buffer, identity: string, nonce: Buffer): Promise<Buffer> {
  const { Decrypter } = await age();
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  return payloadKey(await decrypter.decryptHeader(headerBytes), nonce);
}

/** Encrypts what `source` yields to every recipient, into `fd` (an open file); returns the file's size and SHA-256. */
export async function encryptStream(source: Readable, recipients: string[], fd: number): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const sealed of sealStream(source, recipients)) {
    fs.writeSync(fd, sealed);
    hash.update(sealed);
    bytes += sealed.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

export async function encryptBytes(bytes: Uint8Array | string, recipients: string[]): Promise<Buffer> {
  const sealed: Buffer[] = [];
  for await (const part of sealStream(Readable.from([Buffer.from(bytes)]), recipients)) sealed.push(part);
  return Buffer.concat(sealed);
}

/**
 * The plaintext of an age file as a stream. A wrong identity and a damaged or cut file are told
 * apart (ageError): the header names who it was encrypted to; the payload's chunks are
 * authenticated one by one, so damage anywhere fails the read before the damaged chunk is used.
 */
export async function decryptFile(file: string, identity: string): Promise<Readable> {
  const checked = await checkedIdentity(identity);
  // Errors in the payload surface while it is read: the reader maps them with ageError.
  return Readable.from(openStream(fs.createReadStream(file, { highWaterMark: SEALED_CHUNK }), checked), { objectMode: false });
}

export async function decryptBytes(bytes: Uint8Array, identity: string, what: string): Promise<Buffer> {
  const checked = await checkedIdentity(identity);
  const plain: Buffer[] = [];
  try {
    for await (const part of openStream(Readable.from([Buffer.from(bytes)]), checked)) plain.push(part);
  } catch (error) {
    throw ageError(error, what);
  }
  return Buffer.concat(plain);
}
