import type { z } from 'zod';
import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
import { CHANGE_KINDS, type ChangeKind } from '../../../shared/changes';
import type { EventKind } from '../../../shared/events';
import type { EventListInput, LiveStatus, MirrorOverview, MirrorOverviewInput, WebinarList } from '../../../shared/mirror';
import { accountRows, checkAccountFilter, disconnectedAccountNames, EVENTS_OF_ACCOUNT } from './accounts';
import type { Db } from './database';
import { REPORT_TABLES, type ReportSource } from './report-sources';

// The mirror summed up: its events with their counts, and the overview's figures, each of every
// account or narrowed to one (several Zoom accounts in one desk).

const RECORD_KEYS: Record<ReportSource, keyof z.output<typeof WebinarList>['webinars'][number]['records']> = {
  participant: 'participants',
  absentee: 'absentees',
  qa: 'qa',
  poll: 'polls',
  survey: 'survey',
  panelist: 'panelists',
};

/** The events of one kind, each with its registrants by state, its report records counted and the account hosting it. */
export function listEvents(db: Db, kind: EventKind, input: z.output<typeof EventListInput> = {}): z.output<typeof WebinarList>['webinars'] {
  checkAccountFilter(db, input.account);
  const ofAccount = input.account === undefined ? '' : ' AND account = ?';
  const webinars = db
    .prepare(`SELECT id, topic, start_time, type, deleted_at, last_synced_at, account FROM events WHERE kind = ?${ofAccount} ORDER BY start_time DESC, id`)
    .all(kind, ...(input.account === undefined ? [] : [input.account])) as {
    id: string;
    topic: string | null;
    start_time: string | null;
    type: number | null;
    deleted_at: string | null;
    last_synced_at: string | null;
    account: string;
  }[];
  const disconnected = disconnectedAccountNames(db);
  const statusCounts = db.prepare(
    `SELECT sum(present AND status = 'approved') AS approved, sum(present AND status = 'pending') AS pending,
            sum(present AND status = 'denied') AS denied, sum(NOT present) AS gone, sum(suppressed) AS suppressed
     FROM registrants WHERE event_id = ?`,
  );
  const recordCounts = (Object.entries(REPORT_TABLES) as [ReportSource, (typeof REPORT_TABLES)[ReportSource]][]).map(([source, { table }]) => ({
    source,
    count: db.prepare(`SELECT count(*) AS n, coalesce(sum(suppressed), 0) AS suppressed FROM ${table} WHERE event_id = ?`),
  }));
  return webinars.map((w) => {
    const counts = statusCounts.get(w.id) as Record<string, number | null>;
    let suppressed = counts.suppressed ?? 0;
    const records = { participants: 0, absentees: 0, qa: 0, polls: 0, survey: 0, panelists: 0 };
    for (const { source, count } of recordCounts) {
      const row = count.get(w.id) as { n: number; suppressed: number };
      records[RECORD_KEYS[source]] = row.n;
      suppressed += row.suppressed;
    }
    return {
      id: w.id,
      event_type: kind,
      topic: w.topic,
      start_time: w.start_time,
      type: w.type,
      deleted: w.deleted_at !== null,
      last_synced_at: w.last_synced_at,
      registrants: { approved: counts.approved ?? 0, pending: counts.pending ?? 0, denied: counts.denied ?? 0, gone: counts.gone ?? 0 },
      records,
      suppressed_rows: suppressed,
      account: w.account,
      account_disconnected: disconnected.has(w.account),
    };
  });
}

/**
 * The changes since the last completed sync began, by kind: what that sync found, and what was
 * heard (events) or done (a request's job) since; the registrants by state; and each account's
 * last sync and live state. With an account, the sync is that account's last and the counts its events'.
 */
export function mirrorOverview(db: Db, input: z.output<typeof MirrorOverviewInput>, liveOf: (account: string) => LiveStatus['state'] | null): z.output<typeof MirrorOverview> {
  const { account } = input;
  checkAccountFilter(db, account);
  const ofAccount = account === undefined ? { runs: '', rows: '', params: [] } : { runs: ' AND account = ?', rows: ` AND event_id IN (${EVENTS_OF_ACCOUNT})`, params: [account] };
  const run = db.prepare(`SELECT id, started_at, finished_at FROM sync_runs WHERE status = 'completed'${ofAccount.runs} ORDER BY id DESC LIMIT 1`).get(...ofAccount.params) as
    { id: number; started_at: string; finished_at: string | null } | undefined;
  let lastSync: z.output<typeof MirrorOverview>['last_sync'] = null;
  if (run) {
    const changes = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, 0])) as Record<ChangeKind, number>;
    // Changes heard or done since name no run; narrowed to the account through their registrant's event.
    const heard = account === undefined ? '' : ` AND registrant_row IN (SELECT id FROM registrants WHERE 1${ofAccount.rows})`;
    const counted = db
      .prepare(
        `SELECT kind, count(*) AS n FROM registrant_changes WHERE run_id = ? GROUP BY kind
         UNION ALL SELECT kind, count(*) AS n FROM registrant_changes WHERE run_id IS NULL AND observed_at >= ?${heard} GROUP BY kind`,
      )
      .all(run.id, run.started_at, ...ofAccount.params) as { kind: ChangeKind; n: number }[];
    for (const row of counted) changes[row.kind] += row.n;
    lastSync = { run_id: run.id, started_at: run.started_at, finished_at: run.finished_at, changes };
  }
  const counts = db
    .prepare(
      `SELECT sum(present = 1 AND status = 'approved') AS approved, sum(present = 1 AND status = 'pending') AS pending, sum(present = 1 AND status = 'denied') AS denied,
              sum(present = 0) AS gone, sum(suppressed = 1) AS erased FROM registrants WHERE 1${ofAccount.rows}`,
    )
    .get(...ofAccount.params) as Record<string, number | null>;
  const n = (key: string) => counts[key] ?? 0;
  const accounts = accountRows(db)
    .filter((row) => account === undefined || row.name === account)
    .map((row) => ({
      name: row.name,
      account_id: row.account_id,
      last_sync_at: row.last_sync_at,
      disconnected_at: row.disconnected_at,
      // An account without an event subscription is read by sync alone (null); live/subscription.ts says the others' state.
      live: row.disconnected_at === null ? liveOf(row.name) : null,
    }));
  return { last_sync: lastSync, registrants: { approved: n('approved'), pending: n('pending'), denied: n('denied'), gone: n('gone'), erased: n('erased') }, accounts };
}
