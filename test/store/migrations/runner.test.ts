import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS, type Migration } from '../../../electron/core/store/migrations';
import { memoryDb, tableNames } from './helper';

describe('migrations', () => {
  it('are numbered in steps of 10, in order, with unique versions', () => {
    MIGRATIONS.forEach((migration, index) => expect(migration.version).toBe((index + 1) * 10));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length * 10);
  });

  it('records each step in user_version and skips what is applied', () => {
    const db = memoryDb();
    expect(migrate(db)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
  });

  it('applies all pending migrations in one transaction: a failing one rolls back the lot', () => {
    const db = memoryDb();
    const broken: Migration = { version: LATEST_SCHEMA_VERSION + 10, name: 'broken', up: (d) => d.exec('CREATE TABLE nope (x TEXT) STRICT; SELECT * FROM missing_table') };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/no such table/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tableNames(db)).toEqual([]);
  });
});
