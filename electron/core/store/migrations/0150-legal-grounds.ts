import type { Migration } from './index';

export const legalGrounds: Migration = {
  version: 150,
  name: 'legal-grounds',
  up(db) {
    // An approved erasure records the Art 17(1) ground relied on and when the approver confirmed
    // that no Art 17(3) exception applies: chosen from the law's list, not typed.
    db.exec(`
      ALTER TABLE requests ADD COLUMN decision_ground TEXT;
      ALTER TABLE requests ADD COLUMN exceptions_checked_at TEXT;
    `);
  },
};
