import type { Migration } from './index';

export const jobObservations: Migration = {
  version: 160,
  name: 'job-observations',
  up(db) {
    // What a job saw on reading Zoom back, as a key and its values (JSON) beside the English
    // message: the evidence says it again in the reader's language.
    db.exec('ALTER TABLE job_actions ADD COLUMN note TEXT');
  },
};
