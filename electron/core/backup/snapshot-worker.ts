import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import { applyKey } from '../store/database';
import type { SnapshotRequest } from './snapshot';

// The backup's snapshot on a thread of its own, with its own connection: VACUUM INTO reads the whole
// store in one read transaction, which at a million registrants takes many seconds that the core's
// own thread (the desk's calls, a watch's events) must not wait for. The key arrives in memory.

const { file, key, target } = workerData as SnapshotRequest;
const db = new Database(file, { fileMustExist: true, readonly: true });
try {
  applyKey(db, key);
  db.pragma('busy_timeout = 5000');
  db.prepare('VACUUM INTO ?').run(target);
  parentPort!.postMessage({ ok: true });
} catch (error) {
  parentPort!.postMessage({ ok: false, code: (error as { code?: string }).code ?? null });
} finally {
  db.close();
}
