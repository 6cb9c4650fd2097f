import type { Migration } from './index';

export const operator: Migration = {
  version: 130,
  name: 'operator',
  up(db) {
    // The desk's "Working as" name becomes the operator every act without its own --by is recorded
    // under, the window's and the command line's alike; the setting keeps its value.
    db.exec(`UPDATE settings SET key = 'operator' WHERE key = 'reviewer_name'`);
  },
};
