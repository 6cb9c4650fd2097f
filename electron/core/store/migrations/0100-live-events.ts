import type { Migration } from './index';

export const liveEvents: Migration = {
  version: 100,
  name: 'live-events',
  up(db) {
    // A change heard over Zoom's event subscription belongs to no sync run: run_id becomes optional
    // and `via` says how the change was observed ('sync': lists and read-backs of a run; 'event':
    // applied as Zoom's event arrived). SQLite changes a column's NOT NULL only by a rebuilt table;
    // no other table refers to this one.
    db.exec(`
      CREATE TABLE registrant_changes_new (
        id             INTEGER PRIMARY KEY,
        registrant_row INTEGER NOT NULL REFERENCES registrants (id),
        webinar_id     TEXT NOT NULL,
        run_id         INTEGER REFERENCES sync_runs (id),
        kind           TEXT NOT NULL CHECK (kind IN ('registered', 'approved', 'denied', 'host_cancelled', 'self_cancelled', 'deleted_outside', 'deleted', 'deleted_by_request', 'returned_to_pending')),
        from_status    TEXT,
        to_status      TEXT,
        observed_at    TEXT NOT NULL,
        request_id     TEXT,
        evidence       TEXT,
        via            TEXT NOT NULL DEFAULT 'sync' CHECK (via IN ('sync', 'event')),
        CHECK ((via = 'sync') = (run_id IS NOT NULL))
      ) STRICT;
      INSERT INTO registrant_changes_new (id, registrant_row, webinar_id, run_id, kind, from_status, to_status, observed_at, request_id, evidence)
        SELECT id, registrant_row, webinar_id, run_id, kind, from_status, to_status, observed_at, request_id, evidence FROM registrant_changes;
      DROP TABLE registrant_changes;
      ALTER TABLE registrant_changes_new RENAME TO registrant_changes;
      CREATE INDEX registrant_changes_by_registrant ON registrant_changes (registrant_row);
      CREATE INDEX registrant_changes_by_run ON registrant_changes (run_id, kind);
    `);
  },
};
