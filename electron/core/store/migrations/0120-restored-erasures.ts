import type { Migration } from './index';

export const restoredErasures: Migration = {
  version: 120,
  name: 'restored-erasures',
  up(db) {
    // Erasures made after the backup a store was restored from, applied again from the erasure
    // ledger beside the backups (backup/ledger.ts): the subject's keyed hash, the request that erased
    // them and when, as the ledger says. No address: the ledger holds none. The request may not be
    // in the restored register at all (filed after the backup); when it is, its next job reads Zoom back.
    db.exec(`
      CREATE TABLE restored_erasures (
        subject_hash  TEXT PRIMARY KEY,
        request_id    TEXT,
        erased_at     TEXT NOT NULL,
        reapplied_at  TEXT NOT NULL,
        backup_taken_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX restored_erasures_by_request ON restored_erasures (request_id);
    `);
  },
};
