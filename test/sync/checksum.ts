import { createHash } from 'node:crypto';
import type { Db } from '../../electron/core/store/database';

// A checksum of what the mirror holds, for comparing a sync that was interrupted with one that
// wasn't. It covers every table's content and leaves out only what differs by when and in which
// order things were written: local row ids (replaced by Zoom's IDs), timestamps and run ids.

const QUERIES: Record<string, string> = {
  webinars: `SELECT id, uuid, host_id, host_email, topic, type, start_time, duration, timezone, agenda, created_at, join_url, approval_type, registration_type,
                    deleted_at IS NOT NULL AS deleted FROM events ORDER BY id`,
  occurrences: 'SELECT * FROM occurrences ORDER BY event_id, occurrence_id',
  event_instances: 'SELECT event_id, uuid, start_time, reports_synced_at IS NOT NULL AS synced FROM event_instances ORDER BY event_id, uuid',
  registrants: `SELECT r.*, p.registrant_id AS previous_registrant FROM registrants r LEFT JOIN registrants p ON p.id = r.previous_id ORDER BY r.event_id, r.registrant_id`,
  registrant_occurrences: `SELECT r.event_id, r.registrant_id, o.occurrence_id FROM registrant_occurrences o JOIN registrants r ON r.id = o.registrant_row
                           ORDER BY r.event_id, r.registrant_id, o.occurrence_id`,
  registrant_changes: `SELECT c.event_id, r.registrant_id, c.kind, c.from_status, c.to_status, c.request_id FROM registrant_changes c
                       JOIN registrants r ON r.id = c.registrant_row ORDER BY c.event_id, r.registrant_id, c.kind, c.from_status, c.to_status`,
  participants: 'SELECT * FROM participants ORDER BY event_id, instance_uuid, ordinal',
  absentees: 'SELECT * FROM absentees ORDER BY event_id, instance_uuid, ordinal',
  qa_questions: 'SELECT * FROM qa_questions ORDER BY event_id, instance_uuid, ordinal',
  poll_answers: 'SELECT * FROM poll_answers ORDER BY event_id, instance_uuid, ordinal',
  survey_answers: 'SELECT * FROM survey_answers ORDER BY event_id, instance_uuid, ordinal',
  panelists: 'SELECT * FROM panelists ORDER BY event_id, instance_uuid, ordinal',
};
const WHEN_AND_ORDER = new Set(['id', 'previous_id', 'first_seen_at', 'last_seen_at', 'last_seen_run', 'observed_at', 'run_id']);

export function mirrorChecksum(db: Db): { sha256: string; rows: Record<string, number> } {
  const hash = createHash('sha256');
  const rows: Record<string, number> = {};
  for (const [table, sql] of Object.entries(QUERIES)) {
    const result = db.prepare(sql).all() as Record<string, unknown>[];
    rows[table] = result.length;
    hash.update(`${table}\n`);
    for (const row of result) {
      const kept = Object.entries(row).filter(([column]) => table === 'webinars' || !WHEN_AND_ORDER.has(column));
      hash.update(JSON.stringify(kept) + '\n');
    }
  }
  return { sha256: hash.digest('hex'), rows };
}
