import type { Migration } from './index';

export const createSettings: Migration = {
  version: 20,
  name: 'create-settings',
  up(db) {
    // One row per setting, value as JSON; validated by shared/settings.ts on the way in and out.
    db.exec(`
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
