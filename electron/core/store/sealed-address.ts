import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// The register keeps a subject's full address (for the reply) sealed with AES-256-GCM under a
// key derived from the keychain's suppression key, not the database key: no page of the
// database, read with its key, holds the address, and purging the sealed value leaves nothing.

const PREFIX = 'sealed:v1:';

export function addressKey(suppressionKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', suppressionKey, Buffer.alloc(0), 'dsr-desk register address', 32));
}

export function sealAddress(key: Buffer, address: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(address, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** The address; a value written before sealing existed comes back as it is. */
export function openAddress(key: Buffer, stored: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
