import { describe, expect, it } from 'vitest';
import { control, rawApi, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, sandboxRegistrants } from './sync-helpers';

const UPCOMING = '81234567890';

describe('sync reads back a registrant that vanished from every list', () => {
  it('tells a self-cancel (GET answers "all") from a deletion outside DSR Desk (3079) and from a list read that raced (listed again), one GET each', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const approved = (await sandboxRegistrants(box, UPCOMING)).filter((r) => r.status === 'approved');
      const [selfCancelling, deletedElsewhere, raced] = approved;
      await control(box, 'POST', 'self-cancel', { event_id: UPCOMING, registrant_id: selfCancelling!.id });
      // Another app on the account, or the web portal, deletes one.
      expect((await rawApi(box, 'DELETE', `/webinars/${UPCOMING}/registrants/${deletedElsewhere!.id}`)).status).toBe(204);
      // One is missed by this sync's three list reads (its status moved between them), but Zoom still lists it.
      await control(box, 'POST', 'faults', { hide_in_lists: { registrant_id: raced!.id, list_calls: 3 } });
      box.requests().splice(0);

      const started = new Date().toISOString();
      const second = await call(core, 'syncZoom', {});
      expect(second.changes).toMatchObject({ self_cancelled: 1, deleted_outside: 1, registered: 0, approved: 0, denied: 0, host_cancelled: 0, deleted: 0 });
      const readBacks = box.requests().filter((r) => r.method === 'GET' && /^\/webinars\/\d+\/registrants\/[^/]+$/.test(r.path));
      expect(readBacks.map((r) => r.path.split('/').pop()).sort()).toEqual([selfCancelling!.id, deletedElsewhere!.id, raced!.id].sort());
      expect(readBacks.every((r) => r.category === 'light')).toBe(true);

      const { changes } = await call(core, 'listChanges', { since: started });
      expect(changes.map((c) => [c.registrant_id, c.kind, c.from, c.to]).sort()).toEqual(
        [
          [selfCancelling!.id, 'self_cancelled', 'approved', null],
          [deletedElsewhere!.id, 'deleted_outside', 'approved', null],
        ].sort(),
      );
      // The timeline says how each was established.
      const bySelf = changes.find((c) => c.kind === 'self_cancelled')!;
      expect(bySelf.evidence).toBe('read back: GET registrant answered HTTP 200 with status "all"');
      expect(changes.find((c) => c.kind === 'deleted_outside')!.evidence).toBe('read back: GET registrant answered HTTP 400, Zoom code 3079');
      const timeline = await call(core, 'getRegistrantTimeline', { webinar_id: UPCOMING, registrant_id: raced!.id });
      expect(timeline.registrant).toMatchObject({ present: true, status: 'approved' });
      expect(timeline.registrations.at(-1)!.changes.map((c) => [c.kind, c.evidence])).toEqual([['registered', "seen in Zoom's approved list"]]);

      // Nothing changed since: the next sync reads nothing back and records nothing.
      box.requests().splice(0);
      const third = await call(core, 'syncZoom', {});
      expect(Object.values(third.changes).every((n) => n === 0)).toBe(true);
      expect(box.requests().filter((r) => /^\/webinars\/\d+\/registrants\/[^/]+$/.test(r.path))).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
