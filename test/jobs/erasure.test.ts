import { describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, dataDirOf, sandboxRegistrants } from '../sync/sync-helpers';
import { approvedRequest, LOOKALIKE, seedSubject, SUBJECT } from './job-helpers';

const CONSULTATION = '85234567891'; // a meeting held last week: attendance, Q&A, poll, survey
const MEETINGS = ['85234567890', CONSULTATION];

describe('an erasure job against the sandbox', () => {
  it("cancels and deletes only the subject's registrations, verifies each, lists the residue, and keeps the subject out of later syncs", async () => {
    const box = await sandbox({ seed: 'demo' });
    const webinars = await seedSubject(box);
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const before = await call(core, 'findSubject', { email: SUBJECT });
      const registrations = before.matches.filter((m) => m.source === 'registrant');
      expect(registrations.map((m) => m.status).sort()).toEqual(['approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'denied', 'pending']); // two of them meetings
      const subjectIds = new Set(registrations.map((m) => m.registrant_id!));
      const lookalike = (await sandboxRegistrants(box, '81234567890')).find((r) => r.email === LOOKALIKE)!;

      const id = await approvedRequest(core);
      const plan = await call(core, 'planJob', { id });
      expect(plan.steps.find((s) => s.occurrence_id === webinars.occurrence)).toMatchObject({ actions: ['anonymize_local', 'cancel', 'delete', 'verify'] });
      box.requests().splice(0);

      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      const registrantSteps = result.steps.filter((s) => s.source === 'registrant');
      expect(registrantSteps).toHaveLength(8);
      expect(registrantSteps.every((s) => s.verified)).toBe(true);
      expect(
        registrantSteps
          .filter((s) => s.event_type === 'meeting')
          .map((s) => s.event_id)
          .sort(),
      ).toEqual(MEETINGS);
      // The host-cancelled one is already denied: no cancel for it, but a delete.
      const deniedStep = registrantSteps.find((s) => s.webinar_id === String(webinars.denied))!;
      expect(deniedStep.actions.map((a) => a.action)).toEqual(['anonymize_local', 'delete', 'verify']);
      // Left with Zoom: the past webinar's reports, and the address on the blocked list of every webinar where a registration was cancelled or denied.
      expect(result.residual.map((r) => `${r.source}:${r.event_id}`).sort()).toEqual(
        [
          'participant:81234567892',
          'poll:81234567892',
          'qa:81234567892',
          'survey:81234567892',
          ...['participant', 'poll', 'qa', 'survey'].map((source) => `${source}:${CONSULTATION}`),
          ...['81234567890', '81234567891', '81234567892', String(webinars.pending), String(webinars.denied), String(webinars.recurring), ...MEETINGS].map((w) => `blocked_list:${w}`),
        ].sort(),
      );
      expect(result.processor_task?.letter).toMatch(/Article 28\(3\)\(e\)/);
      expect(result.processor_task?.letter).not.toContain(SUBJECT);

      // Zoom saw status changes and deletes for the subject's registrations only, each delete once.
      const writes = box.requests().filter((r) => r.method === 'PUT' || r.method === 'DELETE');
      const deletes = writes.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').pop()!);
      expect(new Set(deletes)).toEqual(subjectIds);
      expect(deletes).toHaveLength(subjectIds.size);
      expect(writes.filter((r) => r.method === 'PUT')).toHaveLength(7); // 6 approved and 1 pending; the denied one needs none
      expect(box.requests().some((r) => r.path.includes(lookalike.id))).toBe(false);
      expect((await sandboxRegistrants(box, '81234567890')).find((r) => r.id === lookalike.id)).toMatchObject({ state: 'listed', status: lookalike.status });

      // The mirror holds nothing of the subject, and a full sync doesn't bring it back.
      // The mirror remembers what the job deleted and read back gone, by which request (its keyed hash finds it, never the address).
      const erasedBy = { request_id: id, at: expect.any(String) };
      expect(await call(core, 'findSubject', { email: SUBJECT })).toEqual({
        matches: [],
        suppressed: true,
        erased_by: erasedBy,
        addresses: [{ email: SUBJECT, matches: 0, suppressed: true, erased_by: erasedBy }],
      });
      const byJob = (await call(core, 'listChanges', { limit: 500 })).changes.filter((c) => c.kind === 'deleted_by_request');
      expect(byJob.map((c) => c.registrant_id).sort()).toEqual([...subjectIds].sort());
      expect(byJob.every((c) => c.request_id === id && c.via === 'job')).toBe(true);
      // A full sync after it counts none again.
      const resync = await call(core, 'syncZoom', { full: true });
      expect(resync.changes.deleted_by_request).toBe(0);
      expect(await call(core, 'findSubject', { email: SUBJECT })).toMatchObject({ matches: [], suppressed: true });
      const db = core.store.db;
      for (const table of db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('requests', 'request_events')`).pluck().all() as string[]) {
        for (const row of db.prepare(`SELECT * FROM ${table}`).all()) expect(JSON.stringify(row).toLowerCase()).not.toMatch(/mustermann/); // the lookalike is Musterman
      }
      // The report records Zoom still returns are kept flagged, without personal data.
      expect(db.prepare('SELECT count(*) FROM participants WHERE suppressed = 1').pluck().get()).toBe(2); // the past webinar's and the consultation meeting's
      expect(await call(core, 'verifyAudit', {})).toMatchObject({ ok: true });

      // The processor request is tracked forward only, each move on the timeline and in the audit log.
      expect(await call(core, 'updateProcessorTask', { id, status: 'sent', by: 'Dana DPO', note: 'sent by email' })).toMatchObject({ status: 'sent' });
      expect(await core.dispatch('updateProcessorTask', { id, status: 'open', by: 'Dana DPO' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
      expect(await call(core, 'getRequest', { id })).toMatchObject({ timeline: expect.arrayContaining([expect.objectContaining({ action: 'processor_request_sent' })]) });

      // Running it again changes nothing and says so.
      box.requests().splice(0);
      const again = await call(core, 'runJob', { id });
      expect(again).toMatchObject({ status: 'completed', already_completed: true });
      expect(box.requests()).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it("stops at Zoom's daily limit as partial with the resume time, and a retry resumes only what is left", async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {}); // after the request arrived: the job plans from this sync
      // Refused at the first call: Light requests used up for the day (a Free plan limit).
      await control(box, 'POST', 'plan', { plan: 'free' });
      await control(box, 'POST', 'faults', { exhaust_daily: 'light' });
      const stopped = await call(core, 'runJob', { id });
      expect(stopped).toMatchObject({ status: 'partial', resume_at: expect.stringMatching(/T00:00:00/) });
      const waiting = stopped.steps.flatMap((s) => s.actions).find((a) => a.http_status === 429)!;
      expect(waiting).toMatchObject({ result: 'pending', zoom_code: 429 });
      expect(await call(core, 'getRequest', { id })).toMatchObject({ status: 'partial' });

      await control(box, 'POST', 'faults', { clear: true });
      await control(box, 'POST', 'plan', { plan: 'pro' });
      box.requests().splice(0);
      const resumed = await call(core, 'runJob', { id });
      expect(resumed.status).toBe('completed');
      expect(box.requests().filter((r) => r.method === 'DELETE')).toHaveLength(5); // three webinars, two meetings
      // Done on Zoom's API; the blocked-list entries wait for Zoom's answer to the processor request.
      expect(await call(core, 'getRequest', { id })).toMatchObject({ status: 'waiting_for_processor', processor: { status: 'open' } });
    } finally {
      await core.close();
    }
  });

  it('a restriction cancels without deleting; a job for a request not yet approved is refused', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const { id: unapproved } = await call(core, 'createRequest', { type: 'erasure', email: SUBJECT, by: 'Dana DPO' });
      expect(await core.dispatch('runJob', { id: unapproved })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: expect.stringMatching(/verify the subject's identity/) } });
      expect(await call(core, 'planJob', { id: unapproved })).toMatchObject({ steps: expect.any(Array) }); // a plan can be looked at any time

      const id = await approvedRequest(core, 'restriction');
      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      expect(result.steps.every((s) => s.verified && s.actions.every((a) => a.action !== 'delete'))).toBe(true);
      expect(result.notes.join(' ')).toMatch(/blocks the address/);
      expect(box.requests().filter((r) => r.method === 'DELETE')).toEqual([]);
      const upcoming = await sandboxRegistrants(box, '81234567890');
      expect(upcoming.find((r) => r.email === SUBJECT)).toMatchObject({ state: 'listed', status: 'denied' });
      // The mirror keeps the data (restricted, not erased).
      expect((await call(core, 'findSubject', { email: SUBJECT })).matches.length).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
  });
});

describe('cancelling a job', () => {
  it('stops after the current action, leaves the request partial, and the next run finishes it', async () => {
    const box = await sandbox({ seed: 'demo' });
    const setup = await connectedCore(box);
    await call(setup, 'syncZoom', {});
    const id = await approvedRequest(setup);
    const dataDir = dataDirOf(setup);
    await setup.close();

    const events: { done: number; total: number }[] = [];
    const core = await openCore({
      dataDir,
      onJobProgress: (progress) => {
        events.push(progress);
        // Once the local step is done and the first remote action too, the reviewer cancels.
        if (events.length === 3) void core.service.cancelJob({});
      },
    });
    try {
      const cancelled = await core.dispatch('runJob', { id });
      expect(cancelled).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: expect.stringMatching(/run it again/) } });
      expect(await call(core, 'getRequest', { id })).toMatchObject({ status: 'partial' });
      const doneWhenCancelled = events.at(-1)!.done;
      expect(doneWhenCancelled).toBeLessThan(events[0]!.total);
      const finished = await call(core, 'runJob', { id });
      expect(finished.status).toBe('completed');
      expect(box.requests().filter((r) => r.method === 'DELETE')).toHaveLength(5); // three webinars, two meetings
    } finally {
      await core.close();
    }
  });
});

describe('a rectification', () => {
  it("corrects the mirror's copy, says Zoom cannot be edited and offers delete-and-re-register, and sends Zoom nothing", async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const id = await approvedRequest(core, 'rectification');
      expect(await core.dispatch('runJob', { id })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_STATE', message: expect.not.stringContaining('dsr-desk'), hint: { action: 'rectify', request_id: id } },
      });
      expect(await core.dispatch('rectifyRequest', { id, by: 'Dana DPO', fields: { shoe_size: '42' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      box.requests().splice(0);
      const rectified = await call(core, 'rectifyRequest', { id, by: 'Dana DPO', fields: { last_name: 'Musterfrau', org: null } });
      expect(rectified.timeline.at(-1)).toMatchObject({ action: 'rectify', reason: 'corrected last_name, org in 5 mirrored registrations' });
      const names = core.store.db.prepare('SELECT last_name, org FROM registrants WHERE email_norm = ?').all(SUBJECT);
      expect(names).toEqual(Array(5).fill({ last_name: 'Musterfrau', org: null }));
      const job = await call(core, 'runJob', { id });
      expect(job.status).toBe('completed');
      expect(job.notes.join(' ')).toMatch(/can't edit a registrant.*delete the registration and have the person register again/s);
      expect(box.requests().filter((r) => r.method !== 'GET')).toEqual([]);
      const audit = core.store.db.prepare(`SELECT details FROM audit_log WHERE action = 'request.rectify'`).pluck().get() as string;
      expect(audit).not.toContain('Musterfrau'); // field names, not values
    } finally {
      await core.close();
    }
  });
});
