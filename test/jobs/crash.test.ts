import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { JobRunOutput } from '../../shared/jobs';
import { CLI, runCliAsync } from '../helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { approvedRequest, seedSubject } from './job-helpers';

const TRIALS = 10;
const KILLS_PER_TRIAL = 3;

/** Starts `dsr-desk job run` and kills it with SIGKILL after `ms`; true if it was still running then. */
function jobKilledAfter(dataDir: string, id: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--json', '--data-dir', dataDir, 'job', 'run', id], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL');
    });
  });
}

describe('an erasure job killed at random points', () => {
  it(`resumes from its journal to completed and verified, never deleting anything twice (at least 20 kills)`, { timeout: 600_000 }, async () => {
    let kills = 0;
    const points: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const box = await sandbox({ seed: 'demo', rngSeed: 100 + trial });
      await seedSubject(box);
      const core = await connectedCore(box);
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {}); // after the request arrived: the job plans from it without syncing again
      const dataDir = dataDirOf(core);
      await core.close();
      // Slowed down, so that the kills land between, and during, the job's calls.
      await control(box, 'POST', 'faults', { slow_ms: 80 });

      for (let k = 0; k < KILLS_PER_TRIAL; k++) {
        const ms = 250 + Math.random() * 1800;
        if (await jobKilledAfter(dataDir, id, ms)) {
          kills++;
          points.push(Math.round(ms));
        }
      }
      const final = await runCliAsync(['--json', '--data-dir', dataDir, 'job', 'run', id]);
      expect(final.code, final.stdout + final.stderr).toBe(0);
      const result = final.json as JobRunOutput;
      expect(result.status).toBe('completed');
      const registrants = result.steps.filter((s) => s.source === 'registrant');
      expect(registrants).toHaveLength(8); // six webinar registrations and two meeting ones
      expect(registrants.every((s) => s.verified)).toBe(true);

      // No delete after Zoom had already deleted that registrant.
      const deletes = box.requests().filter((r) => r.method === 'DELETE');
      for (const path of new Set(deletes.map((r) => r.path))) {
        const forIt = deletes.filter((r) => r.path === path);
        const firstDone = forIt.findIndex((r) => r.status === 204);
        expect(firstDone, `${path}: ${forIt.map((r) => r.status).join(',')}`).toBeGreaterThanOrEqual(0);
        expect(forIt.slice(firstDone + 1), path).toEqual([]);
      }
      const audit = await runCliAsync(['--json', '--data-dir', dataDir, 'audit', 'verify']);
      expect(audit.json).toMatchObject({ ok: true, first_bad: null });
    }
    console.log(`job crash test: ${kills} SIGKILLs mid-job over ${TRIALS} jobs, at ${points.sort((a, b) => a - b).join(', ')} ms; every job then completed and verified`);
    expect(kills).toBeGreaterThanOrEqual(20);
  });
});
