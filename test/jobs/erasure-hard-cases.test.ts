import { describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service';
import { tempDataDir } from '../helpers';
import { control, rawApi, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, sandboxRegistrants } from '../sync/sync-helpers';
import { approvedRequest, SUBJECT } from './job-helpers';

const UPCOMING = '81234567890';
const RECURRING = '81234567891';
const PAST = '81234567892';
const MEETINGS = ['85234567890', '85234567891']; // the demo subject's members' meeting and consultation

const registrationPath = (webinarId: string | number, registrantId: string, kind = 'webinar') => `/${kind}s/${webinarId}/registrants/${registrantId}`;

/** The subject's registrations Zoom still answers GET for, across the given webinars. */
async function heldOnZoom(box: Awaited<ReturnType<typeof sandbox>>, webinars: string[]): Promise<string[]> {
  const held: string[] = [];
  for (const webinar of webinars) {
    for (const r of await sandboxRegistrants(box, webinar)) {
      if (r.email === SUBJECT && r.state !== 'deleted') held.push(`${webinar}:${r.id}:${r.state}`);
    }
  }
  return held;
}

describe("erasure in Zoom's hard cases", () => {
  it('deletes and verifies a registration the subject cancelled themselves and their re-registration after it (two IDs), each DELETE once', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const first = (await sandboxRegistrants(box, UPCOMING)).find((r) => r.email === SUBJECT)!;
      await control(box, 'POST', 'self-cancel', { webinar_id: UPCOMING, registrant_id: first.id });
      await call(core, 'syncZoom', {}); // classified self_cancelled: Zoom keeps the record
      const again = await control<{ registrant_id: string }>(box, 'POST', 'register', { webinar_id: UPCOMING, email: SUBJECT, first_name: 'Erika', last_name: 'Mustermann' });
      expect(again.registrant_id).not.toBe(first.id);
      // And one in another webinar cancelled after the last sync: the job's own sync (the request came later) finds it.
      const recurring = (await sandboxRegistrants(box, RECURRING)).find((r) => r.email === SUBJECT)!;
      await control(box, 'POST', 'self-cancel', { webinar_id: RECURRING, registrant_id: recurring.id });

      const id = await approvedRequest(core);
      box.requests().splice(0);
      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      const steps = result.steps.filter((s) => s.source === 'registrant');
      expect(steps.map((s) => s.registrant_id).sort()).toEqual([first.id, again.registrant_id, recurring.id, expect.any(String), expect.any(String), expect.any(String)].sort());
      expect(steps.every((s) => s.verified)).toBe(true);
      // The self-cancelled ones: nothing to revoke, deleted, verified gone by a read-back that Zoom answered 3079.
      const selfCancelled = steps.find((s) => s.registrant_id === first.id)!;
      expect(selfCancelled.actions.map((a) => [a.action, a.result])).toEqual([
        ['anonymize_local', 'done'],
        ['delete', 'done'],
        ['verify', 'done'],
      ]);
      expect(selfCancelled.actions.find((a) => a.action === 'delete')).toMatchObject({ http_status: 204, zoom_code: null });
      expect(selfCancelled.actions.find((a) => a.action === 'verify')).toMatchObject({ http_status: 400, zoom_code: 3079 });
      const deletes = box
        .requests()
        .filter((r) => r.method === 'DELETE')
        .map((r) => r.path);
      expect(deletes.sort()).toEqual(steps.map((s) => registrationPath(s.event_id, s.registrant_id!, s.event_type)).sort());
      expect(await heldOnZoom(box, [UPCOMING, RECURRING, PAST, ...MEETINGS])).toEqual([]);
      expect(result.planned_from).toMatchObject({ run_id: 3 }); // the job synced first: its request came after sync 2
    } finally {
      await core.close();
    }
  });

  it('lost DELETE and status PUT replies: reads back instead of sending again, exactly one write per registrant, and records what the read-back answered', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {});
      // Every write takes effect and loses its reply: a 500 for DELETEs, a dropped connection for PUTs.
      await control(box, 'POST', 'faults', { lose_replies: { method: 'DELETE', as: 500, count: 5 } });
      await control(box, 'POST', 'faults', { lose_replies: { method: 'PUT', as: 'drop', count: 5 } });
      box.requests().splice(0);
      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      const writes = box.requests().filter((r) => r.method === 'DELETE' || r.method === 'PUT');
      const deletes = writes.filter((r) => r.method === 'DELETE');
      expect(deletes).toHaveLength(5); // three webinars and two meetings
      expect(new Set(deletes.map((r) => r.path)).size).toBe(5);
      expect(writes.filter((r) => r.method === 'PUT')).toHaveLength(5);
      expect(writes.every((r) => r.applied)).toBe(true);
      for (const step of result.steps.filter((s) => s.source === 'registrant')) {
        expect(step.verified).toBe(true);
        const del = step.actions.find((a) => a.action === 'delete')!;
        // Zoom answered the DELETE with a 500; the read-back answered 3079: that is what is recorded.
        expect(del).toMatchObject({ result: 'done', http_status: 400, zoom_code: 3079, message: expect.stringMatching(/HTTP 500.*Reading back: no such registrant, so the delete took effect/) });
        const cancel = step.actions.find((a) => a.action === 'cancel')!;
        expect(cancel).toMatchObject({ result: 'done', http_status: 200, message: expect.stringMatching(/cancel took effect/) });
      }
      // Each attempt is audited: the DELETE Zoom answered with a 500 (outcome unknown), then what the read-back settled.
      const audit = core.store.db.prepare(`SELECT details FROM audit_log WHERE action = 'job.delete' ORDER BY seq`).pluck().all() as string[];
      expect(audit.map((d) => JSON.parse(d))).toEqual(
        Array(5)
          .fill([expect.objectContaining({ result: 'unknown', http_status: 500 }), expect.objectContaining({ result: 'done', http_status: 400, zoom_code: 3079 })])
          .flat(),
      );
    } finally {
      await core.close();
    }
  });

  it('a reply lost with no read-back possible stays "intended"; the next run reads back first and sends nothing again', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {});
      await control(box, 'POST', 'faults', { lose_replies: { method: 'DELETE', as: 'drop' } });
      // ...and Zoom stays unreachable for the read-backs that follow (the client tries each read 5 times).
      const calls = (await control<{ api_calls: number }>(box, 'POST', 'faults', {})).api_calls;
      box.requests().splice(0);
      let sawDelete = false;
      const stopAfterDelete = setInterval(() => {
        if (!sawDelete && box.requests().some((r) => r.method === 'DELETE')) {
          sawDelete = true;
          void control(box, 'POST', 'faults', { drop_calls: { nth: 1, count: 12 } });
        }
      }, 1);
      const stopped = await call(core, 'runJob', { id });
      clearInterval(stopAfterDelete);
      expect(calls).toBeGreaterThan(0);
      expect(stopped.status).toBe('partial');
      const unknown = stopped.steps.flatMap((s) => s.actions).filter((a) => a.result === 'unknown');
      expect(unknown.length).toBeGreaterThanOrEqual(1);
      expect(unknown[0]).toMatchObject({ action: 'delete', message: expect.stringMatching(/outcome is unknown/) });

      await control(box, 'POST', 'faults', { clear: true });
      box.requests().splice(0);
      const resumed = await call(core, 'runJob', { id });
      expect(resumed.status).toBe('completed');
      const deleted = new Set(
        box
          .requests()
          .filter((r) => r.method === 'DELETE')
          .map((r) => r.path),
      );
      const first = stopped.steps.find((s) => s.actions.some((a) => a.result === 'unknown'))!;
      expect(deleted.has(registrationPath(first.event_id, first.registrant_id!))).toBe(false); // read back, not sent again
    } finally {
      await core.close();
    }
  });

  it('where Zoom refuses to delete a self-cancelled record, names it in the processor request: never a silent pass', async () => {
    const box = await sandbox({ seed: 'demo' });
    await control(box, 'POST', 'behaviour', { self_cancelled_deletable: false });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const registration = (await sandboxRegistrants(box, UPCOMING)).find((r) => r.email === SUBJECT)!;
      await control(box, 'POST', 'self-cancel', { webinar_id: UPCOMING, registrant_id: registration.id });
      const id = await approvedRequest(core);
      const result = await call(core, 'runJob', { id });
      const step = result.steps.find((s) => s.registrant_id === registration.id)!;
      expect(step).toMatchObject({ verified: false, handed_to_processor: true });
      expect(step.actions.find((a) => a.action === 'delete')).toMatchObject({
        result: 'failed',
        http_status: 400,
        zoom_code: 3000,
        message: expect.stringMatching(/still holds the registration \(status "all"\)/),
      });
      expect(step.actions.find((a) => a.action === 'verify')).toMatchObject({
        result: 'failed',
        http_status: 200,
        message: expect.stringMatching(/still holds the registration \(status "all"\)\. It is named in the processor request/),
      });
      expect(result.residual).toContainEqual(expect.objectContaining({ source: 'registrant', webinar_id: UPCOMING, registrant_id: registration.id }));
      expect(result.processor_task!.letter).toContain(`Webinar ${UPCOMING}, registrant ${registration.id}`);
      expect(result.processor_task!.letter).toMatch(/cancelled themselves before we first read that event/);
      expect(result.processor_task!.letter).toMatch(/blocked from registering/);
      // The rest is erased and verified; the request is complete, with the processor request open.
      expect(result.status).toBe('completed');
      expect(result.steps.filter((s) => s.source === 'registrant' && s.registrant_id !== registration.id).every((s) => s.verified)).toBe(true);
      expect(result.processor_task!.status).toBe('open');
    } finally {
      await core.close();
    }
  });

  it('never plans from a stale mirror: syncs first, refuses without Zoom, and notes "no record as of sync N" when there is none', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      // After that sync the subject registers for one more webinar; then asks for erasure.
      const late = (await control<{ id: number }>(box, 'POST', 'webinars', { registrants: { approved: 2 } })).id;
      await control(box, 'POST', 'register', { webinar_id: late, email: SUBJECT, first_name: 'Erika', last_name: 'Mustermann' });
      const id = await approvedRequest(core);
      expect((await call(core, 'planJob', { id })).notes.join(' ')).toMatch(/began before the request arrived.*syncs first/);
      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      expect(result.steps.some((s) => s.webinar_id === String(late) && s.source === 'registrant' && s.verified)).toBe(true);
      expect(await heldOnZoom(box, [UPCOMING, RECURRING, PAST, String(late), ...MEETINGS])).toEqual([]);

      // Nobody by that address: completes, and says as of which sync.
      const nobody = await approvedRequest(core, 'erasure', 'nobody.here@example.org');
      const none = await call(core, 'runJob', { id: nobody });
      expect(none.status).toBe('completed');
      expect(none.notes).toContainEqual(expect.stringMatching(new RegExp(`^No record of the subject as of sync ${none.planned_from!.run_id} at ${none.planned_from!.at}\\.$`)));
    } finally {
      await core.close();
    }

    // A store never connected: refused with what to do, and nothing changes.
    const lonely = await openCore({ dataDir: tempDataDir() });
    try {
      const id = await approvedRequest(lonely);
      const refused = await lonely.dispatch('runJob', { id, by: 'Dana DPO' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'ZOOM_NOT_CONNECTED', message: expect.not.stringContaining('dsr-desk'), hint: { action: 'connect-and-sync' } } });
      expect(await call(lonely, 'getRequest', { id })).toMatchObject({ status: 'approved' });
    } finally {
      await lonely.close();
    }
  });

  it('a registration made after the plan is found by the sweep of the lists, and the job does not complete while Zoom holds it', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {});
      // The job is stopped by Zoom's daily limit after its plan; meanwhile the subject registers again.
      await control(box, 'POST', 'plan', { plan: 'free' });
      await control(box, 'POST', 'faults', { exhaust_daily: 'light' });
      expect((await call(core, 'runJob', { id })).status).toBe('partial');
      await control(box, 'POST', 'faults', { clear: true });
      await control(box, 'POST', 'plan', { plan: 'pro' });
      const first = (await sandboxRegistrants(box, UPCOMING)).find((r) => r.email === SUBJECT)!;
      await rawApi(box, 'DELETE', registrationPath(UPCOMING, first.id)); // so the address may register again
      const late = await control<{ registrant_id: string }>(box, 'POST', 'register', { webinar_id: UPCOMING, email: SUBJECT, first_name: 'Erika', last_name: 'M.' });

      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      const added = result.steps.find((s) => s.registrant_id === late.registrant_id)!;
      expect(added).toMatchObject({ source: 'registrant', verified: true });
      expect(added.actions.map((a) => a.action)).toEqual(['cancel', 'delete', 'verify']);
      const sweeps = result.steps.filter((s) => s.source === 'lists' && s.webinar_id === UPCOMING);
      expect(sweeps.at(0)!.actions[0]!.message).toMatch(/Found 1 registration of the address the plan did not know/);
      expect(sweeps.at(-1)!.actions[0]).toMatchObject({ result: 'done', message: expect.stringMatching(/None of Zoom's three lists holds the address/) });
      expect(await heldOnZoom(box, [UPCOMING, RECURRING, PAST, ...MEETINGS])).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('a registration on a webinar deleted on Zoom verifies as gone with it; its reports stay a residual', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {});
      await rawApi(box, 'DELETE', `/webinars/${PAST}`);
      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      const step = result.steps.find((s) => s.webinar_id === PAST && s.source === 'registrant')!;
      expect(step.actions.find((a) => a.action === 'delete')).toMatchObject({ result: 'done', http_status: 404, zoom_code: 3001 });
      expect(step.actions.find((a) => a.action === 'verify')).toMatchObject({ result: 'done', http_status: 404, zoom_code: 3001, message: expect.stringMatching(/Gone with its webinar/) });
      expect(
        result.residual
          .filter((r) => r.webinar_id === PAST)
          .map((r) => r.source)
          .sort(),
      ).toEqual(['blocked_list', 'participant', 'poll', 'qa', 'survey']);
    } finally {
      await core.close();
    }
  });

  it('a subject who registers again after an erasure is stored without personal data, counted, shown on the request, and found by their next request', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {});
      expect((await call(core, 'runJob', { id })).status).toBe('completed');
      // (Not for a webinar the job cancelled them on: that cancel left the address blocked there.)
      const next = String((await control<{ id: number }>(box, 'POST', 'webinars', { registrants: { approved: 2 } })).id);
      const back = await control<{ registrant_id: string }>(box, 'POST', 'register', { webinar_id: next, email: ' Erika.Mustermann@Example.com', first_name: 'Erika', last_name: 'Mustermann' });
      expect(back.registrant_id).toEqual(expect.any(String));
      const sync = await call(core, 'syncZoom', {});
      expect(sync.returned_after_erasure).toBe(1);
      expect(await call(core, 'findSubject', { email: SUBJECT })).toMatchObject({ matches: [], suppressed: true });
      const row = core.store.db.prepare('SELECT email, first_name, last_name, suppressed, subject_hash FROM registrants WHERE registrant_id = ?').get(back.registrant_id);
      const request = await call(core, 'getRequest', { id });
      expect(row).toEqual({ email: null, first_name: null, last_name: null, suppressed: 1, subject_hash: request.subject_hash });
      expect(request.returned).toEqual([{ webinar_id: next, event_type: 'webinar', event_id: next, account: 'default', registrant_id: back.registrant_id, first_seen_at: expect.any(String) }]);

      const second = await approvedRequest(core);
      const plan = await call(core, 'planJob', { id: second });
      expect(plan.steps.map((s) => s.registrant_id)).toContain(back.registrant_id);
      const result = await call(core, 'runJob', { id: second });
      expect(result.status).toBe('completed');
      expect(result.steps.find((s) => s.registrant_id === back.registrant_id)).toMatchObject({ verified: true });
      expect(await heldOnZoom(box, [UPCOMING, next])).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
