import type { Database } from 'better-sqlite3-multiple-ciphers';
import { createAppMeta } from './0010-create-app-meta';
import { createSettings } from './0020-create-settings';
import { createMirror } from './0030-create-mirror';
import { createRequestsAndAudit } from './0040-create-requests-and-audit';
import { createJobs } from './0050-create-jobs';
import { erasureThatHolds } from './0060-erasure-that-holds';
import { documents } from './0070-documents';
import { desk } from './0080-desk';
import { searchInOrder } from './0090-search-in-order';
import { liveEvents } from './0100-live-events';
import { liveCoverage } from './0110-live-coverage';
import { restoredErasures } from './0120-restored-erasures';
import { operator } from './0130-operator';
import { afterTheJob } from './0140-after-the-job';
import { legalGrounds } from './0150-legal-grounds';
import { jobObservations } from './0160-job-observations';
import { events } from './0170-events';
import { severalAddresses } from './0180-several-addresses';
import { accounts } from './0190-accounts';

export interface Migration {
  /** Steps of 10 leave room for a fix-up between two shipped migrations. */
  version: number;
  name: string;
  /** Rebuilds a table that others reference: runs with foreign keys off, checked once it is done (SQLite's documented procedure). */
  foreignKeysOff?: boolean;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  createAppMeta,
  createSettings,
  createMirror,
  createRequestsAndAudit,
  createJobs,
  erasureThatHolds,
  documents,
  desk,
  searchInOrder,
  liveEvents,
  liveCoverage,
  restoredErasures,
  operator,
  afterTheJob,
  legalGrounds,
  jobObservations,
  events,
  severalAddresses,
  accounts,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The schema version this database is at (`PRAGMA user_version`, set by each migration). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration in one transaction: a crash leaves the old version intact. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = schemaVersion(db);
  const pending = migrations.filter((migration) => migration.version > from);
  if (pending.length === 0) return { from, to: from };
  // foreign_keys can't change inside a transaction: it is turned off before, checked inside, restored after.
  const keysWere = db.pragma('foreign_keys', { simple: true }) as number;
  const keysOff = pending.some((migration) => migration.foreignKeysOff);
  if (keysOff) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      }
      if (keysOff && (db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error('migration: a rebuilt table broke a foreign key; nothing was changed');
    })();
  } finally {
    if (keysOff) db.pragma(`foreign_keys = ${keysWere ? 'ON' : 'OFF'}`);
  }
  return { from, to: pending[pending.length - 1]!.version };
}
