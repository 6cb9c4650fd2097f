import type { z } from 'zod';
import type { ChangeKind } from '../../../shared/changes';
import type { GoneKind, SubjectRecord } from '../../../shared/jobs';
import { normaliseEmail } from '../../../shared/email';
import { AppError } from '../../../shared/errors';
import type { ChangesInput, ChangesPage, FindResult, RegistrantListInput, RegistrantPage, Timeline, TimelineInput } from '../../../shared/mirror';
import { checkAccountFilter, disconnectedAccountNames, EVENTS_OF_ACCOUNT } from './accounts';
import type { Db } from './database';
import { REGISTRANT_PERSONAL_FIELDS } from './registrants';
import { REPORT_TABLES, type ReportSource } from './report-sources';
import { missingSearchIndexes } from './search-indexes';
import { withEventFields } from './event-kinds';

// Reads of the mirror for the contract. Every lookup of a person goes through an email_norm index
// (asserted with EXPLAIN QUERY PLAN in the tests), except in registrants while a first sync loads
// without its search indexes (search-indexes.ts: same answers, slower); lists are paged, so no
// caller holds them whole.

// evidence: how the change was established; a change seen in a list needs no more words than that.
const CHANGE_COLUMNS = `c.id, c.event_id, r.registrant_id, c.kind, c.from_status AS "from", c.to_status AS "to", c.observed_at, c.request_id,
  coalesce(c.evidence, 'seen in Zoom''s ' || c.to_status || ' list') AS evidence, c.via`;

/** The subject lookup, one indexed query per table. Exported so the tests can EXPLAIN each. */
export const FIND_QUERIES: { source: FindResult['matches'][number]['source']; sql: string }[] = [
  { source: 'registrant', sql: 'SELECT event_id, registrant_id, status, present FROM registrants WHERE email_norm = ? ORDER BY event_id, id' },
  ...(Object.entries(REPORT_TABLES) as [ReportSource, (typeof REPORT_TABLES)[ReportSource]][]).map(([source, { table, columns }]) => ({
    source,
    sql: `SELECT event_id, ${columns.includes('registrant_id') ? 'registrant_id' : 'NULL AS registrant_id'}, NULL AS status, 1 AS present
          FROM ${table} WHERE email_norm = ? ORDER BY event_id, instance_uuid, ordinal`,
  })),
];

interface FindRow {
  event_id: string;
  registrant_id: string | null;
  status: FindResult['matches'][number]['status'];
  present: number;
}

const toMatch = (db: Db, email: string, source: FindResult['matches'][number]['source'], row: FindRow): FindResult['matches'][number] =>
  withEventFields(db, {
    email,
    source,
    event_id: row.event_id,
    registrant_id: row.registrant_id,
    status: row.status,
    present: row.present === 1,
  });

export function findSubject(db: Db, email: string): FindResult['matches'] {
  const wanted = normaliseEmail(email);
  return FIND_QUERIES.flatMap(({ source, sql }) => (db.prepare(sql).all(wanted) as FindRow[]).map((row) => toMatch(db, wanted, source, row)));
}

/**
 * Every record of a subject the mirror has ever seen, for a job's plan: by address, and (rows
 * stored without personal data because the subject was erased before and registered again) by
 * the keyed hash. Registrations listed or not, with the occurrences they were listed under.
 */
export function subjectRecords(db: Db, email: string, subjectHash: string): SubjectRecord[] {
  const byAddress = findSubject(db, email);
  const seen = new Set(byAddress.filter((m) => m.source === 'registrant').map((m) => `${m.event_id}:${m.registrant_id}`));
  const byHash = FIND_QUERIES.flatMap(({ source, sql }) =>
    (db.prepare(sql.replace('WHERE email_norm = ?', 'WHERE subject_hash = ? AND email_norm IS NULL')).all(subjectHash) as FindRow[]).map((row) => toMatch(db, normaliseEmail(email), source, row)),
  ).filter((m) => m.source !== 'registrant' || !seen.has(`${m.event_id}:${m.registrant_id}`));
  const details = db.prepare('SELECT id, gone_kind FROM registrants WHERE event_id = ? AND registrant_id = ?');
  const occurrencesOf = db.prepare('SELECT occurrence_id FROM registrant_occurrences WHERE registrant_row = ? ORDER BY occurrence_id').pluck();
  return [...byAddress, ...byHash].map((m) => {
    const row = m.source === 'registrant' && m.registrant_id ? (details.get(m.event_id, m.registrant_id) as { id: number; gone_kind: GoneKind | null }) : undefined;
    return { ...m, gone_kind: row?.gone_kind ?? null, occurrence_ids: row ? (occurrencesOf.all(row.id) as string[]) : [] };
  });
}

export function listChanges(db: Db, input: z.output<typeof ChangesInput>): z.output<typeof ChangesPage> {
  const where = ['c.id > ?'];
  const params: (string | number)[] = [input.after_id];
  const eventId = input.event_id ?? input.webinar_id;
  if (eventId) {
    where.push('c.registrant_row IN (SELECT id FROM registrants WHERE event_id = ?)');
    params.push(eventId);
  }
  if (input.since) {
    where.push('c.observed_at >= ?');
    params.push(new Date(input.since).toISOString());
  }
  const rows = db
    .prepare(`SELECT ${CHANGE_COLUMNS} FROM registrant_changes c JOIN registrants r ON r.id = c.registrant_row WHERE ${where.join(' AND ')} ORDER BY c.id LIMIT ?`)
    .all(...params, input.limit + 1)
    .map((row) => withEventFields(db, row as z.output<typeof ChangesPage>['changes'][number] & { event_id: string })) as z.output<typeof ChangesPage>['changes'];
  const more = rows.length > input.limit;
  const changes = more ? rows.slice(0, input.limit) : rows;
  return { changes, next_after_id: more ? changes[changes.length - 1]!.id : null };
}

const SORT_COLUMNS: Record<z.output<typeof RegistrantListInput>['sort'], string> = {
  create_time: 'r.create_time',
  email: 'r.email_norm',
  last_name: 'r.last_name COLLATE NOCASE',
  status: 'r.status',
  first_seen: 'r.id',
};

const ROW_COLUMNS = `r.id AS row_id, r.event_id, r.registrant_id, r.email, r.first_name, r.last_name, r.status, r.present, r.suppressed, r.create_time,
  lc.kind AS last_kind, lc.observed_at AS last_observed_at, coalesce(r.deleted_by_request, (SELECT s.request_id FROM suppressed_subjects s WHERE s.subject_hash = r.subject_hash)) AS erased_by`;
/** Registrants with their latest change (one lookup through the by-registrant index). */
const ROWS_WITH_LAST_CHANGE = `registrants r LEFT JOIN registrant_changes lc ON lc.id = (SELECT max(c.id) FROM registrant_changes c WHERE c.registrant_row = r.id)`;

interface RawRow {
  row_id: number;
  event_id: string;
  registrant_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  status: 'approved' | 'pending' | 'denied';
  present: number;
  suppressed: number;
  create_time: string | null;
  last_kind: ChangeKind | null;
  last_observed_at: string | null;
  erased_by: string | null;
}

function toRow(db: Db, raw: RawRow, disconnected: Set<string>): z.output<typeof RegistrantPage>['rows'][number] {
  const row = withEventFields(db, {
    event_id: raw.event_id,
    registrant_id: raw.registrant_id,
    email: raw.email,
    first_name: raw.first_name,
    last_name: raw.last_name,
    status: raw.status,
    present: raw.present === 1,
    suppressed: raw.suppressed === 1,
    create_time: raw.create_time,
    last_change: raw.last_kind && raw.last_observed_at ? { kind: raw.last_kind, observed_at: raw.last_observed_at } : null,
    erased_by: raw.erased_by,
  });
  return { ...row, account_disconnected: row.account !== undefined && disconnected.has(row.account) };
}

/** The columns the search box matches from their start, each with its own index (migration 90). */
const SEARCHED_COLUMNS = [
  { column: 'email_norm', index: 'registrants_by_email', normalise: normaliseEmail },
  { column: 'lower(first_name)', index: 'registrants_by_first_name', normalise: (text: string) => text.toLowerCase() },
  { column: 'lower(last_name)', index: 'registrants_by_last_name', normalise: (text: string) => text.toLowerCase() },
] as const;

interface Clause {
  sql: string;
  params: (string | number)[];
}

/** One prefix range per searched column: a range on its index, which LIKE could not use case-insensitively. */
function prefixRanges(search: string): { column: string; sql: string; params: string[] }[] {
  return SEARCHED_COLUMNS.map(({ column, normalise }) => {
    const prefix = normalise(search);
    return { column, sql: `${column} >= ? AND ${column} < ?`, params: [prefix, prefix + '\uffff'] };
  });
}

// The unary + keeps SQLite from preferring the webinar's own index (an equality) to the prefix
// range; an account's events are a small list the range's rows are checked against.
function inWebinar(webinarId: string | undefined, account?: string): Clause {
  const clause: Clause = { sql: '', params: [] };
  if (webinarId) clause.sql += ' AND +event_id = ?';
  if (webinarId) clause.params.push(webinarId);
  if (account) clause.sql += ` AND +event_id IN (${EVENTS_OF_ACCOUNT})`;
  if (account) clause.params.push(account);
  return clause;
}

/**
 * The IDs of rows whose address, first or last name starts with a prefix, optionally in one
 * webinar: three index ranges, for filters the quicker forms below don't cover. Exported for the
 * EXPLAIN test.
 */
export function searchByPrefix(search: string, webinarId: string | undefined, account?: string): Clause {
  const webinar = inWebinar(webinarId, account);
  const parts = prefixRanges(search).map((range) => ({ sql: `SELECT id FROM registrants WHERE ${range.sql}${webinar.sql}`, params: [...range.params, ...webinar.params] }));
  return { sql: parts.map((part) => part.sql).join(' UNION '), params: parts.flatMap((part) => part.params) };
}

/**
 * How many rows a search matches, each once: a row already in an earlier range is left out of the
 * later ones, which the wider indexes answer without a sort or a table row. Exported for the test.
 */
export function countSearchMatches(db: Db, search: string, webinarId: string | undefined, account?: string): number {
  const ranges = prefixRanges(search);
  const webinar = inWebinar(webinarId, account);
  const parts = ranges.map((range, i) => {
    const earlier = ranges.slice(0, i);
    return {
      sql: `(SELECT count(*) FROM registrants WHERE ${range.sql}${webinar.sql}${earlier.map((e) => ` AND (${e.column} IS NULL OR NOT (${e.sql}))`).join('')})`,
      params: [...range.params, ...webinar.params, ...earlier.flatMap((e) => e.params)],
    };
  });
  return db
    .prepare(`SELECT ${parts.map((part) => part.sql).join(' + ')}`)
    .pluck()
    .get(...parts.flatMap((part) => part.params)) as number;
}

/**
 * A page of a search in registration order: the page's rows are among the first offset+limit of
 * each range in that order, so each range gives only those (a bounded sort over its index) and
 * their union is ordered, instead of every match being collected and sorted first.
 */
function searchPageInOrder(search: string, webinarId: string | undefined, account: string | undefined, direction: 'ASC' | 'DESC', limit: number, offset: number): Clause {
  const webinar = inWebinar(webinarId, account);
  const order = `create_time ${direction}, id`;
  const parts = prefixRanges(search).map((range) => ({
    sql: `SELECT * FROM (SELECT id, create_time FROM registrants WHERE ${range.sql}${webinar.sql} ORDER BY ${order} LIMIT ?)`,
    params: [...range.params, ...webinar.params, offset + limit],
  }));
  return { sql: `SELECT id FROM (${parts.map((part) => part.sql).join(' UNION ')}) ORDER BY ${order} LIMIT ? OFFSET ?`, params: [...parts.flatMap((part) => part.params), limit, offset] };
}

/** What the three search indexes take per registrant (measured: 22.7 MiB at 100,000). */
const SEARCH_INDEX_BYTES_PER_ROW = 240;

/**
 * Steps that read the search box's three indexes into SQLite's page cache, one index a step, so a
 * desk's first keystroke finds them decrypted in memory as every later one does. None when the
 * indexes would take more than `budgetBytes` of the cache (a huge mirror: there they would only
 * push out what the window's pages need). Exported for the test.
 */
export function searchIndexWarmUp(db: Db, budgetBytes: number): (() => void)[] {
  const rows = (db.prepare('SELECT max(id) FROM registrants').pluck().get() as number | null) ?? 0;
  if (rows === 0 || rows * SEARCH_INDEX_BYTES_PER_ROW > budgetBytes) return [];
  // INDEXED BY fails loudly if an index were renamed, rather than warming the table instead. One a
  // first sync is loading without (search-indexes.ts) is not there to warm.
  const missing = new Set(missingSearchIndexes(db));
  return SEARCHED_COLUMNS.filter(({ index }) => !missing.has(index)).map(
    ({ index, column }) =>
      () =>
        void db.prepare(`SELECT count(*) FROM registrants INDEXED BY ${index} WHERE ${column} >= ''`).pluck().get(),
  );
}

export function listRegistrants(db: Db, input: z.output<typeof RegistrantListInput>): z.output<typeof RegistrantPage> {
  const direction = input.order === 'desc' ? 'DESC' : 'ASC';
  const orderBy = `ORDER BY ${SORT_COLUMNS[input.sort]} ${direction}, r.id`;
  // The search box alone (the window's keystroke): counted and paged from the prefix indexes.
  const searchAlone = input.search && input.status === 'all' && !input.email_prefix && !input.change_kind ? input.search : null;
  const eventId = input.event_id ?? input.webinar_id;
  const { account } = input;
  checkAccountFilter(db, account);
  const disconnected = disconnectedAccountNames(db);
  const toRows = (rows: RawRow[]) => rows.map((raw) => toRow(db, raw, disconnected));
  if (searchAlone && input.sort === 'create_time') {
    const page = searchPageInOrder(searchAlone, eventId, account, direction, input.limit, input.offset);
    const rows = db.prepare(`SELECT ${ROW_COLUMNS} FROM ${ROWS_WITH_LAST_CHANGE} WHERE r.id IN (${page.sql}) ${orderBy}`).all(...page.params) as RawRow[];
    return { total: input.with_total ? countSearchMatches(db, searchAlone, eventId, account) : null, rows: toRows(rows) };
  }

  const where: string[] = [];
  const params: (string | number)[] = [];
  if (eventId) {
    where.push('r.event_id = ?');
    params.push(eventId);
  }
  if (account) {
    where.push(`r.event_id IN (${EVENTS_OF_ACCOUNT})`);
    params.push(account);
  }
  if (input.status === 'gone') where.push('r.present = 0');
  else if (input.status !== 'all') {
    where.push('r.present = 1 AND r.status = ?');
    params.push(input.status);
  }
  if (input.email_prefix) {
    // A range on the index rather than LIKE, which SQLite can't serve from it case-insensitively.
    const prefix = normaliseEmail(input.email_prefix);
    where.push('r.email_norm >= ? AND r.email_norm < ?');
    params.push(prefix, prefix + '\uffff');
  }
  if (input.search) {
    const search = searchByPrefix(input.search, eventId, account);
    where.push(`r.id IN (${search.sql})`);
    params.push(...search.params);
  }
  if (input.change_kind) {
    where.push('lc.kind = ?');
    params.push(input.change_kind);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const countMatches = (): number => {
    if (searchAlone) return countSearchMatches(db, searchAlone, eventId, account);
    return db
      .prepare(`SELECT count(*) FROM ${input.change_kind ? ROWS_WITH_LAST_CHANGE : 'registrants r'} ${clause}`)
      .pluck()
      .get(...params) as number;
  };
  const total = input.with_total ? countMatches() : null;
  const rows = db.prepare(`SELECT ${ROW_COLUMNS} FROM ${ROWS_WITH_LAST_CHANGE} ${clause} ${orderBy} LIMIT ? OFFSET ?`).all(...params, input.limit, input.offset) as RawRow[];
  return { total, rows: toRows(rows) };
}

export function registrantTimeline(db: Db, input: z.output<typeof TimelineInput>): z.output<typeof Timeline> {
  const eventId = (input.event_id ?? input.webinar_id)!;
  const raw = db.prepare(`SELECT ${ROW_COLUMNS}, r.previous_id FROM ${ROWS_WITH_LAST_CHANGE} WHERE r.event_id = ? AND r.registrant_id = ?`).get(eventId, input.registrant_id) as
    (RawRow & { previous_id: number | null }) | undefined;
  if (!raw) throw new AppError('NOT_FOUND', `The mirror holds no registrant ${input.registrant_id} for event ${eventId}. Check both IDs, or run a sync first.`);
  const fields = db.prepare(`SELECT ${REGISTRANT_PERSONAL_FIELDS.join(', ')} FROM registrants WHERE id = ?`).get(raw.row_id) as Record<string, string | null>;

  // The chain of registrations of this address: walk back through previous_id, then forward.
  const chain: number[] = [raw.row_id];
  for (let previous = raw.previous_id; previous !== null && !chain.includes(previous);) {
    chain.unshift(previous);
    previous = (db.prepare('SELECT previous_id FROM registrants WHERE id = ?').get(previous) as { previous_id: number | null }).previous_id;
  }
  for (let next = db.prepare('SELECT id FROM registrants WHERE previous_id = ?').pluck().get(raw.row_id) as number | undefined; next !== undefined && !chain.includes(next);) {
    chain.push(next);
    next = db.prepare('SELECT id FROM registrants WHERE previous_id = ?').pluck().get(next) as number | undefined;
  }
  const changesOf = db.prepare(`SELECT ${CHANGE_COLUMNS} FROM registrant_changes c JOIN registrants r ON r.id = c.registrant_row WHERE c.registrant_row = ? ORDER BY c.id`);
  return {
    registrant: { ...toRow(db, raw, disconnectedAccountNames(db)), fields },
    registrations: chain.map((row) => {
      const changes = changesOf.all(row).map((change) => withEventFields(db, change as { event_id: string })) as z.output<typeof Timeline>['registrations'][number]['changes'];
      const registrantId = changes[0]?.registrant_id ?? (db.prepare('SELECT registrant_id FROM registrants WHERE id = ?').pluck().get(row) as string);
      return { registrant_id: registrantId, changes };
    }),
  };
}
