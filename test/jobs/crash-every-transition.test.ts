import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keytarBackend, KEYCHAIN_SERVICE } from '../../electron/core/secrets';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import type { JobRunOutput } from '../../shared/jobs';
import { CLI, runCliAsync, tempDataDir } from '../helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { control, rawApi, sandbox } from '../zoom/sandbox-helpers';
import { approvedRequest, SUBJECT } from './job-helpers';

// Kills `job run` at every journal write in turn (the test-only DSR_DESK_TEST_CRASH hook sends
// the process SIGKILL just before, or just after, its Nth write), then runs it again to the end.
// Once with Zoom answering normally, once with every DELETE and status PUT losing its reply after
// taking effect: then "just before the write after the call" is a kill at the lost reply.

const RNG = 7;
const RECURRING = 81_234_567_891;

/**
 * The sandbox as the template saw it: the demo account, where the subject cancelled one registration
 * themselves. Its two meetings are deleted first: every journal write is a trial of three processes,
 * and a meeting's writes are the webinar's (test/jobs/crash.test.ts kills jobs that erase meetings too).
 */
async function reset(box: ZoomSandbox): Promise<void> {
  await control(box, 'POST', 'seed', { seed: 'demo', rng_seed: RNG });
  for (const meeting of ['85234567890', '85234567891']) expect((await rawApi(box, 'DELETE', `/meetings/${meeting}`)).status).toBe(204);
}
async function subjectCancelsOne(box: ZoomSandbox): Promise<void> {
  await control(box, 'POST', 'self-cancel', { webinar_id: RECURRING, email: SUBJECT });
}

/** A copy of a data directory with its keychain entries, so each trial starts from the same planned-for state. */
async function copyDataDir(from: string): Promise<string> {
  const to = tempDataDir();
  for (const file of fs.readdirSync(from)) fs.copyFileSync(path.join(from, file), path.join(to, file));
  const keychain = keytarBackend();
  for (const kind of ['database-key', 'zoom-credentials', 'suppression-key', 'audit-anchor']) {
    const secret = await keychain.get(KEYCHAIN_SERVICE, `${kind}@${path.resolve(from)}`);
    if (secret !== null) await keychain.set(KEYCHAIN_SERVICE, `${kind}@${path.resolve(to)}`, secret);
  }
  return to;
}

function jobRunCrashingAt(dataDir: string, id: string, crash: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--json', '--data-dir', dataDir, 'job', 'run', id], { stdio: 'ignore', env: { ...process.env, DSR_DESK_TEST_CRASH: crash } });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('an erasure job killed at every journal transition', () => {
  it('resumes every time to completed and verified, with never a second DELETE, also where replies are lost', { timeout: 900_000 }, async () => {
    const box = await sandbox({ seed: 'demo', rngSeed: RNG });
    await reset(box);
    const setup = await connectedCore(box);
    await call(setup, 'syncZoom', {});
    await subjectCancelsOne(box);
    const id = await approvedRequest(setup);
    await call(setup, 'syncZoom', {}); // the plan's sync: the self-cancel is classified, the request is older
    const template = dataDirOf(setup);
    await setup.close();

    const kills: Record<string, number> = {};
    for (const mode of ['replies', 'lost replies'] as const) {
      for (const when of mode === 'replies' ? (['after', 'before'] as const) : (['before'] as const)) {
        const key = `${mode}, ${when}`;
        kills[key] = 0;
        for (let write = 1; ; write++) {
          await reset(box);
          await subjectCancelsOne(box);
          if (mode === 'lost replies') {
            await control(box, 'POST', 'faults', { lose_replies: { method: 'DELETE', as: 'drop', count: 50 } });
            await control(box, 'POST', 'faults', { lose_replies: { method: 'PUT', as: 500, count: 50 } });
          }
          box.requests().splice(0);
          const dataDir = await copyDataDir(template);
          const crashed = await jobRunCrashingAt(dataDir, id, `${when}:${write}`);
          if (crashed.signal !== 'SIGKILL') {
            expect(crashed.code, `${key}:${write}`).toBe(0); // past the last write: the job simply finished
            break;
          }
          kills[key]++;

          const final = await runCliAsync(['--json', '--data-dir', dataDir, 'job', 'run', id]);
          expect(final.code, `${key}:${write}: ${final.stdout}`).toBe(0);
          const result = final.json as JobRunOutput;
          expect(result.status, `${key}:${write}: ${JSON.stringify(result.steps.map((s) => s.actions.filter((a) => a.result !== 'done')))}`).toBe('completed');
          const registrations = result.steps.filter((s) => s.source === 'registrant');
          expect(registrations).toHaveLength(3);
          expect(
            registrations.every((s) => s.verified),
            `${key}:${write}`,
          ).toBe(true);

          // One DELETE took effect per registration, and none was sent after it.
          const deletes = box.requests().filter((r) => r.method === 'DELETE');
          for (const step of registrations) {
            const forIt = deletes.filter((r) => r.path === `/${step.event_type}s/${step.event_id}/registrants/${step.registrant_id}`);
            const effective = forIt.findIndex((r) => r.status === 204 || r.applied);
            expect(effective, `${key}:${write} ${step.registrant_id}: ${forIt.map((r) => r.status)}`).toBeGreaterThanOrEqual(0);
            expect(forIt.slice(effective + 1), `${key}:${write}`).toEqual([]);
          }
          // Likewise one status change per live registration (the self-cancelled one has none to revoke).
          const puts = box.requests().filter((r) => r.method === 'PUT' && (r.status === 204 || r.applied));
          expect(puts.map((r) => r.path).sort(), `${key}:${write}`).toEqual(['/webinars/81234567890/registrants/status', '/webinars/81234567892/registrants/status']);
          const audit = await runCliAsync(['--json', '--data-dir', dataDir, 'audit', 'verify']);
          expect(audit.json, `${key}:${write}`).toMatchObject({ ok: true, first_bad: null });
        }
      }
    }
    const total = Object.values(kills).reduce((a, b) => a + b, 0);
    console.log(
      `deterministic job crash test: ${total} SIGKILLs, one at every journal write (${Object.entries(kills)
        .map(([k, n]) => `${k}: ${n}`)
        .join('; ')}); every job then completed and verified, no second DELETE or status change`,
    );
    expect(kills['replies, before']).toBeGreaterThanOrEqual(15);
  });
});
