import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { Readable as EntryStream } from 'node:stream';
import type { z } from 'zod';
import type { BackupManifest } from '../../../shared/backup';
import { AppError } from '../../../shared/errors';

// What a backup holds, once age has opened it: a POSIX tar archive (readable with `tar`), its
// parts in this order:
//   keys.json            the snapshot's SQLCipher key and the suppression key (see docs/architecture.md)
//   store/dsr-desk.db    the store, SQLCipher 4, keyed with keys.json's database_key
//   audit.jsonl          the audit log as `audit export` writes it (recomputable, no subject data)
//   documents/…, exports/…  the files the app keeps in its data folder
//   manifest.json        last: versions, time, counts, the audit head, and each part's size and SHA-256

export const FORMAT = 'dsr-desk-backup';
export const FORMAT_VERSION = 1;
export const KEYS_PART = 'keys.json';
export const STORE_PART = 'store/dsr-desk.db';
export const AUDIT_PART = 'audit.jsonl';
export const MANIFEST_PART = 'manifest.json';
/** The folders of the data folder whose files a backup carries. */
export const DOCUMENT_FOLDERS = ['documents', 'exports'] as const;

export type PartEntry = Manifest['parts'][number];

/** The manifest, as the contract describes it (shared/backup.ts). */
export type Manifest = z.infer<typeof BackupManifest>;

/** Adds parts to a tar stream, hashing each as it passes. */
export class ArchiveWriter {
  readonly pack = tar.pack();
  readonly parts: PartEntry[] = [];

  /** The archive as a Node stream, to hand to the encrypter. */
  readable(): Readable {
    return Readable.from(this.pack as unknown as AsyncIterable<Buffer>);
  }

  async addBytes(name: string, bytes: Buffer): Promise<void> {
    await new Promise<void>((resolve, reject) => this.pack.entry({ name, size: bytes.length, mode: 0o600 }, bytes, (error) => (error ? reject(error) : resolve())));
    this.parts.push({ path: name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }

  async addFile(name: string, file: string): Promise<void> {
    // One open file for its size and its bytes: a document replaced meanwhile (written by rename) can't change either.
    const fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const hash = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      const entry = this.pack.entry({ name, size, mode: 0o600 }, (error) => (error ? reject(error) : resolve()));
      const source = fs.createReadStream('', { fd, highWaterMark: 1024 * 1024 });
      source.on('data', (chunk) => {
        hash.update(chunk);
        if (!entry.write(chunk)) {
          source.pause();
          entry.once('drain', () => source.resume());
        }
      });
      source.on('error', reject);
      source.on('end', () => entry.end(() => undefined));
    });
    this.parts.push({ path: name, bytes: size, sha256: hash.digest('hex') });
  }

  finish(manifest: Manifest): Promise<void> {
    return this.addBytes(MANIFEST_PART, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)).then(() => void this.pack.finalize());
  }
}

/** Every regular file under the data folder's document folders, as archive names; links are never followed. */
export function documentFiles(dataDir: string): { name: string; file: string }[] {
  const found: { name: string; file: string }[] = [];
  const walk = (dir: string, name: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      const child = `${name}/${entry.name}`;
      if (entry.isDirectory()) walk(file, child);
      else if (entry.isFile()) found.push({ name: child, file });
    }
  };
  for (const folder of DOCUMENT_FOLDERS) {
    const dir = path.join(dataDir, folder);
    if (fs.existsSync(dir) && fs.lstatSync(dir).isDirectory()) walk(dir, folder);
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** A part name the app would have written: no climbing out, nothing absolute, only known places. */
export function isKnownPart(name: string): boolean {
  if (name.includes('\\') || name.startsWith('/') || name.split('/').some((part) => part === '..' || part === '.' || part === '')) return false;
  return [KEYS_PART, STORE_PART, AUDIT_PART, MANIFEST_PART].includes(name) || DOCUMENT_FOLDERS.some((folder) => name.startsWith(`${folder}/`));
}

export interface ReadPart {
  name: string;
  /** Where a large part was written (restore), or its bytes when kept in memory. */
  bytes: Buffer | null;
  size: number;
  sha256: string;
}

/**
 * Reads an archive's entries in order. `sink(name)` says where a part goes: a file path to
 * stream it into, 'memory' to keep it, or 'discard' to only hash it (verify). Every part is
 * hashed on the way; what the manifest says of them is checked by the caller.
 */
export async function readArchive(source: Readable, sink: (name: string) => string | 'memory' | 'discard'): Promise<ReadPart[]> {
  const extract = tar.extract();
  const parts: ReadPart[] = [];
  source.on('error', (error) => extract.destroy(error));
  source.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract as unknown as AsyncIterable<EntryStream & { header: { name: string; type?: string | null } }>) {
    const name = entry.header.name;
    if (entry.header.type !== 'file' || !isKnownPart(name) || parts.some((part) => part.name === name)) {
      throw new AppError('BACKUP_CORRUPT', `The backup holds an entry DSR Desk never writes (${JSON.stringify(name.slice(0, 80))}); it was not made by DSR Desk or was altered. Nothing was written.`);
    }
    const target = sink(name);
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    const fd = target !== 'memory' && target !== 'discard' ? fs.openSync(target, 'wx', 0o600) : null;
    try {
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        if (fd !== null) fs.writeSync(fd, chunk);
        else if (target === 'memory') chunks.push(chunk);
      }
      if (fd !== null) fs.fsyncSync(fd);
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    parts.push({ name, bytes: target === 'memory' ? Buffer.concat(chunks) : null, size, sha256: hash.digest('hex') });
  }
  return parts;
}
