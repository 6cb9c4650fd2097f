import type { Migration } from './index';

/**
 * A request is about a person, who may have used several addresses (issue 28). Each address of a
 * request gets a row of its own, sealed and keyed-hashed like the request's first one, with its own
 * identity check. The requests table keeps its first address (subject_email, subject_hash) as the
 * primary one, so every reader of it stays right. A name match the DPO accepted or dismissed is
 * remembered, so a dismissed one is not offered again. A job step names the address it acts for
 * by its keyed hash (NULL: the request's first address, as before this migration, or every
 * address, for a sweep of Zoom's lists).
 */
export const severalAddresses: Migration = {
  version: 180,
  name: 'several-addresses',
  up(db) {
    db.exec(`
      CREATE TABLE request_addresses (
        request_id      TEXT NOT NULL REFERENCES requests (id),
        position        INTEGER NOT NULL,
        email           TEXT,
        masked          TEXT NOT NULL,
        subject_hash    TEXT NOT NULL,
        via             TEXT NOT NULL CHECK (via IN ('filed', 'added', 'suggestion')),
        added_by        TEXT NOT NULL,
        added_at        TEXT NOT NULL,
        identity_method TEXT,
        identity_by     TEXT,
        identity_at     TEXT,
        PRIMARY KEY (request_id, position),
        UNIQUE (request_id, subject_hash)
      ) STRICT;
      CREATE INDEX request_addresses_by_hash ON request_addresses (subject_hash);

      INSERT INTO request_addresses (request_id, position, email, masked, subject_hash, via, added_by, added_at, identity_method, identity_by, identity_at)
      SELECT q.id, 0, q.subject_email, coalesce(q.subject_masked, '***'), q.subject_hash, 'filed',
             coalesce((SELECT e.actor FROM request_events e WHERE e.request_id = q.id AND e.action = 'filed'), ''), q.created_at,
             q.identity_method, q.identity_by, q.identity_at
      FROM requests q;

      CREATE TABLE request_suggestions (
        request_id   TEXT NOT NULL REFERENCES requests (id),
        subject_hash TEXT NOT NULL,
        email        TEXT,
        masked       TEXT NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('accepted', 'dismissed')),
        decided_by   TEXT NOT NULL,
        decided_at   TEXT NOT NULL,
        PRIMARY KEY (request_id, subject_hash)
      ) STRICT;

      ALTER TABLE job_actions ADD COLUMN subject_hash TEXT;
    `);
  },
};
