import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import { applyConnectionPragmas, applyKey } from '../store/database';
import { MirrorWriter } from '../store/mirror-writer';
import { SuppressionList } from '../store/suppression';
import type { WriterRequest, WriterWorkerData } from './writer-thread';

const WRITER_CACHE_KIB = 16 * 1024;

// The sync's writer on a thread of its own, with its own connection to the encrypted store: the
// fetching thread parses the next pages while this one stores the last (writer-thread.ts). Keys
// arrive in memory from the thread that read them from the keychain; nothing here logs a value.

const { file, databaseKey, suppressionKey } = workerData as WriterWorkerData;
const db = new Database(file, { fileMustExist: true });
applyKey(db, databaseKey);
applyConnectionPragmas(db);
// Half the usual page cache: the thread's connection comes on top of the core's, and a 1M-registrant
// sync stays under 300 MB of resident memory with it (npm run bench), at about the same speed.
db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
const writer = new MirrorWriter(db, SuppressionList.withKey(db, Buffer.from(suppressionKey, 'hex')));

parentPort!.on('message', ({ id, method, args }: WriterRequest) => {
  if (method === 'close') {
    db.close();
    parentPort!.postMessage({ id, result: undefined });
    return;
  }
  try {
    const result = (writer[method] as (...a: unknown[]) => unknown).apply(writer, args);
    parentPort!.postMessage({ id, result });
  } catch (error) {
    const { name, message, code } = error as { name?: string; message?: string; code?: string };
    parentPort!.postMessage({ id, error: { name, message, code } });
  }
});
