import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { writeAtomically } from '../files';
import { createLogger } from '../log';
import type { Db } from '../store/database';
import type { z } from 'zod';
import type { AUDIT_FINDINGS, AuditEntry, AuditListInput, AuditPage } from '../../../shared/audit';

// The tamper-evident audit log. Each entry's hash is SHA-256 over a canonical encoding of its
// fields and its predecessor's hash, so changing, removing or reordering any entry breaks the chain
// from there on; triggers refuse UPDATE and DELETE outright. Entries name requests by ID and carry
// no subject data: the register holds what a request needs, and the log points at it.
//
// A chain alone can't show that its tail was cut off, or that an older copy of the database was
// put back: the anchor (entry count and head hash) is kept outside the database, in the keychain,
// after every commit, and printed on every document the app writes.

export const GENESIS_HASH = '0'.repeat(64);

const log = createLogger('audit');

export interface AuditEntryInput {
  actor: string;
  action: string;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  request_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The chain's head as last committed: how many entries, and the last one's hash. */
export interface AuditAnchor {
  entries: number;
  head: string;
  at: string;
}

/** Where the anchor lives outside the database (the keychain, in the app). */
export interface AnchorStore {
  read(): Promise<string | null>;
  write(anchor: string): Promise<void>;
  /**
   * Runs `update` while no other process on this data folder updates the anchor: a read of the
   * anchor and the write after it must not interleave with another's, or an older head written
   * last would leave the anchor behind its log.
   */
  exclusive<T>(update: () => Promise<T>): Promise<T>;
}

export type AuditFinding = (typeof AUDIT_FINDINGS)[number];

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  head: string;
  first_bad: number | null;
  anchor: AuditAnchor | null;
  /** What was found, for a reader in any language: the message says it in English. */
  finding: AuditFinding;
  message: string;
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

/** The recipe docs/architecture.md documents: SHA-256 (hex) of the canonical JSON of the entry's fields but its hash, details as a JSON object. */
export function entryHash(row: Omit<AuditRow, 'hash'>): string {
  const { seq, at, actor, action, request_id, details, prev_hash } = row;
  return createHash('sha256')
    .update(canonicalJson({ seq, at, actor, action, request_id, details: JSON.parse(details), prev_hash }))
    .digest('hex');
}

/** One entry as `audit export` writes it: canonical JSON, details as an object, with its hash. */
export function auditLine(row: AuditRow): string {
  return canonicalJson({ ...row, details: JSON.parse(row.details) });
}

/** Recomputes a chain from `audit export` lines (a backup's audit.jsonl), as the documented recipe does. */
export function checkAuditLines(text: string): { ok: boolean; entries: number; head: string; first_bad: number | null } {
  let prev = GENESIS_HASH;
  let entries = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    entries++;
    try {
      const { hash, ...entry } = JSON.parse(line) as AuditRow & { details: unknown };
      const row = { ...entry, details: canonicalJson(entry.details) };
      if (row.seq !== entries || row.prev_hash !== prev || entryHash(row) !== hash) return { ok: false, entries, head: prev, first_bad: entries };
      prev = hash;
    } catch {
      return { ok: false, entries, head: prev, first_bad: entries };
    }
  }
  return { ok: true, entries, head: prev, first_bad: null };
}

export class AuditLog {
  private anchoring: Promise<void> = Promise.resolve();
  private anchorScheduled = false;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly anchorStore: AnchorStore | null = null,
  ) {}

  /** Appends one entry; call it inside the transaction of the change it records. */
  append(entry: AuditEntryInput): { seq: number; hash: string } {
    const last = this.head();
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: this.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      request_id: entry.requestId ?? null,
      details: canonicalJson(entry.details ?? {}),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = entryHash(row);
    this.db
      .prepare('INSERT INTO audit_log (seq, at, actor, action, request_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.seq, row.at, row.actor, row.action, row.request_id, row.details, row.prev_hash, hash);
    this.scheduleAnchor();
    return { seq: row.seq, hash };
  }

  /** The anchor as the keychain holds it, or null. */
  async anchor(): Promise<AuditAnchor | null> {
    const raw = await this.anchorStore?.read();
    return raw ? (JSON.parse(raw) as AuditAnchor) : null;
  }

  /** Resolves once every anchor write scheduled so far is done (call before closing). */
  async flush(): Promise<void> {
    while (this.anchorScheduled) await new Promise((resolve) => setImmediate(resolve));
    await this.anchoring;
  }

  /**
   * Walks the chain from the first entry (`first_bad` is the seq of the first entry that doesn't
   * hold), then holds it against the anchor: a log shorter than its anchor was cut or restored
   * from an older copy; one whose entry at the anchor has another hash was replaced.
   */
  async verify(): Promise<AuditVerdict> {
    await this.flush();
    const anchor = await this.anchor();
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    let atAnchor: string | null = null;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      entries++;
      let intact: boolean;
      try {
        intact = row.seq === expectedSeq && row.prev_hash === expectedPrev && entryHash(row) === row.hash;
      } catch {
        intact = false; // details no longer JSON
      }
      if (!intact)
        return { ok: false, entries, head: expectedPrev, first_bad: row.seq, anchor, finding: 'changed', message: `Entry ${row.seq} was changed, removed or reordered: the chain breaks there.` };
      if (anchor && row.seq === anchor.entries) atAnchor = row.hash;
      expectedPrev = row.hash;
      expectedSeq++;
    }
    if (anchor && entries < anchor.entries) {
      return {
        ok: false,
        entries,
        head: expectedPrev,
        first_bad: entries + 1,
        anchor,
        finding: 'cut',
        message: `The log ends at entry ${entries}; its anchor (${anchor.at}) says ${anchor.entries}: entries were cut off, or an older copy of the database was restored.`,
      };
    }
    if (anchor && atAnchor !== anchor.head) {
      return {
        ok: false,
        entries,
        head: expectedPrev,
        first_bad: anchor.entries,
        anchor,
        finding: 'replaced',
        message: `Entry ${anchor.entries} differs from the anchor: the log was replaced by another copy.`,
      };
    }
    if (!anchor && entries > 0 && this.anchorStore) {
      // The anchor is written after the first entry's commit: one missing beside a log that has
      // entries was removed, or the store was put on a keychain that never held it.
      return {
        ok: false,
        entries,
        head: expectedPrev,
        first_bad: null,
        anchor,
        finding: 'unanchored',
        message:
          `The chain of ${entries} entries is intact, but the keychain holds no anchor for it, so a cut tail or an older copy of the database would not show. ` +
          'If this store was just unlocked or restored on this machine, its audit log records that; otherwise the anchor was removed from the keychain.',
      };
    }
    return {
      ok: true,
      entries,
      head: expectedPrev,
      first_bad: null,
      anchor,
      finding: anchor ? 'intact' : 'empty',
      message: anchor ? `Intact, and it matches its anchor (entry ${anchor.entries}).` : 'Intact; the log is empty.',
    };
  }

  /**
   * Writes every entry with its hash, one canonical JSON object a line, for an auditor to
   * recompute (docs/architecture.md: the audit chain). Written to a temp file and renamed, so a failure leaves
   * nothing half-written; an existing file is replaced only with `force`.
   */
  /** One page of the log, newest first, filtered by request, actor or action (or its group: `request` for request.*). */
  list(input: z.output<typeof AuditListInput>): z.output<typeof AuditPage> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (input.request_id) {
      where.push('request_id = ?');
      params.push(input.request_id);
    }
    if (input.actor) {
      where.push('actor = ?');
      params.push(input.actor);
    }
    if (input.action) {
      where.push(`(action = ? OR substr(action, 1, ?) = ?)`);
      params.push(input.action, input.action.length + 1, `${input.action}.`);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db
      .prepare(`SELECT count(*) FROM audit_log ${clause}`)
      .pluck()
      .get(...params) as number;
    const rows = this.db
      .prepare(`SELECT seq, at, actor, action, request_id, details, hash FROM audit_log ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`)
      .all(...params, input.limit, input.offset) as (Omit<z.output<typeof AuditEntry>, 'details'> & { details: string })[];
    const actors = this.db.prepare('SELECT DISTINCT actor FROM audit_log ORDER BY actor LIMIT 200').pluck().all() as string[];
    return { total, entries: rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> })), actors };
  }

  exportTo(file: string, force: boolean): { path: string; entries: number; head: string } {
    let entries = 0;
    let head = GENESIS_HASH;
    const written = writeAtomically(file, force, (out) => {
      for (const row of this.db.prepare('SELECT seq, at, actor, action, request_id, details, prev_hash, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
        fs.writeSync(out, `${auditLine(row)}\n`);
        entries++;
        head = row.hash;
      }
    });
    return { path: written.path, entries, head };
  }

  private head(): { seq: number; hash: string } | undefined {
    return this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  }

  /**
   * After the transaction that appended ends (setImmediate runs after it commits or rolls back),
   * the committed head goes to the anchor store, one write at a time in this process and, through
   * the store's lock, across processes. The head is read under the lock, so whoever writes last
   * writes the newest head there is; the anchor only moves forward, and a log that no longer holds
   * the anchored entry (cut, or an older copy) keeps its anchor: that is the evidence.
   */
  private scheduleAnchor(): void {
    if (!this.anchorStore || this.anchorScheduled) return;
    this.anchorScheduled = true;
    setImmediate(() => {
      this.anchorScheduled = false;
      const store = this.anchorStore!;
      this.anchoring = this.anchoring
        .then(() =>
          store.exclusive(async () => {
            if (!this.db.open) return;
            const head = this.head();
            if (!head) return;
            const current = await this.anchor();
            if (!this.db.open) return;
            const hashAt = this.db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck();
            const continues = !current || (current.entries < head.seq && hashAt.get(current.entries) === current.head);
            if (continues) await store.write(JSON.stringify({ entries: head.seq, head: head.hash, at: this.now().toISOString() } satisfies AuditAnchor));
          }),
        )
        .catch((error: unknown) => log.warn('could not write the audit anchor to the keychain', { error }));
    });
  }
}
