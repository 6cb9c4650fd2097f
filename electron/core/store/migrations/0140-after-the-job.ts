import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './index';

/**
 * Widens a CHECK constraint the way SQLite documents for schema changes ALTER TABLE can't make
 * (https://sqlite.org/lang_altertable.html#otheralter): a new table from the old one's own SQL with
 * the constraint changed, the rows copied, the old table dropped, the new one renamed, its indexes
 * and triggers made again. Runs with foreign keys off (the migration says so); migrate() checks them after.
 */
export function rebuildWithCheck(db: Database, table: string, from: string, to: string): void {
  const schema = (type: string) => db.prepare(`SELECT sql FROM sqlite_schema WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL`).pluck().all(type, table) as string[];
  const [create] = schema('table');
  if (!create?.includes(from)) throw new Error(`migration: ${table}'s schema no longer holds ${from}`);
  const others = [...schema('index'), ...schema('trigger')];
  db.exec(create.replace(new RegExp(`^CREATE TABLE "?${table}"?`), `CREATE TABLE ${table}_rebuilt`).replace(from, to));
  db.exec(`INSERT INTO ${table}_rebuilt SELECT * FROM ${table}; DROP TABLE ${table}; ALTER TABLE ${table}_rebuilt RENAME TO ${table};`);
  for (const sql of others) db.exec(sql);
}

const OLD_STATUSES = `'received', 'identity_verified', 'approved', 'refused', 'running', 'completed', 'partial', 'failed', 'on_hold'`;

export const afterTheJob: Migration = {
  version: 140,
  name: 'after-the-job',
  foreignKeysOff: true,
  up(db) {
    // A request whose job left data with Zoom waits for Zoom's answer to the processor request
    // before it is completed (Art 17(2), 19, 28(3)(e)).
    rebuildWithCheck(db, 'requests', `status IN (${OLD_STATUSES})`, `status IN (${OLD_STATUSES}, 'waiting_for_processor')`);
    // A registration the job deleted and read back as gone is a change the job observed: the mirror
    // records it then ('job'), not only when a later sync misses it (a past webinar's never is).
    rebuildWithCheck(db, 'registrant_changes', `via IN ('sync', 'event')`, `via IN ('sync', 'event', 'job')`);
    db.exec(`
      -- The processor request's life: when it went out, when Zoom must answer, what it answered.
      ALTER TABLE processor_tasks ADD COLUMN sent_at TEXT;
      ALTER TABLE processor_tasks ADD COLUMN due_at TEXT;
      ALTER TABLE processor_tasks ADD COLUMN answered_at TEXT;
      ALTER TABLE processor_tasks ADD COLUMN outcome TEXT CHECK (outcome IN ('erased', 'refused', 'partial'));

      -- Replies that went to the data subject: which document, when, how, and who sent it.
      CREATE TABLE request_replies (
        id          INTEGER PRIMARY KEY,
        request_id  TEXT NOT NULL REFERENCES requests (id),
        document    TEXT NOT NULL CHECK (document IN ('letter', 'package', 'extension')),
        sent_at     TEXT NOT NULL,
        channel     TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'portal')),
        actor       TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX request_replies_by_request ON request_replies (request_id, id);
    `);
  },
};
