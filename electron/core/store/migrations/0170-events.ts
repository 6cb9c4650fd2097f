import type { Migration } from './index';

// Webinars and meetings are two kinds of one thing (shared/events.ts): the mirror speaks of events.
// Renames only, in place: no row is copied, every ID and row number stays, and SQLite carries the
// foreign keys and indexes along. The event's ID stays its key: Zoom's meeting and webinar numbers
// are one number space (both are joined at /j/{number}); the sync refuses to let one kind's event
// take over a row of the other kind instead of trusting that blindly.
const RENAMED_COLUMNS = [
  'sync_run_webinars',
  'occurrences',
  'webinar_instances',
  'registrants',
  'registrant_changes',
  'participants',
  'absentees',
  'qa_questions',
  'poll_answers',
  'survey_answers',
  'panelists',
  'job_actions',
] as const;

export const events: Migration = {
  version: 170,
  name: 'events',
  up(db) {
    for (const table of RENAMED_COLUMNS) db.exec(`ALTER TABLE ${table} RENAME COLUMN webinar_id TO event_id`);
    db.exec(`
      ALTER TABLE webinars RENAME TO events;
      ALTER TABLE events ADD COLUMN kind TEXT NOT NULL DEFAULT 'webinar' CHECK (kind IN ('webinar', 'meeting'));
      ALTER TABLE webinar_instances RENAME TO event_instances;
      ALTER TABLE sync_run_webinars RENAME TO sync_run_events;
      ALTER TABLE sync_runs RENAME COLUMN scope_webinar_id TO scope_event_id;
    `);
    // Stored lists that name a webinar (a job's residual, a run's warnings) name it as an event too.
    const asEvents = (json: string) =>
      JSON.stringify((JSON.parse(json) as Record<string, unknown>[]).map((entry) => (typeof entry.webinar_id === 'string' ? { ...entry, event_type: 'webinar', event_id: entry.webinar_id } : entry)));
    for (const [table, column, key] of [
      ['job_runs', 'residual', 'request_id'],
      ['sync_runs', 'warnings', 'id'],
    ] as const) {
      const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`);
      for (const row of db.prepare(`SELECT ${key} AS key, ${column} AS list FROM ${table} WHERE ${column} IS NOT NULL`).all() as { key: string | number; list: string }[]) {
        update.run(asEvents(row.list), row.key);
      }
    }
  },
};
