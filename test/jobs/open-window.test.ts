import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { FindResult } from '../../shared/mirror';
import { CLI, runCliAsync } from '../helpers';
import { connectedCore, dataDirOf } from '../sync/sync-helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { SUBJECT } from './job-helpers';

/** `dsr-desk serve` in its own process: the window a DPO leaves open. */
async function serve(dataDir: string) {
  const child = spawn(process.execPath, [CLI, '--json', '--data-dir', dataDir, 'serve']);
  const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      try {
        resolve(JSON.parse(out));
      } catch {
        // not all of it yet
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const token = new URL(started.url).hash.replace('#token=', '');
  const api = async <T>(operation: string, input: unknown): Promise<T> => {
    const response = await fetch(`http://127.0.0.1:${started.port}/api/${operation}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as { ok: boolean; value: T; error?: { code: string; message: string } };
    if (!body.ok) throw new Error(`${operation}: ${body.error!.code}: ${body.error!.message}`);
    return body.value;
  };
  return { api, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGINT'))) };
}

describe('nothing comes back', () => {
  it('a window open and synced during a CLI erasure: its next full sync brings nothing of the subject back', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    await core.close();

    const window = await serve(dataDir);
    try {
      await window.api('syncZoom', {});
      expect((await window.api<FindResult>('findSubject', { email: SUBJECT })).matches.length).toBe(13); // five registrations, two events' attendance, Q&A, poll and survey

      const cli = (...args: string[]) => runCliAsync(['--json', '--data-dir', dataDir, ...args]);
      const { id } = (await cli('request', 'create', '--type', 'erasure', '--email', SUBJECT, '--by', 'Dana DPO')).json as { id: string };
      await cli('request', 'verify-identity', id, '--method', 'code sent to the address', '--by', 'Dana DPO');
      await cli('request', 'approve', id, '--by', 'Rui Reviewer');
      const job = await cli('job', 'run', id);
      expect(job.json).toMatchObject({ status: 'completed' });

      // The window sees what the job deleted at once, and its next full sync counts none of it again.
      const changes = await window.api<{ changes: { kind: string; via: string }[] }>('listChanges', { limit: 500 });
      expect(changes.changes.filter((c) => c.kind === 'deleted_by_request' && c.via === 'job')).toHaveLength(5);
      const resync = await window.api<{ changes: Record<string, number> }>('syncZoom', { full: true });
      expect(resync.changes.deleted_by_request).toBe(0);
      expect(await window.api<FindResult>('findSubject', { email: SUBJECT })).toMatchObject({ matches: [], suppressed: true });
    } finally {
      await window.stop();
    }
  });
});
