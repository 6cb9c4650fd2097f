import type { Migration } from './index';

export const createRequestsAndAudit: Migration = {
  version: 40,
  name: 'create-requests-and-audit',
  up(db) {
    db.exec(`
      -- The request register. subject_email is the normalised address; the retention purge empties
      -- it (and the notes) and keeps subject_hash, dates and outcome (Art 5(2) evidence).
      CREATE TABLE requests (
        id                   TEXT PRIMARY KEY,
        type                 TEXT NOT NULL CHECK (type IN ('access', 'rectification', 'erasure', 'restriction', 'portability', 'objection')),
        subject_email        TEXT,
        subject_hash         TEXT NOT NULL,
        channel              TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'form', 'phone')),
        notes                TEXT,
        received_at          TEXT NOT NULL,
        original_due_at      TEXT NOT NULL,
        due_at               TEXT NOT NULL,
        status               TEXT NOT NULL CHECK (status IN ('received', 'identity_verified', 'approved', 'refused', 'running', 'completed', 'partial', 'failed', 'on_hold')),
        held_from            TEXT,
        hold_reason          TEXT,
        identity_method      TEXT,
        identity_by          TEXT,
        identity_at          TEXT,
        decision_by          TEXT,
        decision_at          TEXT,
        decision_reason      TEXT,
        decision_article     TEXT,
        extended_by          TEXT,
        extended_at          TEXT,
        extension_reason     TEXT,
        extension_notified_at TEXT,
        closed_at            TEXT,
        purged_at            TEXT,
        created_at           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX requests_by_status ON requests (status, due_at);

      -- Every change of a request: who, when, why.
      CREATE TABLE request_events (
        id          INTEGER PRIMARY KEY,
        request_id  TEXT NOT NULL REFERENCES requests (id),
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        from_status TEXT,
        to_status   TEXT,
        reason      TEXT
      ) STRICT;
      CREATE INDEX request_events_by_request ON request_events (request_id, id);

      -- Append-only, hash-chained: each entry holds its predecessor's hash (audit/index.ts).
      CREATE TABLE audit_log (
        seq        INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        request_id TEXT,
        details    TEXT NOT NULL,
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries are never changed'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries are never deleted'); END;
    `);
  },
};
