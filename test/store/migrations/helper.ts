import Database from 'better-sqlite3-multiple-ciphers';
import { migrate, MIGRATIONS } from '../../../electron/core/store/migrations';

// Shared by the migration tests: each builds a store at the version just before the migration it
// tests, puts in the rows that migration must keep or transform, and applies that one migration.

export function memoryDb(): Database.Database {
  return new Database(':memory:');
}

/** Applies every migration up to and including `version` (what is already applied is skipped). */
export function migrateTo(db: Database.Database, version: number): { from: number; to: number } {
  return migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= version),
  );
}

/** A store with foreign keys on, as the app opens it, at the version just before `version`. */
export function storeBefore(version: number): Database.Database {
  const db = memoryDb();
  db.pragma('foreign_keys = ON');
  migrateTo(db, version - 10);
  return db;
}

export function tableNames(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

export function columnNames(db: Database.Database, table: string): string[] {
  return db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
}

export function indexNames(db: Database.Database, table: string): string[] {
  return db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`).pluck().all(table) as string[];
}

/** The key columns of an index, an expression shown as null (as pragma index_info reports it). */
export function indexColumns(db: Database.Database, index: string): (string | null)[] {
  return db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index) as (string | null)[];
}

export function isStrict(db: Database.Database, table: string): boolean {
  return db.prepare(`SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = ?`).pluck().get(table) === 1;
}

/** The query plan's lines joined, for `toContain` on an index name. */
export function plan(db: Database.Database, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
}
