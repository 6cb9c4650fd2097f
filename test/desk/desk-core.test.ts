import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDesk } from '../../electron/core/desk';
import { openCore } from '../../electron/core/service';
import { setLogSink } from '../../electron/core/log';
import { keytarBackend, Secrets } from '../../electron/core/secrets';
import { tempDataDir } from '../helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { approvedRequest, seedSubject, SUBJECT } from '../jobs/job-helpers';
import { sandbox } from '../zoom/sandbox-helpers';

// The operations the desk (the window) adds to the contract, on the real core and sandbox.

describe("the desk's operations", () => {
  it('follows a job started in the background to its result, which a new window (a reopened core) still reads', async () => {
    const box = await sandbox({ seed: 'demo' });
    await seedSubject(box);
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const id = await approvedRequest(core);
      expect((await call(core, 'findOpenRequests', { email: ` ${SUBJECT.toUpperCase()} ` })).requests).toHaveLength(1);
      expect((await call(core, 'findOpenRequests', { email: 'nobody@example.com' })).requests).toHaveLength(0);

      const before = await call(core, 'getJobStatus', { id });
      expect(before).toMatchObject({ running: false, result: null, error: null });
      expect(await call(core, 'startJob', { id })).toEqual({ started: true });
      const seen: number[] = [];
      let status = await call(core, 'getJobStatus', { id });
      while (status.running) {
        if (status.progress) seen.push(status.progress.done);
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = await call(core, 'getJobStatus', { id });
      }
      expect(status.error).toBeNull();
      expect(status.result?.status).toBe('completed');
      expect(status.result?.steps.filter((s) => s.source === 'registrant').every((s) => s.verified)).toBe(true);
      expect(status.processor_task?.status).toBe('open');
      expect(seen.length).toBeGreaterThan(0);
      expect((await call(core, 'listProcessorTasks', {})).tasks.map((t) => t.request_id)).toEqual([id]);

      // The mirror says who erased it; the overview counts the last sync's changes and the erased rows.
      const rows = (await call(core, 'listRegistrants', { webinar_id: '81234567890', limit: 500 })).rows;
      expect(rows.filter((r) => r.erased_by === id)).toHaveLength(1);
      expect(rows.find((r) => r.erased_by === id)?.email).toBeNull();
      const overview = await call(core, 'getMirrorOverview', {});
      expect(overview.registrants.erased).toBeGreaterThanOrEqual(6);
      // The job synced first (the request is newer than the mirror): that incremental run is the last sync.
      const sync = await call(core, 'getSyncStatus', {});
      expect(overview.last_sync?.run_id).toBe(sync.last_run?.id);
      // The job's deletions came after that sync began: they count among its changes, as the mirror's filter finds them.
      const deleted = status.result!.steps.filter((s) => s.source === 'registrant' && s.verified).length;
      expect(overview.last_sync?.changes.deleted_by_request).toBe(deleted);
      expect(sync.last_run?.warnings).toEqual([]);

      // The audit log pages newest first, filtered by request, actor and action group.
      const byRequest = await call(core, 'listAudit', { request_id: id, limit: 5 });
      expect(byRequest.total).toBeGreaterThan(5);
      expect(byRequest.entries).toHaveLength(5);
      expect(byRequest.entries[0]!.seq).toBeGreaterThan(byRequest.entries[4]!.seq);
      const approvals = await call(core, 'listAudit', { action: 'request', actor: 'Rui Reviewer' });
      expect(approvals.entries.map((e) => e.action)).toEqual(['request.approve']);
      expect(approvals.actors).toEqual(expect.arrayContaining(['Dana DPO', 'Rui Reviewer', 'sync']));
      expect(JSON.stringify(byRequest)).not.toContain(SUBJECT);
    } finally {
      await core.close();
    }
    const reopened = await openCore({ dataDir: dataDirOf(core) });
    try {
      const id = (await call(reopened, 'listRequests', {})).requests[0]!.id;
      const after = await call(reopened, 'getJobStatus', { id });
      expect(after).toMatchObject({ running: false, result: { status: 'completed' } });
    } finally {
      await reopened.close();
      await box.close();
    }
  });

  it('closing the core while a background sync runs stops the sync first: its run is recorded as cancelled and the next sync resumes it', async () => {
    const box = await sandbox({ seed: 'large', webinars: 4, registrants: 20_000 });
    const core = await connectedCore(box);
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    try {
      expect(await call(core, 'startSync', {})).toEqual({ started: true });
      let status = await call(core, 'getSyncStatus', {});
      while (status.running && (status.progress?.rows ?? 0) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = await call(core, 'getSyncStatus', {});
      }
      expect(status.running).toBe(true); // closed mid-sync, not after it
      await core.close();
      // Before: the store was closed under the running sync, whose run stayed 'running' and whose
      // next statement failed ("The database connection is not open").
      const reopened = await openCore({ dataDir: dataDirOf(core) });
      try {
        const after = await call(reopened, 'getSyncStatus', {});
        expect(after.last_run).toMatchObject({ status: 'cancelled', error_code: 'CANCELLED' });
        const resumed = await call(reopened, 'syncZoom', {});
        expect(resumed).toMatchObject({ run_id: after.last_run!.id, resumed: true });
        expect(resumed.registrants).toBeGreaterThan(0);
      } finally {
        await reopened.close();
      }
      expect(lines.filter((line) => line.includes('not open'))).toEqual([]);
    } finally {
      setLogSink((line) => process.stderr.write(line + '\n'));
      await box.close();
    }
  });

  it('searches registrants by the start of an address, a first or a last name, and by the kind of their last change', async () => {
    const box = await sandbox({ seed: 'demo' });
    await seedSubject(box);
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});
      const search = async (input: Record<string, unknown>) => (await call(core, 'listRegistrants', { limit: 500, ...input })).rows;
      const byEmail = await search({ search: 'ERIKA.MUSTERMANN@' });
      expect(byEmail.length).toBeGreaterThan(3);
      expect(byEmail.every((r) => r.email === SUBJECT)).toBe(true);
      expect((await search({ search: 'muster' })).map((r) => r.last_name?.toLowerCase()).every((n) => n?.startsWith('muster'))).toBe(true);
      expect((await search({ search: 'eri' })).some((r) => r.first_name === 'Erik')).toBe(true);
      expect((await search({ search: 'zzzz-nobody' })).length).toBe(0);
      const denied = await search({ change_kind: 'registered', status: 'denied' });
      expect(denied.every((r) => r.status === 'denied')).toBe(true);
    } finally {
      await core.close();
      await box.close();
    }
  });

  it('tries the sandbox in a folder of its own, carries the reviewer over, and leaves no trace when it goes back', async () => {
    const dataDir = tempDataDir();
    const live = await openCore({ dataDir });
    const desk = createDesk(live, { dataDir });
    const dispatch = async <T>(name: string, input: unknown = {}) => {
      const result = await desk.dispatch(name, input);
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    };
    try {
      await dispatch('updateSettings', { operator: 'Dana DPO', ui_language: 'de' });
      expect(await dispatch('getDeskMode')).toEqual({ mode: 'live' });
      expect(await dispatch('enterSandbox')).toEqual({ mode: 'sandbox' });
      expect(await dispatch('getDeskMode')).toEqual({ mode: 'sandbox' });
      expect(await dispatch('getSettings')).toMatchObject({ operator: 'Dana DPO', ui_language: 'de' });
      expect(await dispatch('getZoomConnection')).toMatchObject({ connected: true, account_id: 'sandbox-account' });
      // The sandbox's subscription made its first reconciliation (a sync) before the window opened, and
      // has been heard since: this sync reads again only what events did not keep current.
      const synced = await dispatch<{ registrants: number; kept_by_events: number }>('syncZoom', {});
      expect(synced.registrants + synced.kept_by_events).toBeGreaterThan(0);
      const overview = await dispatch<{ registrants: { approved: number } }>('getMirrorOverview');
      expect(overview.registrants.approved).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(dataDir, 'sandbox'))).toBe(true);

      expect(await dispatch('leaveSandbox')).toEqual({ mode: 'live' });
      expect(fs.existsSync(path.join(dataDir, 'sandbox'))).toBe(false);
      expect(await new Secrets(keytarBackend(), path.join(dataDir, 'sandbox')).getZoomCredentials()).toBeNull();
      expect(await dispatch('getZoomConnection')).toMatchObject({ connected: false });
      expect((await dispatch<{ webinars: unknown[] }>('listWebinars')).webinars).toHaveLength(0);
      // The CLI's core has no sandbox mode: it says where to go instead.
      const refused = await live.dispatch('enterSandbox', {});
      expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    } finally {
      await desk.close();
      await live.close();
    }
  });
});
