import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/store/database';
import { FIND_QUERIES } from '../../electron/core/store/mirror-queries';
import { REPORT_TABLES } from '../../electron/core/store/report-sources';
import { DEMO_SUBJECT } from '../../electron/core/sandbox/seed';
import { control, rawApi, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, sandboxRegistrants } from './sync-helpers';

const UPCOMING = '81234567890';
const RECURRING = '81234567891';
const PAST = '81234567892';
const MEMBERS_MEETING = '85234567890';
const CONSULTATION = '85234567891'; // a meeting held last week: attendance, Q&A, poll, survey

function plan(db: Db, sql: string, params: string[] = ['x']): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join(' | ');
}

describe('the mirror', () => {
  it('finds a subject across registrants, participants, Q&A, polls and survey, case-insensitively, never by substring', async () => {
    const box = await sandbox({ seed: 'demo' });
    // Addresses that contain the subject's, or that it contains: none of them is the subject.
    for (const email of ['mustermann@example.com', 'xerika.mustermann@example.com', 'erika.mustermann@example.com.au']) {
      await control(box, 'POST', 'register', { event_id: UPCOMING, email, first_name: 'Similar' });
    }
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const found = await call(core, 'findSubject', { email: `  ${DEMO_SUBJECT.email.toUpperCase()} ` });
      expect(found.suppressed).toBe(false);
      expect(found.matches.map((m) => `${m.source}:${m.event_id}`).sort()).toEqual(
        [
          ...[UPCOMING, RECURRING, PAST, MEMBERS_MEETING, CONSULTATION].map((id) => `registrant:${id}`),
          ...[PAST, CONSULTATION].flatMap((id) => ['participant', 'qa', 'poll', 'survey'].map((source) => `${source}:${id}`)),
        ].sort(),
      );
      expect(found.matches.filter((m) => m.event_id === CONSULTATION).every((m) => m.event_type === 'meeting' && !('webinar_id' in m))).toBe(true);
      const registrations = found.matches.filter((m) => m.source === 'registrant');
      expect(registrations.every((m) => m.status === 'approved' && m.present && m.registrant_id)).toBe(true);
      // The participant record carries the registrant it belongs to.
      for (const id of [PAST, CONSULTATION]) {
        expect(found.matches.find((m) => m.source === 'participant' && m.event_id === id)!.registrant_id).toBe(registrations.find((m) => m.event_id === id)!.registrant_id);
      }

      const similar = await call(core, 'findSubject', { email: 'mustermann@example.com' });
      expect(similar.matches).toEqual([
        {
          source: 'registrant',
          email: 'mustermann@example.com',
          webinar_id: UPCOMING,
          event_type: 'webinar',
          event_id: UPCOMING,
          account: 'default',
          registrant_id: expect.any(String),
          status: 'pending',
          present: true,
        },
      ]);
      expect((await call(core, 'findSubject', { email: 'nobody@example.com' })).matches).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('looks a subject up through an email index in every table (EXPLAIN QUERY PLAN)', async () => {
    const box = await sandbox({ seed: 'empty' });
    const core = await connectedCore(box);
    try {
      const db = core.store.db;
      expect(FIND_QUERIES.map((q) => q.source)).toEqual(['registrant', 'participant', 'absentee', 'qa', 'poll', 'survey', 'panelist']);
      for (const { sql } of FIND_QUERIES) expect(plan(db, sql)).toMatch(/USING INDEX \w+_by_email \(email_norm=\?\)/);
      expect(Object.values(REPORT_TABLES).map((t) => t.table).length).toBe(FIND_QUERIES.length - 1);
      // The UI's address search is a range on the same index, not a LIKE scan.
      expect(plan(db, 'SELECT id FROM registrants r WHERE r.email_norm >= ? AND r.email_norm < ?', ['a', 'b'])).toMatch(/USING (COVERING )?INDEX registrants_by_email/);
      // A registrant's timeline and the sync's lookup by Zoom's IDs use theirs.
      expect(plan(db, 'SELECT * FROM registrant_changes WHERE registrant_row = ?')).toMatch(/USING INDEX registrant_changes_by_registrant/);
      expect(plan(db, 'SELECT id FROM registrants WHERE event_id = ? AND registrant_id = ?', ['1', 'x'])).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_registrants/);
    } finally {
      await core.close();
    }
  });

  it('links a registrant who cancelled and registered again to the earlier registration in the timeline', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const before = (await sandboxRegistrants(box, UPCOMING)).find((r) => r.email === DEMO_SUBJECT.email)!;
      await control(box, 'POST', 'self-cancel', { event_id: UPCOMING, registrant_id: before.id });
      const again = await control<{ registrant_id: string }>(box, 'POST', 'register', { event_id: UPCOMING, email: DEMO_SUBJECT.email, first_name: 'Erika' });
      expect(again.registrant_id).not.toBe(before.id);

      const second = await call(core, 'syncZoom', {});
      expect(second.changes).toMatchObject({ self_cancelled: 1, registered: 1 });
      const timeline = await call(core, 'getRegistrantTimeline', {
        webinar_id: UPCOMING,
        registrant_id: again.registrant_id,
      });
      expect(timeline.registrations.map((r) => [r.registrant_id, r.changes.map((c) => c.kind)])).toEqual([
        [before.id, ['registered', 'self_cancelled']],
        [again.registrant_id, ['registered']],
      ]);
      const missing = await core.dispatch('getRegistrantTimeline', { event_id: UPCOMING, registrant_id: 'no-such-id' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      await core.close();
    }
  });

  it('classifies the registrations of a webinar deleted on Zoom as deleted', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      expect((await rawApi(box, 'DELETE', `/webinars/${RECURRING}`)).status).toBe(204);
      const after = await call(core, 'syncZoom', {});
      expect(after.changes).toMatchObject({ deleted: 15, self_cancelled: 0, registered: 0 });
      const webinars = await call(core, 'listWebinars', {});
      expect(webinars.webinars.find((w) => w.id === RECURRING)).toMatchObject({ deleted: true, registrants: { gone: 15 } });
    } finally {
      await core.close();
    }
  });

  it('lists registrants per occurrence where people register per occurrence', async () => {
    const box = await sandbox({ seed: 'empty' });
    const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { occurrences: 3, registration_type: 2 });
    const occurrences = ((await rawApi(box, 'GET', `/webinars/${id}`)).body as { occurrences: { occurrence_id: string }[] }).occurrences.map((o) => o.occurrence_id);
    await control(box, 'POST', 'register', { event_id: id, email: 'first.only@example.org', first_name: 'First', occurrence_ids: occurrences[0] });
    await control(box, 'POST', 'register', { event_id: id, email: 'last.two@example.org', first_name: 'Last', occurrence_ids: `${occurrences[1]},${occurrences[2]}` });
    const core = await connectedCore(box);
    try {
      const result = await call(core, 'syncZoom', {});
      expect(result).toMatchObject({ registrants: 2, changes: { registered: 2 } });
      const listed = core.store.db.prepare('SELECT r.email, o.occurrence_id FROM registrant_occurrences o JOIN registrants r ON r.id = o.registrant_row ORDER BY r.email, o.occurrence_id').all();
      expect(listed).toEqual([
        { email: 'first.only@example.org', occurrence_id: occurrences[0] },
        { email: 'last.two@example.org', occurrence_id: occurrences[1] },
        { email: 'last.two@example.org', occurrence_id: occurrences[2] },
      ]);
      const calls = box.requests().filter((r) => r.path === `/webinars/${id}/registrants`);
      expect(calls.length).toBe(3 * 3); // three statuses for each of three occurrences
    } finally {
      await core.close();
    }
  });

  it('pages, filters and sorts registrants for the UI', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const pending = await call(core, 'listRegistrants', { webinar_id: UPCOMING, status: 'pending', sort: 'email', limit: 2 });
      expect(pending.total).toBe(5);
      expect(pending.rows).toHaveLength(2);
      expect(pending.rows.every((r) => r.status === 'pending' && r.last_change?.kind === 'registered')).toBe(true);
      const all = await call(core, 'listRegistrants', { sort: 'email', order: 'desc', limit: 500 });
      expect(all.total).toBe(75); // 59 webinar and 16 meeting registrations
      expect(all.rows.map((r) => r.email)).toEqual([...all.rows.map((r) => r.email)].sort().reverse());
      const erika = await call(core, 'listRegistrants', { email_prefix: 'ERIKA.' });
      expect(erika.total).toBe(5); // three webinars and two meetings
      const bad = await core.dispatch('listRegistrants', { status: 'cancelled', limit: 100000 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/status.*limit|limit.*status/s) } });
    } finally {
      await core.close();
    }
  });
});
