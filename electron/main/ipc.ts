import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { OPERATION_NAMES, type OperationName } from '../../shared/contract';
import type { Dispatch } from '../../shared/dispatch';
import { fail, type Result } from '../../shared/result';

// The IPC door. Only type imports from electron here, so the handlers run under plain Node in
// tests with a stand-in event object (the Electron binary can't run on every machine).

export const APP_SCHEME = 'app';
export const APP_HOST = 'dsr-desk';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export function ipcChannel(operation: OperationName): string {
  return `dsr:${operation}`;
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/** Only our own page's top frame may call the core (VS Code's ValidatedIpcMain idea). */
export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

export function createIpcHandler(dispatch: Dispatch, operation: OperationName) {
  return async (event: SenderEvent, payload: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event)) {
      return fail({ code: 'FORBIDDEN', message: 'This window is not allowed to call DSR Desk.' });
    }
    return dispatch(operation, payload);
  };
}

export function registerContract(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  for (const operation of OPERATION_NAMES) ipcMain.handle(ipcChannel(operation), createIpcHandler(dispatch, operation));
}
