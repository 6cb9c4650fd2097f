import type { Migration } from './index';

// One desk, several Zoom accounts. Each connected account has a name (its credentials are in the
// keychain under that name); every event is hosted by one account, and what hangs off an event
// (its registrants, reports, changes) belongs to that account through it. A sync run and a job's
// step name the account they read or act on. What was mirrored before is the `default` account's.
export const accounts: Migration = {
  version: 190,
  name: 'accounts',
  up(db) {
    db.exec(`
      CREATE TABLE zoom_accounts (
        name            TEXT PRIMARY KEY,
        account_id      TEXT NOT NULL,
        api_url         TEXT NOT NULL,
        connected_at    TEXT NOT NULL,
        -- Set by disconnect: the credentials are gone, the mirrored records stay (marked) until retention removes them.
        disconnected_at TEXT,
        last_sync_at    TEXT,
        -- The account's own WebSocket event subscription (the default account's stays in settings).
        event_subscription_id TEXT,
        ws_url          TEXT
      ) STRICT;
      ALTER TABLE events ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
      CREATE INDEX events_by_account ON events (account);
      ALTER TABLE sync_runs ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
      ALTER TABLE job_actions ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
    `);
  },
};
