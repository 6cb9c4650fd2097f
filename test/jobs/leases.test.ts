import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { JobRunOutput } from '../../shared/jobs';
import { CLI, runCliAsync, type CliRun } from '../helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { approvedRequest } from './job-helpers';

const both = (dataDir: string, args: string[]): Promise<[CliRun, CliRun]> =>
  Promise.all([runCliAsync(['--json', '--data-dir', dataDir, ...args]), runCliAsync(['--json', '--data-dir', dataDir, ...args])]);

describe('one runner per job and one sync at a time, across processes', () => {
  it('two processes run one job at once: one acts, the other gets JOB_RUNNING saying since when, and the final run completes with one DELETE per registration', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const id = await approvedRequest(core);
    await call(core, 'syncZoom', {});
    const dataDir = dataDirOf(core);
    await core.close();
    await control(box, 'POST', 'faults', { slow_ms: 60 });
    box.requests().splice(0);

    const runs = await both(dataDir, ['job', 'run', id]);
    const refused = runs.filter((r) => r.code === 1);
    const acted = runs.filter((r) => r.code === 0);
    expect(refused).toHaveLength(1);
    expect(acted).toHaveLength(1);
    expect(refused[0]!.json).toEqual({
      error: { code: 'JOB_RUNNING', message: expect.stringMatching(new RegExp(`^The job of ${id} is already running since \\d{4}-\\d\\d-\\d\\dT[^ ]+, by process \\d+\\.`)) },
    });
    expect((acted[0]!.json as JobRunOutput).status).toBe('completed');
    const deletes = box
      .requests()
      .filter((r) => r.method === 'DELETE')
      .map((r) => r.path);
    expect(deletes).toHaveLength(5); // three webinars and two meetings
    expect(new Set(deletes).size).toBe(5);

    const again = await runCliAsync(['--json', '--data-dir', dataDir, 'job', 'run', id]);
    expect(again.json).toMatchObject({ status: 'completed', already_completed: true });
  });

  it("two syncs at once: one runs, the other gets SYNC_IN_PROGRESS; a killed sync's lease is taken over at once", async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    await core.close();
    await control(box, 'POST', 'faults', { slow_ms: 40 });
    const runs = await both(dataDir, ['sync']);
    expect(runs.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(runs.find((r) => r.code === 1)!.json).toEqual({ error: { code: 'SYNC_IN_PROGRESS', message: expect.stringMatching(/^A sync is already running since .+, by process \d+\./) } });

    // A sync killed mid-way leaves its lease behind; its process is gone, so the next sync takes it over.
    const child = spawn(process.execPath, [CLI, '--json', '--data-dir', dataDir, 'sync', '--full'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const resumed = await runCliAsync(['--json', '--data-dir', dataDir, 'sync', '--full']);
    expect(resumed.code, resumed.stdout).toBe(0);
  });
});
