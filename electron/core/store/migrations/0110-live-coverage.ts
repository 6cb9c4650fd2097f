import type { Migration } from './index';

export const liveCoverage: Migration = {
  version: 110,
  name: 'live-coverage',
  up(db) {
    // One row per stretch of time the event subscription was heard without a gap: from the socket's
    // opening until it closed or an event on it could not be applied. `trusted_until` is pushed on by
    // every sign of life (a heartbeat answered), so a watcher that died without a word stops being
    // trusted within a few heartbeats, also by a sync in another process (live/coverage.ts).
    db.exec(`
      CREATE TABLE live_coverage (
        id            INTEGER PRIMARY KEY,
        connected_at  TEXT NOT NULL,
        trusted_until TEXT NOT NULL,
        ended_at      TEXT
      ) STRICT;
      -- How many upcoming webinars a run's plan left out because live events kept them current.
      ALTER TABLE sync_runs ADD COLUMN kept_by_events INTEGER;
    `);
  },
};
