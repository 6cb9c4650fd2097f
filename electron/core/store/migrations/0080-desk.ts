import type { Migration } from './index';

export const desk: Migration = {
  version: 80,
  name: 'desk',
  up(db) {
    db.exec(`
      -- The window pages one webinar's registrants in registration order; without this a page deep
      -- in a 100,000-row webinar sorts the whole webinar again.
      CREATE INDEX registrants_by_webinar_created ON registrants (webinar_id, create_time);
      -- The webinar list counts each webinar's registrants by state from this index alone (it read
      -- every row of a big webinar: 0.8 s at 100,000).
      CREATE INDEX registrants_by_webinar_state ON registrants (webinar_id, present, status, suppressed);
      -- The window's search box: an address, a first or a last name from its start (names
      -- case-insensitively, ASCII), within one webinar or all, answered from these indexes alone.
      DROP INDEX registrants_by_email;
      CREATE INDEX registrants_by_email ON registrants (email_norm, webinar_id);
      CREATE INDEX registrants_by_first_name ON registrants (lower(first_name), webinar_id);
      CREATE INDEX registrants_by_last_name ON registrants (lower(last_name), webinar_id);
      -- The overview counts the last sync's changes by kind.
      CREATE INDEX registrant_changes_by_run ON registrant_changes (run_id, kind);
      -- What a sync could not read (codes and messages, no personal data), JSON, for the overview.
      ALTER TABLE sync_runs ADD COLUMN warnings TEXT;
    `);
  },
};
