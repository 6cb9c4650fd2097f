import type { UtilityProcess } from 'electron';
import type { Dispatch } from '../../shared/dispatch';
import { fail, type Result } from '../../shared/result';

/** Dispatch that forwards each call to the core's utility process and waits for its answer. */
export function createCoreClient(child: UtilityProcess): Dispatch {
  let nextId = 0;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  child.on('message', (message: { id: number; result: Result<unknown> }) => {
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  child.on('exit', () => {
    for (const resolve of pending.values()) {
      resolve(fail({ code: 'INTERNAL', message: 'The DSR Desk core stopped; restart the app.' }));
    }
    pending.clear();
  });
  return (operation, input) =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      child.postMessage({ id, operation, input });
    });
}
