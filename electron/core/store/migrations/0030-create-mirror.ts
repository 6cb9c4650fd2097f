import type { Migration } from './index';

// The mirror of what Zoom holds. Zoom's IDs are kept as TEXT (webinar IDs are int64). Every table
// that carries an address also carries it normalised (trimmed, case-folded) in `email_norm`,
// indexed, so a subject lookup never scans. Rows of a suppressed subject (erased by a request) keep
// only Zoom's keys and `suppressed = 1`: the DPO sees that Zoom still holds something.
const PERSON = `email TEXT, email_norm TEXT, suppressed INTEGER NOT NULL DEFAULT 0 CHECK (suppressed IN (0, 1))`;
// Report rows are replaced per webinar instance on each pass; `ordinal` is the row's position in
// Zoom's answer, so a pass resumed after a crash overwrites rows instead of adding them twice.
const REPORT_KEY = `webinar_id TEXT NOT NULL REFERENCES webinars (id), instance_uuid TEXT NOT NULL, ordinal INTEGER NOT NULL, last_seen_run INTEGER NOT NULL`;

export const createMirror: Migration = {
  version: 30,
  name: 'create-mirror',
  up(db) {
    db.exec(`
      CREATE TABLE sync_runs (
        id               INTEGER PRIMARY KEY,
        mode             TEXT NOT NULL CHECK (mode IN ('full', 'incremental', 'webinar')),
        scope_webinar_id TEXT,
        status           TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed', 'abandoned')),
        started_at       TEXT NOT NULL,
        finished_at      TEXT,
        planned          INTEGER,
        error_code       TEXT
      ) STRICT;

      -- A run's plan, written once discovery is done, so a resumed run skips finished webinars.
      CREATE TABLE sync_run_webinars (
        run_id     INTEGER NOT NULL REFERENCES sync_runs (id),
        webinar_id TEXT NOT NULL,
        position   INTEGER NOT NULL,
        done_at    TEXT,
        PRIMARY KEY (run_id, webinar_id)
      ) STRICT;

      CREATE TABLE webinars (
        id                TEXT PRIMARY KEY,
        uuid              TEXT,
        host_id           TEXT,
        host_email        TEXT,
        topic             TEXT,
        type              INTEGER,
        start_time        TEXT,
        duration          INTEGER,
        timezone          TEXT,
        agenda            TEXT,
        created_at        TEXT,
        join_url          TEXT,
        approval_type     INTEGER,
        registration_type INTEGER,
        first_seen_at     TEXT NOT NULL,
        last_listed_at    TEXT,
        last_synced_at    TEXT,
        last_synced_run   INTEGER,
        deleted_at        TEXT
      ) STRICT;

      CREATE TABLE occurrences (
        webinar_id    TEXT NOT NULL REFERENCES webinars (id),
        occurrence_id TEXT NOT NULL,
        start_time    TEXT,
        duration      INTEGER,
        status        TEXT,
        PRIMARY KEY (webinar_id, occurrence_id)
      ) STRICT;

      -- Past instances of a webinar (one per session held); report data hangs off these.
      CREATE TABLE webinar_instances (
        webinar_id        TEXT NOT NULL REFERENCES webinars (id),
        uuid              TEXT NOT NULL,
        start_time        TEXT,
        reports_synced_at TEXT,
        PRIMARY KEY (webinar_id, uuid)
      ) STRICT;

      CREATE TABLE registrants (
        id                       INTEGER PRIMARY KEY,
        webinar_id               TEXT NOT NULL REFERENCES webinars (id),
        registrant_id            TEXT NOT NULL,
        ${PERSON},
        first_name               TEXT,
        last_name                TEXT,
        address                  TEXT,
        city                     TEXT,
        state                    TEXT,
        zip                      TEXT,
        country                  TEXT,
        phone                    TEXT,
        industry                 TEXT,
        org                      TEXT,
        job_title                TEXT,
        purchasing_time_frame    TEXT,
        role_in_purchase_process TEXT,
        no_of_employees          TEXT,
        comments                 TEXT,
        custom_questions         TEXT,
        language                 TEXT,
        create_time              TEXT,
        -- The status at the last sync that listed it; with present = 0 the last status it had.
        status                   TEXT NOT NULL CHECK (status IN ('approved', 'pending', 'denied')),
        present                  INTEGER NOT NULL CHECK (present IN (0, 1)),
        first_seen_at            TEXT NOT NULL,
        last_seen_at             TEXT NOT NULL,
        last_seen_run            INTEGER NOT NULL,
        -- Set by an erasure job that deleted it on Zoom, so the next sync says who removed it.
        deleted_by_request       TEXT,
        -- An earlier registration of the same address for the same webinar (cancelled, registered again).
        previous_id              INTEGER REFERENCES registrants (id),
        UNIQUE (webinar_id, registrant_id)
      ) STRICT;
      CREATE INDEX registrants_by_email ON registrants (email_norm);
      CREATE INDEX registrants_by_previous ON registrants (previous_id) WHERE previous_id IS NOT NULL;

      -- Occurrences a registrant was listed under, for webinars where people register per occurrence.
      CREATE TABLE registrant_occurrences (
        registrant_row INTEGER NOT NULL REFERENCES registrants (id),
        occurrence_id  TEXT NOT NULL,
        PRIMARY KEY (registrant_row, occurrence_id)
      ) STRICT, WITHOUT ROWID;

      -- One row each time a sync sees a registrant in another state than the sync before (the first
      -- sighting included), with its classification (shared/changes.ts): the status seen at every
      -- sync, stored only where it changed.
      CREATE TABLE registrant_changes (
        id             INTEGER PRIMARY KEY,
        registrant_row INTEGER NOT NULL REFERENCES registrants (id),
        webinar_id     TEXT NOT NULL,
        run_id         INTEGER NOT NULL REFERENCES sync_runs (id),
        kind           TEXT NOT NULL CHECK (kind IN ('registered', 'approved', 'denied', 'host_cancelled', 'self_cancelled', 'deleted', 'deleted_by_request', 'returned_to_pending')),
        from_status    TEXT,
        to_status      TEXT,
        observed_at    TEXT NOT NULL,
        request_id     TEXT
      ) STRICT;
      -- By registrant only: a webinar's changes are found through its registrants, and a second
      -- index here would cost every ingested row another index write.
      CREATE INDEX registrant_changes_by_registrant ON registrant_changes (registrant_row);

      CREATE TABLE participants (
        ${REPORT_KEY},
        participant_id TEXT,
        user_id        TEXT,
        registrant_id  TEXT,
        name           TEXT,
        ${PERSON},
        join_time      TEXT,
        leave_time     TEXT,
        duration       INTEGER,
        status         TEXT,
        PRIMARY KEY (webinar_id, instance_uuid, ordinal)
      ) STRICT;

      CREATE TABLE absentees (
        ${REPORT_KEY},
        registrant_id TEXT,
        first_name    TEXT,
        last_name     TEXT,
        ${PERSON},
        details       TEXT,
        PRIMARY KEY (webinar_id, instance_uuid, ordinal)
      ) STRICT;

      CREATE TABLE qa_questions (
        ${REPORT_KEY},
        name            TEXT,
        ${PERSON},
        user_id         TEXT,
        question        TEXT,
        question_id     TEXT,
        create_time     TEXT,
        question_status TEXT,
        answers         TEXT,
        PRIMARY KEY (webinar_id, instance_uuid, ordinal)
      ) STRICT;

      CREATE TABLE poll_answers (
        ${REPORT_KEY},
        name       TEXT,
        first_name TEXT,
        last_name  TEXT,
        ${PERSON},
        question   TEXT,
        answer     TEXT,
        polling_id TEXT,
        date_time  TEXT,
        PRIMARY KEY (webinar_id, instance_uuid, ordinal)
      ) STRICT;

      CREATE TABLE survey_answers (
        ${REPORT_KEY},
        name        TEXT,
        first_name  TEXT,
        last_name   TEXT,
        ${PERSON},
        question    TEXT,
        question_id TEXT,
        answer      TEXT,
        date_time   TEXT,
        PRIMARY KEY (webinar_id, instance_uuid, ordinal)
      ) STRICT;

      -- Panelists belong to the webinar, not an instance: instance_uuid is ''.
      CREATE TABLE panelists (
        ${REPORT_KEY},
        panelist_id TEXT,
        name        TEXT,
        ${PERSON},
        PRIMARY KEY (webinar_id, instance_uuid, ordinal)
      ) STRICT;

      CREATE INDEX participants_by_email ON participants (email_norm);
      CREATE INDEX absentees_by_email ON absentees (email_norm);
      CREATE INDEX qa_questions_by_email ON qa_questions (email_norm);
      CREATE INDEX poll_answers_by_email ON poll_answers (email_norm);
      CREATE INDEX survey_answers_by_email ON survey_answers (email_norm);
      CREATE INDEX panelists_by_email ON panelists (email_norm);

      -- Subjects erased by a request: a keyed hash (HMAC-SHA-256, key in the keychain) of the
      -- normalised address, so the list itself reveals no address.
      CREATE TABLE suppressed_subjects (
        subject_hash TEXT PRIMARY KEY,
        request_id   TEXT,
        added_at     TEXT NOT NULL
      ) STRICT;
    `);
  },
};
