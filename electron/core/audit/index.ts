import { createHash } from 'node:crypto';
import type { Db } from '../store/database';

// The tamper-evident audit log. Each entry's hash is SHA-256 over a canonical encoding of its
// fields and its predecessor's hash, so changing, removing or reordering any entry breaks the chain
// from there on; triggers refuse UPDATE and DELETE outright. Entries name requests by ID and carry
// no subject data: the register holds what a request needs, and the log points at it.

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  actor: string;
  action: string;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  request_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: one encoding per value, whoever wrote it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function hashOf(row: Omit<AuditRow, 'hash'>): string {
  const { seq, at, actor, action, request_id, details, prev_hash } = row;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, request_id, details: JSON.parse(details), prev_hash })).digest('hex');
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /** Appends one entry; call it inside the transaction of the change it records. */
  append(entry: AuditEntryInput): { seq: number; hash: string } {
    const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: this.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      request_id: entry.requestId ?? null,
      details: canonicalJson(entry.details ?? {}),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = hashOf(row);
    this.db
      .prepare('INSERT INTO audit_log (seq, at, actor, action, request_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.seq, row.at, row.actor, row.action, row.request_id, row.details, row.prev_hash, hash);
    return { seq: row.seq, hash };
  }

  /** Walks the chain from the first entry; `first_bad` is the seq of the first entry that doesn't hold. */
  verify(): { ok: boolean; entries: number; head: string; first_bad: number | null } {
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      entries++;
      let intact: boolean;
      try {
        intact = row.seq === expectedSeq && row.prev_hash === expectedPrev && hashOf(row) === row.hash;
      } catch {
        intact = false; // details no longer JSON
      }
      if (!intact) return { ok: false, entries, head: expectedPrev, first_bad: row.seq };
      expectedPrev = row.hash;
      expectedSeq++;
    }
    return { ok: true, entries, head: expectedPrev, first_bad: null };
  }
}
