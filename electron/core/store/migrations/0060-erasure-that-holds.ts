import type { Migration } from './index';

const REPORT_TABLE_NAMES = ['participants', 'absentees', 'qa_questions', 'poll_answers', 'survey_answers', 'panelists'];

export const erasureThatHolds: Migration = {
  version: 60,
  name: 'erasure-that-holds',
  up(db) {
    db.exec(`
      -- A new change kind (deleted_outside) needs a new CHECK, which SQLite can only get by a rebuilt
      -- table. evidence: how the change was established (a list read, a read-back's answer, a job).
      CREATE TABLE registrant_changes_new (
        id             INTEGER PRIMARY KEY,
        registrant_row INTEGER NOT NULL REFERENCES registrants (id),
        webinar_id     TEXT NOT NULL,
        run_id         INTEGER NOT NULL REFERENCES sync_runs (id),
        kind           TEXT NOT NULL CHECK (kind IN ('registered', 'approved', 'denied', 'host_cancelled', 'self_cancelled', 'deleted_outside', 'deleted', 'deleted_by_request', 'returned_to_pending')),
        from_status    TEXT,
        to_status      TEXT,
        observed_at    TEXT NOT NULL,
        request_id     TEXT,
        evidence       TEXT
      ) STRICT;
      INSERT INTO registrant_changes_new (id, registrant_row, webinar_id, run_id, kind, from_status, to_status, observed_at, request_id, evidence)
        SELECT id, registrant_row, webinar_id, run_id, kind, from_status, to_status, observed_at, request_id, NULL FROM registrant_changes;
      DROP TABLE registrant_changes;
      ALTER TABLE registrant_changes_new RENAME TO registrant_changes;
      CREATE INDEX registrant_changes_by_registrant ON registrant_changes (registrant_row);

      -- What Zoom holds of a registrant no list shows any more, as the last read-back found it:
      -- self_cancelled (GET answers status "all"), deleted_outside (3079), deleted (the webinar), deleted_by_request.
      ALTER TABLE registrants ADD COLUMN gone_kind TEXT CHECK (gone_kind IN ('self_cancelled', 'deleted_outside', 'deleted', 'deleted_by_request'));

      -- Request leases: one runner per job, one sync at a time, across processes (jobs/lease.ts).
      CREATE TABLE leases (
        name        TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        host        TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        acquired_at TEXT NOT NULL,
        renewed_at  TEXT NOT NULL
      ) STRICT;

      -- Keyed hashes of the full names an erased subject used, so that a sync can keep them out of
      -- other people's Q&A text, where no address marks them.
      CREATE TABLE suppressed_names (
        name_hash    TEXT PRIMARY KEY,
        subject_hash TEXT NOT NULL REFERENCES suppressed_subjects (subject_hash)
      ) STRICT;

      -- The sync a job's plan was made from (its evidence), and how the register shows a closed request's subject.
      ALTER TABLE job_runs ADD COLUMN planned_from_run INTEGER;
      ALTER TABLE job_runs ADD COLUMN planned_from_at TEXT;
      ALTER TABLE requests ADD COLUMN subject_masked TEXT;
      ALTER TABLE requests ADD COLUMN address_purged_at TEXT;
    `);
    // Rows of a suppressed subject carry the keyed hash of the address instead of the address, so a
    // later request of the same person finds them (never set while a row holds personal data).
    for (const table of ['registrants', ...REPORT_TABLE_NAMES]) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN subject_hash TEXT;
               CREATE INDEX ${table}_by_subject_hash ON ${table} (subject_hash) WHERE subject_hash IS NOT NULL;`);
    }
  },
};
