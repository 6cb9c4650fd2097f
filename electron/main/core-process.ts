// Runs the core in an Electron utility process, off the main (UI) thread: SQLite and keychain
// calls never block window handling. Messages: {id, operation, input} in, {id, result} out.
import { openDesk } from '../core/open-desk';
import { createLogger } from '../core/log';
import { fail } from '../../shared/result';

const log = createLogger('core-process');

async function start(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('core process started without a data directory');
  // The desk: the live core, or the sandbox's while the window tries it; locked (the unlock
  // screen) while this keychain holds no key for the store.
  const opened = openDesk({ dataDir });
  const answer = async ({ id, operation, input }: { id: number; operation: string; input: unknown }) => {
    const result = await opened.then(
      (core) => core.dispatch(operation, input),
      (error: unknown) =>
        fail({
          code: (error as { code?: never }).code ?? 'INTERNAL',
          message: error instanceof Error ? error.message : 'The core failed to start.',
        }),
    );
    process.parentPort.postMessage({ id, result });
  };
  // The port does not wait for a listener's promise: a failed answer is logged here, not lost.
  process.parentPort.on('message', (event: { data: { id: number; operation: string; input: unknown } }) => {
    answer(event.data).catch((error: unknown) => log.error('could not answer the window', { error }));
  });
  await opened.catch((error: unknown) => log.error('core failed to open', { error }));
}

void start();
