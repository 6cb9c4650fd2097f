import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../electron/core/sandbox/server';
import { openCore } from '../../electron/core/service';
import { tempDataDir } from '../helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, sandboxRegistrants } from './sync-helpers';

const UPCOMING = '81234567890'; // manual approval: approved, pending and denied registrants
const RECURRING = '81234567891';
const MEMBERS_MEETING = '85234567890';

describe('sync against the sandbox', () => {
  it("mirrors the demo account, then classifies exactly the five changes made on Zoom between two syncs, a meeting's self-cancel among them", async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const first = await call(core, 'syncZoom', {});
      expect(first).toMatchObject({ mode: 'full', resumed: false, webinars: 3, meetings: 2, registrants: 24 + 15 + 20 + 9 + 7, participants: 14 + 5 });
      expect(first.changes).toMatchObject({ registered: 75, approved: 0, denied: 0, host_cancelled: 0, self_cancelled: 0, deleted: 0 });

      const people = await sandboxRegistrants(box, UPCOMING);
      const approved = people.filter((p) => p.status === 'approved');
      const pending = people.filter((p) => p.status === 'pending');
      const selfCancelling = approved[1]!;
      const hostCancelled = approved[2]!;
      const denied = pending[0]!;
      await control(box, 'POST', 'self-cancel', { event_id: UPCOMING, registrant_id: selfCancelling.id });
      await control(box, 'POST', 'host-action', { event_id: UPCOMING, registrant_id: hostCancelled.id, action: 'cancel' });
      await control(box, 'POST', 'host-action', { event_id: UPCOMING, registrant_id: denied.id, action: 'deny' });
      const added = await control<{ registrant_id: string }>(box, 'POST', 'register', { event_id: RECURRING, email: 'New.Person@Example.org', first_name: 'New', last_name: 'Person' });
      const member = (await sandboxRegistrants(box, MEMBERS_MEETING)).find((p) => p.status === 'approved')!;
      await control(box, 'POST', 'self-cancel', { event_id: MEMBERS_MEETING, registrant_id: member.id });

      const secondStarted = new Date().toISOString();
      const second = await call(core, 'syncZoom', {});
      expect(second.mode).toBe('incremental');
      expect(second.changes).toEqual({ registered: 1, approved: 0, denied: 1, host_cancelled: 1, self_cancelled: 2, deleted_outside: 0, deleted: 0, deleted_by_request: 0, returned_to_pending: 0 });

      const { changes } = await call(core, 'listChanges', { since: secondStarted });
      const seen = changes.map((c) => [c.event_id, c.registrant_id, c.kind, c.from, c.to]).sort();
      expect(seen).toEqual(
        [
          [UPCOMING, selfCancelling.id, 'self_cancelled', 'approved', null],
          [UPCOMING, hostCancelled.id, 'host_cancelled', 'approved', 'denied'],
          [UPCOMING, denied.id, 'denied', 'pending', 'denied'],
          [RECURRING, added.registrant_id, 'registered', null, 'approved'],
          [MEMBERS_MEETING, member.id, 'self_cancelled', 'approved', null],
        ].sort(),
      );
      // The meeting's change names it as a meeting, without a webinar_id.
      const meetingChange = changes.find((c) => c.event_id === MEMBERS_MEETING)!;
      expect(meetingChange).toMatchObject({ event_type: 'meeting', kind: 'self_cancelled' });
      expect(meetingChange).not.toHaveProperty('webinar_id');

      // A third sync with nothing changed on Zoom records nothing.
      const third = await call(core, 'syncZoom', {});
      expect(Object.values(third.changes).every((n) => n === 0)).toBe(true);
    } finally {
      await core.close();
    }
  });

  it("mirrors a meeting held last week where Zoom's scheduled list leaves ended meetings out: it reads the previous meetings too", async () => {
    const box = await sandbox({ seed: 'demo' });
    await control(box, 'POST', 'behaviour', { scheduled_meetings_include_ended: false });
    const core = await connectedCore(box);
    try {
      const first = await call(core, 'syncZoom', {});
      expect(first).toMatchObject({ webinars: 3, meetings: 2, registrants: 75, participants: 19 });
      const lists = box.requests().filter((r) => /^\/users\/[^/]+\/meetings$/.test(r.path));
      expect(new Set(lists.map((r) => r.query.type))).toEqual(new Set(['scheduled', 'previous_meetings']));
      expect((await call(core, 'listMeetings', {})).meetings.find((m) => m.id === '85234567891')).toMatchObject({ records: { participants: 5 } });
    } finally {
      await core.close();
    }
  });

  it('syncs on where Zoom knows no previous_meetings list (400): the scheduled list stands, and the run says nothing failed', async () => {
    const box = await sandbox({ seed: 'demo' });
    await control(box, 'POST', 'behaviour', { previous_meetings_listed: false });
    const core = await connectedCore(box);
    try {
      const first = await call(core, 'syncZoom', {});
      expect(first).toMatchObject({ webinars: 3, meetings: 2, registrants: 75, warnings: [] });
      expect(
        box
          .requests()
          .filter((r) => r.query.type === 'previous_meetings')
          .map((r) => r.status),
      ).toEqual([400, 400]); // one per host
    } finally {
      await core.close();
    }
  });

  it('says when a first sync builds the search indexes, and a later one has no such phase', async () => {
    const box = await sandbox({ seed: 'demo' });
    const phases: string[] = [];
    const core = await openCore({ dataDir: tempDataDir(), onSyncProgress: (progress) => void phases.push(progress.phase) });
    try {
      await call(core, 'connectZoom', { ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl });
      await call(core, 'syncZoom', {});
      const distinct = (list: string[]) => list.filter((phase, i) => phase !== list[i - 1]);
      expect(distinct(phases)).toEqual(['discovering', 'webinars', 'indexing', 'finishing']);
      phases.length = 0;
      await call(core, 'syncZoom', {});
      expect(distinct(phases)).toEqual(['discovering', 'webinars', 'finishing']);
    } finally {
      await core.close();
    }
  });

  it('reads the reports of a webinar held since the last sync, though the webinar list shows nothing new, until they are final', async () => {
    const box = await sandbox({ seed: 'empty' });
    const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { topic: 'Held between syncs', days_ahead: 1, registrants: { approved: 6 } });
    let offsetMs = 0;
    const later = async (ms: number) => {
      offsetMs += ms;
      await control(box, 'POST', 'clock', { advance_ms: ms });
    };
    const core = await openCore({ dataDir: tempDataDir(), now: () => new Date(Date.now() + offsetMs) });
    const reportCalls = async () => (await control<{ requests: LoggedRequest[] }>(box, 'GET', 'requests')).requests.filter((r) => r.path.startsWith('/report/')).length;
    const sync = async () => {
      await control(box, 'DELETE', 'requests');
      const result = await call(core, 'syncZoom', {});
      return { mode: result.mode, participants: result.participants, reportCalls: await reportCalls() };
    };
    try {
      expect((await core.dispatch('connectZoom', { ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl })).ok).toBe(true);
      expect(await sync()).toMatchObject({ mode: 'full', participants: 0, reportCalls: 0 });

      // 26 hours on, the session has taken place: two hours after its start its reports are there.
      await later(26 * 3_600_000);
      expect((await control<{ participants: number }>(box, 'POST', 'hold', { event_id: id })).participants).toBe(6);
      const second = await sync();
      expect(second).toMatchObject({ mode: 'incremental', participants: 6 });
      expect(second.reportCalls).toBeGreaterThan(0);
      // Read within a day of the session, reports may still grow: read again, until a read a day after it.
      expect(await sync()).toMatchObject({ mode: 'incremental', participants: 6, reportCalls: second.reportCalls });
      await later(24 * 3_600_000);
      expect(await sync()).toMatchObject({ mode: 'incremental', participants: 6, reportCalls: second.reportCalls });
      expect(await sync()).toMatchObject({ mode: 'incremental', participants: 0, reportCalls: 0 });
    } finally {
      await core.close();
    }
  });
});
