import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface SnapshotRequest {
  file: string;
  key: string;
  target: string;
}

/** The compiled worker (under the tests, which run the sources, dist's build of it: `npm test` builds first). */
function workerFile(): string {
  const here = __filename.endsWith('.ts') ? path.join(path.resolve(__dirname, '../../..'), 'dist', 'electron', 'core', 'backup') : __dirname;
  return path.join(here, 'snapshot-worker.js');
}

/**
 * A consistent copy of the store at `target`, encrypted with the store's own cipher and key
 * (VACUUM INTO, one read transaction), made on a worker thread so this thread stays free.
 */
export function snapshotStore(request: SnapshotRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(), { workerData: request });
    worker.once('message', (reply: { ok: boolean; code: string | null }) => {
      if (reply.ok) resolve();
      else reject(Object.assign(new Error(`the snapshot of the store failed (${reply.code ?? 'unknown'})`), { code: reply.code ?? 'SNAPSHOT_FAILED' }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the snapshot thread stopped (${code})`)));
  });
}
