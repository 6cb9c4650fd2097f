import { describe, expect, it } from 'vitest';
import { DEMO_SUBJECT } from '../../electron/core/sandbox/seed';
import { sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore } from './sync-helpers';

describe('suppression', () => {
  it("stores a suppressed subject's rows without personal data, flagged, so the DPO sees Zoom still holds them", async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const suppression = await core.suppression();
      suppression.add(`  ${DEMO_SUBJECT.email.toUpperCase()}`, 'request-1', new Date());
      // The list holds a keyed hash, never the address.
      const stored = core.store.db.prepare('SELECT subject_hash, request_id FROM suppressed_subjects').all() as { subject_hash: string }[];
      expect(stored).toEqual([{ subject_hash: expect.stringMatching(/^[0-9a-f]{64}$/), request_id: 'request-1' }]);

      const result = await call(core, 'syncZoom', {});
      expect(result.registrants).toBe(75); // still counted: Zoom holds them

      const found = await call(core, 'findSubject', { email: DEMO_SUBJECT.email });
      expect(found).toMatchObject({ matches: [], suppressed: true });

      // No column of any table holds the subject's address or name.
      const db = core.store.db;
      const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[];
      for (const table of tables) {
        for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
          expect(JSON.stringify(row).toLowerCase()).not.toMatch(/mustermann|erika/);
        }
      }
      // Flagged rows, keeping only Zoom's keys: five registrations (three webinars, two meetings), and a participant, a question, a poll and a survey answer each of the past webinar and the consultation meeting.
      const flagged = (table: string) => db.prepare(`SELECT count(*) FROM ${table} WHERE suppressed = 1`).pluck().get() as number;
      expect(['registrants', 'participants', 'qa_questions', 'poll_answers', 'survey_answers'].map(flagged)).toEqual([5, 2, 2, 2, 2]);
      const registrants = db.prepare('SELECT * FROM registrants WHERE suppressed = 1').all() as Record<string, unknown>[];
      for (const row of registrants) {
        expect(row.registrant_id).toEqual(expect.any(String));
        expect([row.email, row.email_norm, row.first_name, row.last_name, row.org, row.phone, row.city, row.custom_questions]).toEqual(Array(8).fill(null));
      }
      const webinars = await call(core, 'listWebinars', {});
      expect(Object.fromEntries(webinars.webinars.map((w) => [w.id, w.suppressed_rows]))).toEqual({ '81234567890': 1, '81234567891': 1, '81234567892': 5 });
      const meetings = await call(core, 'listMeetings', {});
      expect(Object.fromEntries(meetings.meetings.map((m) => [m.id, m.suppressed_rows]))).toEqual({ '85234567890': 1, '85234567891': 5 });
    } finally {
      await core.close();
    }
  });
});
