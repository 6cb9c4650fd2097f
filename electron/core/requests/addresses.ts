import type { RequestDetail } from '../../../shared/requests';
import type { Db } from '../store/database';

// The addresses of a request's person (request_addresses) and the DPO's decisions on name matches
// (request_suggestions): the one writer of both tables. The register (register.ts) decides when
// each write happens, inside its own transaction with the timeline event and the audit entry.
// Addresses are sealed at rest (sealed-address.ts) and found by their keyed hash.

export interface AddressRow {
  request_id: string;
  position: number;
  /** Sealed; null once purged. */
  email: string | null;
  masked: string;
  subject_hash: string;
  via: RequestDetail['addresses'][number]['via'];
  added_by: string;
  added_at: string;
  identity_method: string | null;
  identity_by: string | null;
  identity_at: string | null;
}

export interface DecisionRow {
  subject_hash: string;
  email: string | null;
  masked: string;
  state: 'accepted' | 'dismissed';
  decided_by: string;
  decided_at: string;
}

export function addressRows(db: Db, requestId: string): AddressRow[] {
  return db.prepare('SELECT * FROM request_addresses WHERE request_id = ? ORDER BY position').all(requestId) as AddressRow[];
}

/** The requests one of whose addresses has this keyed hash (by its index). */
export function requestsWithAddress(db: Db, subjectHash: string): string[] {
  return db.prepare('SELECT DISTINCT request_id FROM request_addresses WHERE subject_hash = ?').pluck().all(subjectHash) as string[];
}

export function insertAddress(db: Db, row: Omit<AddressRow, 'position' | 'identity_method' | 'identity_by' | 'identity_at'>): void {
  db.prepare(
    `INSERT INTO request_addresses (request_id, position, email, masked, subject_hash, via, added_by, added_at)
     VALUES (?, (SELECT coalesce(max(position) + 1, 0) FROM request_addresses WHERE request_id = ?), ?, ?, ?, ?, ?, ?)`,
  ).run(row.request_id, row.request_id, row.email, row.masked, row.subject_hash, row.via, row.added_by, row.added_at);
}

export function recordAddressIdentity(db: Db, requestId: string, subjectHash: string, method: string, by: string, at: string): void {
  db.prepare('UPDATE request_addresses SET identity_method = ?, identity_by = ?, identity_at = ? WHERE request_id = ? AND subject_hash = ?').run(method, by, at, requestId, subjectHash);
}

/** The full addresses go (the masked ones and the keyed hashes stay), from the list and from the decisions on suggestions. */
export function purgeAddressesOf(db: Db, requestId: string): void {
  db.prepare('UPDATE request_addresses SET email = NULL WHERE request_id = ?').run(requestId);
  db.prepare('UPDATE request_suggestions SET email = NULL WHERE request_id = ?').run(requestId);
}

/** Retention: how each identity was checked is free text, purged with the request's other free text. */
export function purgeIdentityMethodsOf(db: Db, requestId: string): void {
  db.prepare('UPDATE request_addresses SET identity_method = NULL WHERE request_id = ?').run(requestId);
}

export function decisionRows(db: Db, requestId: string): DecisionRow[] {
  return db
    .prepare('SELECT subject_hash, email, masked, state, decided_by, decided_at FROM request_suggestions WHERE request_id = ? ORDER BY decided_at, subject_hash')
    .all(requestId) as DecisionRow[];
}

export function recordDecision(db: Db, requestId: string, row: DecisionRow): void {
  db.prepare('INSERT INTO request_suggestions (request_id, subject_hash, email, masked, state, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    requestId,
    row.subject_hash,
    row.email,
    row.masked,
    row.state,
    row.decided_by,
    row.decided_at,
  );
}

/** The detail's view of the addresses, each unsealed by `unseal` (null once purged). */
export function addressesOf(rows: AddressRow[], unseal: (sealed: string) => string): RequestDetail['addresses'] {
  return rows.map((row) => ({
    email: row.email === null ? null : unseal(row.email),
    masked: row.masked,
    subject_hash: row.subject_hash,
    via: row.via,
    added_by: row.added_by,
    added_at: row.added_at,
    identity: row.identity_at ? { method: row.identity_method ?? '(purged)', by: row.identity_by ?? '', at: row.identity_at } : null,
  }));
}
