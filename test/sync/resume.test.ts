import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/service';
import type { SyncProgress, SyncResult } from '../../shared/mirror';
import { CLI, runCliAsync, tempDataDir } from '../helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { mirrorChecksum } from './checksum';
import { call, connectedCore } from './sync-helpers';
import { openCore } from '../../electron/core/service';
import { missingSearchIndexes } from '../../electron/core/store/search-indexes';

async function checksumOf(dataDir: string) {
  const core = await openCore({ dataDir });
  try {
    return { ...mirrorChecksum(core.store.db), missingSearchIndexes: missingSearchIndexes(core.store.db) };
  } finally {
    await core.close();
  }
}

/** Starts `dsr-desk sync` and kills it with SIGKILL once it has finished `afterWebinars` webinars, plus a random moment. */
function syncKilledAfter(dataDir: string, afterWebinars: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'sync']);
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (data) => {
      stderr += String(data);
      const done = [...stderr.matchAll(/webinar (\d+) of/g)].map((m) => Number(m[1]));
      if (!killing && done.some((n) => n >= afterWebinars)) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 300);
      }
    });
    child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(stderr) : reject(new Error(`sync ended before it was killed (exit ${code}): ${stderr.slice(-400)}`))));
  });
}

async function largeSandbox() {
  const box = await sandbox({ seed: 'empty', plan: 'business' });
  await control(box, 'POST', 'seed', { seed: 'large', webinars: 10, registrants: 20_000 });
  return box;
}

async function connectBusiness(box: Awaited<ReturnType<typeof sandbox>>): Promise<{ dataDir: string; core: Core }> {
  const dataDir = tempDataDir();
  const core = await connectedCore(box, dataDir);
  await call(core, 'updateSettings', { zoom_plan: 'business' });
  return { dataDir, core };
}

describe('a sync that stops half way', () => {
  it('killed with SIGKILL twice and run again, ends with the same mirror as an uninterrupted sync', async () => {
    const box = await largeSandbox();
    const reference = await connectBusiness(box);
    await reference.core.close();
    const whole = await runCliAsync(['--json', '--data-dir', reference.dataDir, 'sync']);
    expect(whole.code).toBe(0);
    expect(whole.json).toMatchObject({ webinars: 10, registrants: expect.any(Number), changes: { registered: expect.any(Number) } });
    const expected = await checksumOf(reference.dataDir);
    expect(expected.rows.registrants).toBe(20_000);
    expect(expected.rows.participants).toBeGreaterThan(1000);

    const interrupted = await connectBusiness(box);
    await interrupted.core.close();
    await syncKilledAfter(interrupted.dataDir, 1);
    const partial = await checksumOf(interrupted.dataDir);
    expect(partial.rows.registrants).toBeGreaterThan(0);
    expect(partial.rows.registrants).toBeLessThan(expected.rows.registrants!);
    // A first sync loads without the search indexes (search-indexes.ts); the kill left them unbuilt.
    expect(partial.missingSearchIndexes).toEqual(['registrants_by_email', 'registrants_by_first_name', 'registrants_by_last_name']);
    expect(expected.missingSearchIndexes).toEqual([]);
    await syncKilledAfter(interrupted.dataDir, 5);
    const resumed = await runCliAsync(['--json', '--data-dir', interrupted.dataDir, 'sync']);
    expect(resumed.code).toBe(0);
    expect(resumed.json).toMatchObject({ resumed: true, webinars: 10 });

    const actual = await checksumOf(interrupted.dataDir);
    expect(actual.rows).toEqual(expected.rows);
    expect(actual.sha256).toBe(expected.sha256);
    expect(actual.missingSearchIndexes).toEqual([]);
    // Every registrant recorded once as registered, however many times the run was restarted.
    expect((resumed.json as SyncResult).changes.registered).toBe(expected.rows.registrants);
  });

  it('cancelled, or stopped by a daily limit, keeps what it read and resumes to the same end state', async () => {
    const box = await sandbox({ seed: 'demo' });
    const reference = await connectedCore(box);
    await call(reference, 'syncZoom', {});
    const expected = mirrorChecksum(reference.store.db);
    await reference.close();

    await control(box, 'POST', 'faults', { slow_ms: 40 });
    const events: SyncProgress[] = [];
    const dataDir = tempDataDir();
    const core = await openCore({
      dataDir,
      onSyncProgress: (progress) => {
        events.push(progress);
        if (progress.phase === 'webinars' && progress.rows > 0 && events.filter((e) => e.rows > 0).length === 1) void core.service.cancelSync({});
      },
    });
    try {
      await call(core, 'connectZoom', { ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl });
      const cancelled = await core.dispatch('syncZoom', {});
      expect(cancelled).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: expect.stringMatching(/run sync again/i) } });
      const status = await call(core, 'getSyncStatus', {});
      expect(status).toMatchObject({ running: false, last_run: { status: 'cancelled' } });
      // What the cancelled first sync stored is searchable through the indexes at once.
      expect(missingSearchIndexes(core.store.db)).toEqual([]);
      expect(events.map((e) => e.phase)).toContain('discovering');

      // The heavy (report) calls now hit Zoom's daily limit: the run fails with the resume time.
      await control(box, 'POST', 'faults', { clear: true, exhaust_daily: 'heavy_shared' });
      const limited = await core.dispatch('syncZoom', {});
      expect(limited).toMatchObject({ ok: false, error: { code: 'ZOOM_DAILY_LIMIT' } });

      await control(box, 'POST', 'faults', { clear: true });
      const finished = await call(core, 'syncZoom', {});
      expect(finished).toMatchObject({ resumed: true, webinars: 3, meetings: 2, changes: { registered: 75 } });
      expect(mirrorChecksum(core.store.db)).toEqual(expected);
    } finally {
      await core.close();
    }
  });

  it('refuses a second sync while one runs, and a sync before Zoom is connected', async () => {
    const box = await sandbox({ seed: 'demo' });
    const unconnected = await openCore({ dataDir: tempDataDir() });
    expect(await unconnected.dispatch('syncZoom', {})).toMatchObject({
      ok: false,
      error: { code: 'ZOOM_NOT_CONNECTED', message: expect.not.stringContaining('dsr-desk'), hint: { action: 'connect' } },
    });
    await unconnected.close();

    const core = await connectedCore(box);
    try {
      expect(await call(core, 'startSync', {})).toEqual({ started: true });
      expect(await core.dispatch('syncZoom', {})).toMatchObject({ ok: false, error: { code: 'SYNC_IN_PROGRESS' } });
      for (let i = 0; i < 200 && (await call(core, 'getSyncStatus', {})).running; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await call(core, 'getSyncStatus', {})).toMatchObject({ running: false, last_run: { status: 'completed' }, last_error: null });
      expect(await core.dispatch('syncZoom', { event_id: '12ab' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    } finally {
      await core.close();
    }
  });
});
