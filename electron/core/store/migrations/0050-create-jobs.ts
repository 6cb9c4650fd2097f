import type { Migration } from './index';

export const createJobs: Migration = {
  version: 50,
  name: 'create-jobs',
  up(db) {
    db.exec(`
      -- The job journal: one row per action of a planned step. It keeps the IDs a retry needs
      -- (webinar, registrant, occurrence), never the subject's data. A remote action is 'intended'
      -- before its call and 'done' or 'failed' after; 'intended' found on a restart means the
      -- outcome is unknown, and Zoom is read back before anything is sent again.
      CREATE TABLE job_actions (
        id            INTEGER PRIMARY KEY,
        request_id    TEXT NOT NULL REFERENCES requests (id),
        step          INTEGER NOT NULL,
        webinar_id    TEXT NOT NULL,
        registrant_id TEXT,
        occurrence_id TEXT,
        source        TEXT NOT NULL,
        action        TEXT NOT NULL CHECK (action IN ('anonymize_local', 'cancel', 'delete', 'verify', 'collect')),
        state         TEXT NOT NULL CHECK (state IN ('pending', 'intended', 'done', 'skipped', 'failed')),
        http_status   INTEGER,
        zoom_code     INTEGER,
        message       TEXT,
        at            TEXT,
        UNIQUE (request_id, step, action)
      ) STRICT;

      CREATE TABLE job_runs (
        request_id TEXT PRIMARY KEY REFERENCES requests (id),
        planned_at TEXT NOT NULL,
        notes      TEXT NOT NULL,
        residual   TEXT NOT NULL,
        resume_at  TEXT
      ) STRICT;

      -- Records Zoom's API can't erase, put to Zoom as processor (Art 28(3)(e), Art 19): tracked until answered.
      CREATE TABLE processor_tasks (
        id         INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE REFERENCES requests (id),
        processor  TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('open', 'sent', 'answered', 'closed')),
        letter     TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
