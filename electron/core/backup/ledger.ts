import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { writeBytes } from '../files';
import { eraseSubjectFromMirror } from '../jobs/anonymize';
import type { Db } from '../store/database';
import { REPORT_TABLES } from '../store/report-sources';
import { SuppressionList } from '../store/suppression';
import { decryptBytes, encryptBytes } from './age-stream';

// Erased stays erased, backups included. A backup taken before an erasure still holds the subject,
// so the backup folder keeps an erasure ledger beside the backups: every subject this desk has
// erased, as the keyed hash the suppression list keeps (never an address), with the request and
// the time. It is written anew from the store after every erasure job and every backup; the store's
// suppression list only grows, so the ledger only grows. A restore applies it before the restored
// store is opened: every subject erased after the backup was taken is anonymized again locally.

export const LEDGER_FILE = 'dsr-desk-erasure-ledger.age';

export interface LedgerEntry {
  subject_hash: string;
  request_id: string | null;
  erased_at: string;
  /** Keyed hashes of the full names the subject used, so others' Q&A mentioning them is scrubbed again. */
  name_hashes: string[];
}

function entriesOf(db: Db): LedgerEntry[] {
  const names = new Map<string, string[]>();
  for (const row of db.prepare('SELECT subject_hash, name_hash FROM suppressed_names ORDER BY name_hash').all() as { subject_hash: string; name_hash: string }[]) {
    names.set(row.subject_hash, [...(names.get(row.subject_hash) ?? []), row.name_hash]);
  }
  return (
    db.prepare('SELECT subject_hash, request_id, added_at FROM suppressed_subjects ORDER BY added_at, subject_hash').all() as { subject_hash: string; request_id: string | null; added_at: string }[]
  ).map((row) => ({ subject_hash: row.subject_hash, request_id: row.request_id, erased_at: row.added_at, name_hashes: names.get(row.subject_hash) ?? [] }));
}

/** Writes the ledger into `folder`, encrypted to the same recipients as the backups; returns its path and how many subjects it holds. */
export async function writeLedger(db: Db, folder: string, recipients: string[]): Promise<{ path: string; subjects: number }> {
  const entries = entriesOf(db);
  const lines = entries.map((entry) => JSON.stringify(entry)).join('\n');
  const sealed = await encryptBytes(`${JSON.stringify({ format: 'dsr-desk-erasure-ledger', version: 1 })}\n${lines}\n`, recipients);
  return { path: writeBytes(path.join(folder, LEDGER_FILE), Buffer.from(sealed), true).path, subjects: entries.length };
}

export async function readLedger(file: string, identity: string): Promise<LedgerEntry[]> {
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `There is no erasure ledger at ${file}.`);
  const text = Buffer.from(await decryptBytes(fs.readFileSync(file), identity, file)).toString('utf8');
  const [head, ...lines] = text.split('\n').filter(Boolean);
  try {
    if ((JSON.parse(head ?? '{}') as { format?: string }).format !== 'dsr-desk-erasure-ledger') throw new Error('not a ledger');
    return lines.map((line) => JSON.parse(line) as LedgerEntry);
  } catch {
    throw new AppError('BACKUP_CORRUPT', `${file} is not a DSR Desk erasure ledger. Nothing was written.`);
  }
}

/**
 * Anonymizes again, in a restored store, every subject of the ledgers its suppression list
 * doesn't know: the addresses in the mirror whose keyed hash is in the ledger are found by
 * hashing each distinct address once. Records each in restored_erasures. Returns how many subjects.
 */
export function applyLedger(db: Db, suppressionKey: string, entries: LedgerEntry[], backupTakenAt: string, now: Date): number {
  const known = new Set(db.prepare('SELECT subject_hash FROM suppressed_subjects').pluck().all() as string[]);
  const missing = new Map<string, LedgerEntry>();
  for (const entry of entries) if (!known.has(entry.subject_hash) && !missing.has(entry.subject_hash)) missing.set(entry.subject_hash, entry);
  if (missing.size === 0) return 0;
  const list = SuppressionList.withKey(db, Buffer.from(suppressionKey, 'hex'));
  const addresses = new Map<string, string>();
  for (const table of ['registrants', ...Object.values(REPORT_TABLES).map((t) => t.table)]) {
    for (const email of db.prepare(`SELECT DISTINCT email_norm FROM ${table} WHERE email_norm IS NOT NULL`).pluck().iterate() as IterableIterator<string>) {
      const hash = list.hashOf(email);
      if (missing.has(hash)) addresses.set(hash, email);
    }
  }
  db.transaction(() => {
    const suppress = db.prepare('INSERT OR IGNORE INTO suppressed_subjects (subject_hash, request_id, added_at) VALUES (?, ?, ?)');
    const name = db.prepare('INSERT OR IGNORE INTO suppressed_names (name_hash, subject_hash) VALUES (?, ?)');
    const record = db.prepare('INSERT OR REPLACE INTO restored_erasures (subject_hash, request_id, erased_at, reapplied_at, backup_taken_at) VALUES (?, ?, ?, ?, ?)');
    for (const entry of missing.values()) {
      suppress.run(entry.subject_hash, entry.request_id, entry.erased_at);
      for (const nameHash of entry.name_hashes) name.run(nameHash, entry.subject_hash);
      const email = addresses.get(entry.subject_hash);
      if (email) {
        const erased = eraseSubjectFromMirror(db, email, entry.subject_hash);
        list.addNames(entry.subject_hash, erased.names);
      }
      record.run(entry.subject_hash, entry.request_id, entry.erased_at, now.toISOString(), backupTakenAt);
    }
  })();
  return missing.size;
}
