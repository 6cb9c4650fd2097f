import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { age, newIdentity } from '../../electron/core/backup/age';
import { decryptBytes, decryptFile, encryptBytes } from '../../electron/core/backup/age-stream';
import type { AppError } from '../../shared/errors';

// The app seals the payload of its age files with Node's ChaCha20-Poly1305, not age-encryption's
// (speed): these prove the files are age v1 all the same, against Debian's `age` (an independent
// implementation, in Go) both ways, at every chunk edge, and that damage is caught.

const SIZES = [0, 1, 65_535, 65_536, 65_537, 131_072, 131_073, 300_001];
let folder: string;
let key: { identity: string; recipient: string };
let keyFile: string;

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-age-'));
  key = await newIdentity();
  keyFile = path.join(folder, 'key.txt');
  fs.writeFileSync(keyFile, `${key.identity}\n`, { mode: 0o600 });
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function ageCli(args: string[], input?: Buffer): Buffer {
  const run = spawnSync('age', args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`age ${args.join(' ')} failed: ${run.stderr.toString()}`);
  return run.stdout;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

async function refusal(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => 'opened',
    (error: AppError) => error.code,
  );
}

describe('age files the app writes and reads', () => {
  it.each(SIZES)("Debian's age opens what the app sealed (%i bytes), and age-encryption too", async (size) => {
    const plain = randomBytes(size);
    const sealed = await encryptBytes(plain, [key.recipient]);
    const file = path.join(folder, `sealed-${size}.age`);
    fs.writeFileSync(file, sealed);
    expect(ageCli(['-d', '-i', keyFile, file]).equals(plain)).toBe(true);
    const { Decrypter } = await age();
    const library = new Decrypter();
    library.addIdentity(key.identity);
    expect(Buffer.from(await library.decrypt(sealed)).equals(plain)).toBe(true);
  });

  it.each(SIZES)("the app opens what Debian's age sealed (%i bytes), as bytes and as a stream", async (size) => {
    const plain = randomBytes(size);
    const sealed = ageCli(['-e', '-r', key.recipient], plain);
    expect((await decryptBytes(sealed, key.identity, 'a file')).equals(plain)).toBe(true);
    const file = path.join(folder, `age-${size}.age`);
    fs.writeFileSync(file, sealed);
    expect((await readAll(await decryptFile(file, key.identity))).equals(plain)).toBe(true);
  });

  it('every recipient opens a file sealed to several, and a stranger is told it is not theirs', async () => {
    const other = await newIdentity();
    const stranger = await newIdentity();
    const plain = randomBytes(70_000);
    const sealed = await encryptBytes(plain, [key.recipient, other.recipient]);
    expect((await decryptBytes(sealed, key.identity, 'f')).equals(plain)).toBe(true);
    expect((await decryptBytes(sealed, other.identity, 'f')).equals(plain)).toBe(true);
    expect(await refusal(decryptBytes(sealed, stranger.identity, 'f'))).toBe('BACKUP_IDENTITY_WRONG');
  });

  it('refuses a flipped byte, a file cut at a chunk edge or inside one, swapped chunks and a lost header', async () => {
    const plain = randomBytes(3 * 65_536 + 100);
    const sealed = await encryptBytes(plain, [key.recipient]);
    const payloadStart = sealed.indexOf('\n--- ') + sealed.subarray(sealed.indexOf('\n--- ') + 1).indexOf('\n') + 2 + 16;
    const sealedChunk = 65_536 + 16;
    const flipped = Buffer.from(sealed);
    flipped[payloadStart + sealedChunk + 10]! ^= 0x01;
    const chunk = (n: number): Buffer => sealed.subarray(payloadStart + n * sealedChunk, payloadStart + (n + 1) * sealedChunk);
    const swapped = Buffer.concat([sealed.subarray(0, payloadStart), chunk(1), chunk(0), sealed.subarray(payloadStart + 2 * sealedChunk)]);
    const damaged = {
      flipped,
      'cut at a chunk edge': sealed.subarray(0, payloadStart + 2 * sealedChunk),
      'cut inside a chunk': sealed.subarray(0, payloadStart + 2 * sealedChunk + 500),
      'cut inside the header': sealed.subarray(0, 40),
      swapped,
      'a header MAC that does not match': Buffer.concat([sealed.subarray(0, payloadStart - 20), Buffer.from(sealed[payloadStart - 20] === 0x41 ? 'B' : 'A'), sealed.subarray(payloadStart - 19)]),
    };
    const codes = Object.fromEntries(await Promise.all(Object.entries(damaged).map(async ([what, bytes]) => [what, await refusal(decryptBytes(bytes, key.identity, what))])));
    expect(codes).toEqual(Object.fromEntries(Object.keys(damaged).map((what) => [what, 'BACKUP_CORRUPT'])));
    // Debian's age agrees that each is damaged.
    for (const [what, bytes] of Object.entries(damaged)) {
      expect(spawnSync('age', ['-d', '-i', keyFile], { input: bytes }).status, what).not.toBe(0);
    }
  });
});
