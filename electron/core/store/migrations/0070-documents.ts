import type { Migration } from './index';

export const documents: Migration = {
  version: 70,
  name: 'documents',
  up(db) {
    db.exec(`
      -- The language of the replies to this subject (null: the settings' language).
      ALTER TABLE requests ADD COLUMN language TEXT CHECK (language IN ('en', 'de'));
      -- The access or portability package the job wrote: its files and their SHA-256 (JSON).
      ALTER TABLE job_runs ADD COLUMN package TEXT;
      -- The evidence of one request reads its audit entries without walking the whole log.
      CREATE INDEX audit_log_by_request ON audit_log (request_id, seq) WHERE request_id IS NOT NULL;
    `);
  },
};
