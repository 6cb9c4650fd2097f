import { callOperation, type OperationHandlers } from '../../shared/dispatch';
import { OPERATION_NAMES } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { createDesk, type Desk } from './desk';
import { createLogger } from './log';
import { parseIdentity } from './backup/age';
import { unlockWithRecoveryKey } from './recovery';
import { openCore, type CoreOptions } from './service';

const log = createLogger('desk');

/**
 * The window's desk over a data folder, or, when this keychain holds no key for its store, a
 * locked desk: every operation answers DATABASE_KEY_MISSING (the window shows its unlock screen)
 * but unlockStore, which puts the key back with the recovery key and opens the desk in place.
 */
export async function openDesk(options: CoreOptions): Promise<Desk> {
  try {
    return await openUnlocked(options);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'DATABASE_KEY_MISSING') throw error;
    log.info('the store is locked: this keychain holds no key for it');
    return lockedDesk(options, error);
  }
}

async function openUnlocked(options: CoreOptions): Promise<Desk> {
  const core = await openCore(options);
  const desk = createDesk(core, options);
  return {
    dispatch: desk.dispatch,
    close: async () => {
      await desk.close();
      await core.close();
    },
  };
}

function lockedDesk(options: CoreOptions, locked: AppError): Desk {
  let opened: Desk | null = null;
  const service = {} as OperationHandlers;
  for (const name of OPERATION_NAMES) {
    service[name] = () => {
      throw locked;
    };
  }
  service.unlockStore = async (input) => {
    const { identity } = input as { identity: string };
    await unlockWithRecoveryKey({ dataDir: options.dataDir, identity: parseIdentity(identity), keychain: options.keychain, now: options.now });
    opened = await openUnlocked(options);
    return { unlocked: true as const };
  };
  const dispatchLocked = (name: unknown, input: unknown) => callOperation(service, name, input, (operation, error) => log.error('operation failed', { operation, error }));
  return {
    dispatch: (name, input) => (opened ? opened.dispatch(name, input) : dispatchLocked(name, input)),
    close: async () => {
      await opened?.close();
    },
  };
}
