import type { Database } from 'better-sqlite3-multiple-ciphers';
import { createAppMeta } from './0010-create-app-meta';
import { createSettings } from './0020-create-settings';

export interface Migration {
  /** Steps of 10 leave room for a fix-up between two shipped migrations. */
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [createAppMeta, createSettings];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Applies every pending migration in one transaction: a crash leaves the old version intact. */
export function migrate(db: Database, now: () => Date = () => new Date()): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const pending = MIGRATIONS.filter((migration) => migration.version > from);
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
    db.prepare(`INSERT INTO app_meta (key, value) VALUES ('migrated_at', ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(now().toISOString());
  })();
  return { from, to: LATEST_SCHEMA_VERSION };
}
