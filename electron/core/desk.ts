import { DEFAULT_ACCOUNT } from '../../shared/accounts';
import fs from 'node:fs';
import path from 'node:path';
import { callOperation, type Dispatch, type OperationHandlers } from '../../shared/dispatch';
import { OPERATION_NAMES, type OperationName } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { pathInDataFolder } from './data-folder';
import { createLogger } from './log';
import { startZoomSandbox, type ZoomSandbox } from './sandbox/server';
import { DEMO_ORGANISATION } from './sandbox/seed';
import { openCore, type Core, type CoreOptions } from './service';
import { Secrets, keytarBackend } from './secrets';
import { searchIndexWarmUp } from './store/mirror-queries';

const log = createLogger('desk');

/** The desk's page cache: it stays open all day over one mirror, unlike a CLI command (32 MiB). */
const DESK_CACHE_KIB = 64 * 1024;

/**
 * A larger page cache for the window's core, and the search box's indexes read into it in the
 * background, one per turn of the event loop so a call from the window waits one step at most
 * (at 100,000 registrants ~70 ms each, once): the first keystroke is then as quick as the next.
 */
function prepareForDesk(core: Core): void {
  const { db } = core.store;
  db.pragma(`cache_size = -${DESK_CACHE_KIB}`);
  const steps = searchIndexWarmUp(db, (DESK_CACHE_KIB * 1024) / 2);
  const next = () => {
    const step = steps.shift();
    if (!step || !db.open) return;
    try {
      step();
      setImmediate(next);
    } catch (error) {
      log.warn('could not read the search indexes ahead; the first search reads them instead', { error });
    }
  };
  setImmediate(next);
}

/** Settings that belong to the person at the desk, carried into the sandbox so it greets them as they are. */
const CARRIED = ['operator', 'ui_language', 'time_zone', 'language'] as const;

/** The operations that write a file: from the window, only into the data folder's documents/. */
const DOCUMENT_OPERATIONS: ReadonlySet<OperationName> = new Set(['writeEvidence', 'writeReplyLetter', 'writeProcessorRequest', 'writeSubjectPackage', 'writeReport']);

/**
 * The window writes documents only where the app keeps them (documents/ in the data folder; the
 * person then downloads a copy, or saves one where they pick in the app's save dialog). A path or
 * a `force` from a caller of the browser-mode API or the IPC would let any page that got hold of
 * the token overwrite any file this user can write: refused, and nothing is written. `out` stays
 * the command line's.
 */
function windowWritesOnlyItsOwn(name: OperationName, input: unknown): unknown {
  if (!DOCUMENT_OPERATIONS.has(name)) return input;
  const { out, force } = input as { out?: string; force?: boolean };
  if (out !== undefined || force) {
    throw new AppError('FORBIDDEN', 'The window writes documents into the data folder only (documents/); download or save a copy from there. A path to write to is given on the command line (--out).');
  }
  return input;
}

export interface Desk {
  dispatch: Dispatch;
  close(): Promise<void>;
}

/**
 * The desk holds the event subscription while it is open, when one is set: changes come into the
 * mirror as they happen and the window shows them (getLiveStatus). Returns how to stop it, and
 * a promise that settles once its first reconciliation (a sync) is done or it gave up.
 */
function holdEventSubscription(core: Core): { stop: () => void; reconciled: Promise<void> } {
  let watching: ReturnType<Core['watchEvents']>;
  let settle: () => void = () => undefined;
  const reconciled = new Promise<void>((resolve) => (settle = resolve));
  try {
    watching = core.watchEvents({ onNote: (note) => (note.kind === 'reconciled' || note.state === 'failed' || note.state === 'stopped') && settle() });
  } catch (error) {
    log.info('no live changes: no event subscription is set', { code: (error as { code?: string }).code });
    return { stop: () => undefined, reconciled: Promise.resolve() };
  }
  watching.done.catch((error: unknown) => log.warn('live changes stopped', { code: (error as { code?: string }).code ?? 'INTERNAL' })).finally(settle);
  return { stop: watching.stop, reconciled };
}

/** How long "Try the sandbox" waits for the sandbox's first reconciliation before it opens anyway. */
const SANDBOX_READY_MS = 30_000;

/**
 * The window's door to the core: the live core, or (after "Try the sandbox") a second core on a
 * folder of its own with the built-in Zoom sandbox's demo data, so demo data never mixes with the
 * live register. Leaving the sandbox deletes its folder and its keychain entries.
 */
export function createDesk(live: Core, options: CoreOptions): Desk {
  prepareForDesk(live);
  let stopLive = holdEventSubscription(live).stop;
  const backupSchedule = live.startBackupSchedule();
  const sandboxDir = pathInDataFolder(options.dataDir, 'sandbox');
  let sandbox: { core: Core; zoom: ZoomSandbox; stopLive: () => void } | null = null;
  let switching: Promise<unknown> = Promise.resolve();

  const discardSandboxFolder = async () => {
    await new Secrets(options.keychain ?? keytarBackend(), sandboxDir).forget();
    fs.rmSync(sandboxDir, { recursive: true, force: true });
  };

  async function enter(): Promise<void> {
    if (sandbox) return;
    await discardSandboxFolder(); // what a crash left behind
    const zoom = await startZoomSandbox({ seed: 'demo', plan: 'pro' });
    let core: Core | undefined;
    try {
      core = await openCore({ ...options, dataDir: sandboxDir, sandbox: true });
      const own = await live.service.getSettings({});
      const carried = Object.fromEntries(CARRIED.filter((key) => own[key] !== null).map((key) => [key, own[key]]));
      // The demo organisation speaks for the sandbox's documents, so they can be looked at as they would go out.
      await core.service.updateSettings({ ...DEMO_ORGANISATION, ...carried });
      await core.service.connectZoom({
        name: DEFAULT_ACCOUNT,
        ...zoom.credentials,
        api_url: zoom.apiUrl,
        oauth_url: zoom.oauthUrl,
        event_subscription_id: zoom.eventSubscriptionId,
        ws_url: zoom.wsUrl,
      });
      const held = holdEventSubscription(core);
      // The sandbox opens with its mirror synced (the subscription's first reconciliation), not with a sync running.
      await Promise.race([held.reconciled, new Promise((resolve) => setTimeout(resolve, SANDBOX_READY_MS).unref())]);
      sandbox = { core, zoom, stopLive: held.stop };
      log.info('sandbox mode on');
    } catch (error) {
      await core?.close();
      await zoom.close();
      await discardSandboxFolder();
      throw error;
    }
  }

  async function leave(): Promise<void> {
    if (!sandbox) return;
    const { core, zoom, stopLive: stopSandboxLive } = sandbox;
    sandbox = null;
    stopSandboxLive();
    await core.close();
    await zoom.close();
    await discardSandboxFolder();
    log.info('sandbox mode off');
  }

  const inUse = () => sandbox?.core ?? live;

  // Switches are queued: two clicks never open two sandboxes. Which mode the desk is in is the
  // core's answer (getDeskMode), so the switch and the window's question never disagree.
  const switchTo = (move: () => Promise<void>) => {
    const next = switching.then(move);
    switching = next.catch(() => undefined);
    return next.then(() => inUse().service.getDeskMode({}));
  };

  // Every operation goes to the core in use; the two switches are the desk's own.
  const forward = (name: OperationName) => (input: unknown) => {
    const core = inUse();
    return (core.service[name] as (input: unknown) => Promise<unknown>).call(core.service, windowWritesOnlyItsOwn(name, input));
  };
  const service = {} as OperationHandlers;
  for (const name of OPERATION_NAMES) service[name] = forward(name);
  // Connecting from the window with a subscription starts (or restarts) the live changes.
  service.connectZoom = async (input) => {
    const core = inUse();
    const connected = await core.service.connectZoom(input as never);
    if (core === live && connected.event_subscription_id) {
      stopLive();
      stopLive = holdEventSubscription(live).stop;
    }
    return connected;
  };
  service.enterSandbox = () => switchTo(enter);
  service.leaveSandbox = () => switchTo(leave);

  return {
    dispatch: (name, input) => callOperation(service, name, input, (operation, error) => log.error('operation failed', { operation, error })),
    close: async () => {
      stopLive();
      await backupSchedule.stop();
      await switching;
      await leave();
    },
  };
}
