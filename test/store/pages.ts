import { createDecipheriv } from 'node:crypto';
import fs from 'node:fs';

// Reads an encrypted database (and its WAL) page by page with the key, as SQLCipher 4 lays them
// out: 4096-byte pages, each AES-256-CBC with its IV in an 80-byte reserve at the end (IV and
// HMAC), page 1 after its 16-byte salt. Used to look for personal data in every page on disk,
// free pages and stale WAL frames included, which no SQL query can show.

const PAGE = 4096;
const RESERVE = 80;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

function decryptPage(page: Buffer, pageNumber: number, key: Buffer): Buffer {
  const start = pageNumber === 1 ? 16 : 0;
  const iv = page.subarray(PAGE - RESERVE, PAGE - RESERVE + 16);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([decipher.update(page.subarray(start, PAGE - RESERVE)), decipher.final()]);
}

/** Every page of the database file and every frame of its WAL, decrypted. */
export function decryptedPages(dbFile: string, hexKey: string): { source: string; page: number; data: Buffer }[] {
  const key = Buffer.from(hexKey, 'hex');
  const out: { source: string; page: number; data: Buffer }[] = [];
  const db = fs.readFileSync(dbFile);
  for (let offset = 0, n = 1; offset + PAGE <= db.length; offset += PAGE, n++) out.push({ source: 'db', page: n, data: decryptPage(db.subarray(offset, offset + PAGE), n, key) });
  const walFile = `${dbFile}-wal`;
  const wal = fs.existsSync(walFile) ? fs.readFileSync(walFile) : Buffer.alloc(0);
  for (let offset = WAL_HEADER; offset + FRAME_HEADER + PAGE <= wal.length; offset += FRAME_HEADER + PAGE) {
    const n = wal.readUInt32BE(offset);
    out.push({ source: 'wal', page: n, data: decryptPage(wal.subarray(offset + FRAME_HEADER, offset + FRAME_HEADER + PAGE), n, key) });
  }
  return out;
}

/** Pages (db or wal) whose bytes hold any of the texts, case-insensitively. */
export function pagesHolding(dbFile: string, hexKey: string, texts: string[]): string[] {
  const wanted = texts.map((t) => t.toLowerCase());
  return decryptedPages(dbFile, hexKey)
    .filter(({ data }) => {
      const text = data.toString('latin1').toLowerCase();
      return wanted.some((w) => text.includes(w));
    })
    .map(({ source, page }) => `${source}:${page}`);
}
