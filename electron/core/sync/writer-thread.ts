import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkpointPassive, type Store } from '../store/database';
import type { MirrorWriter } from '../store/mirror-writer';
import type { SuppressionList } from '../store/suppression';

// What the sync writes, as promises: either on a worker thread with its own connection (a real
// sync: fetching and parsing never wait for a commit, and a commit never waits for the network),
// or on this thread (callers without the store's key, and the in-process tests of the engine).
// The worker takes calls in order, so a listing's close comes after its pages.

type Methods = {
  [K in keyof MirrorWriter as MirrorWriter[K] extends (...args: never[]) => unknown ? K : never]: MirrorWriter[K];
};
export type WriterMethod = keyof Methods;
export type AsyncWriter = { [K in WriterMethod]: (...args: Parameters<Methods[K]>) => Promise<ReturnType<Methods[K]>> } & { close(): Promise<void> };

export interface WriterWorkerData {
  file: string;
  databaseKey: string;
  suppressionKey: string;
}
export interface WriterRequest {
  id: number;
  method: WriterMethod | 'close';
  args: unknown[];
}

/** The same writer on this thread, each call a resolved promise. */
export function writerHere(writer: MirrorWriter): AsyncWriter {
  return new Proxy({} as AsyncWriter, {
    get: (_target, method: string | symbol) =>
      typeof method !== 'string' || method === 'then'
        ? undefined
        : method === 'close'
          ? async () => undefined
          : async (...args: unknown[]) => (writer[method as WriterMethod] as (...a: unknown[]) => unknown).apply(writer, args),
  });
}

/**
 * The compiled worker file. Under the tests the core runs from its TypeScript sources, which a
 * worker thread can't load: it then runs dist's build of the same file (`npm test` builds first).
 */
function workerFile(): string {
  const here = __filename.endsWith('.ts') ? path.join(path.resolve(__dirname, '../../..'), 'dist', 'electron', 'core', 'sync') : __dirname;
  return path.join(here, 'writer-worker.js');
}

/**
 * While the writer is behind (its CPU sets the pace: a large sync on a high plan), this thread
 * copies the writer's committed pages from the WAL into the database file every so often, so the
 * writer's connection finds them copied when its own checkpoint comes (every 1,000 pages). Each copy
 * decrypts and encrypts every page again: 15-20 s of the writer's CPU in a 1M-registrant sync. When
 * the writer keeps up, reading sets the pace and this thread keeps its time for that (copying here
 * regardless cost a sync of 100k registrants at Pro limits 2% more wall).
 */
const CHECKPOINT_EVERY_MS = 200;
/** Calls sent to the writer and not yet answered from which it counts as behind (4 webinars are read at once). */
const WRITER_BEHIND_CALLS = 3;

/** Starts the writer thread on the store's file, keyed as this connection is. */
export async function writerThread(store: Store, databaseKey: string, suppression: SuppressionList): Promise<AsyncWriter> {
  const data: WriterWorkerData = { file: store.path, databaseKey, suppressionKey: suppression.keyForWriterThread() };
  // A small heap: the thread holds one batch at a time, and a small heap is collected sooner.
  const worker = new Worker(workerFile(), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 64 } });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  let failed: Error | null = null;
  worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: { name?: string; message?: string; code?: string } }) => {
    const call = waiting.get(id);
    waiting.delete(id);
    if (!error) return call?.resolve(result);
    call?.reject(Object.assign(new Error(error.message ?? 'the writer thread failed'), { name: error.name ?? 'Error', code: error.code }));
  });
  const checkpoints = setInterval(() => waiting.size >= WRITER_BEHIND_CALLS && checkpointPassive(store.db), CHECKPOINT_EVERY_MS);
  checkpoints.unref();
  const fail = (error: Error) => {
    clearInterval(checkpoints);
    failed = error;
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the writer thread stopped (exit ${code})`)));
  const send = (method: WriterRequest['method'], args: unknown[]) =>
    new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies WriterRequest);
    });
  return new Proxy({} as AsyncWriter, {
    // Not a thenable: `then` is no writer method (an await would otherwise post it to the thread).
    get: (_target, method: string | symbol) =>
      typeof method !== 'string' || method === 'then'
        ? undefined
        : method === 'close'
          ? async () => {
              clearInterval(checkpoints);
              if (!failed) await send('close', []);
              await worker.terminate();
            }
          : (...args: unknown[]) => send(method as WriterMethod, args),
  });
}
