import type { Migration } from './index';

export const createAppMeta: Migration = {
  version: 10,
  name: 'create-app-meta',
  up(db) {
    db.exec(`
      CREATE TABLE app_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
    db.prepare(`INSERT INTO app_meta (key, value) VALUES ('created_at', ?)`).run(new Date().toISOString());
  },
};
