import { spawn, type ChildProcess } from 'node:child_process';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { openCore, type Core } from '../../electron/core/service';
import type { LiveChange } from '../../electron/core/live/apply';
import { CLI, tempDataDir } from '../helpers';
import { call } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';

/** The demo account's upcoming webinar (registrations wait for the host's approval). */
export const UPCOMING = '81234567890';

/** A core on a fresh data directory, connected to the sandbox and its event subscription. */
export async function liveCore(box: ZoomSandbox, dataDir = tempDataDir()): Promise<Core> {
  const core = await openCore({ dataDir });
  const connected = await core.dispatch('connectZoom', {
    ...box.credentials,
    api_url: box.apiUrl,
    oauth_url: box.oauthUrl,
    event_subscription_id: box.eventSubscriptionId,
    ws_url: box.wsUrl,
  });
  if (!connected.ok) throw new Error(`connect failed: ${connected.error.code}`);
  return core;
}

/** `dsr-desk watch --json` in a process of its own, as a person would leave it running. */
export interface Watch {
  process: ChildProcess;
  changes: LiveChange[];
  stderr(): string;
  /** Resolves with the first change (or stderr) that passes the test, in the time given. */
  waitFor<T>(find: () => T | undefined, timeoutMs?: number, what?: string): Promise<T>;
  /** Ctrl+C, and the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startWatch(dataDir: string, env: NodeJS.ProcessEnv = process.env): Watch {
  const child = spawn(process.execPath, [CLI, '--json', '--verbose', '--data-dir', dataDir, 'watch'], { env });
  const changes: LiveChange[] = [];
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (data) => {
    pending += String(data);
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.trim()) changes.push(JSON.parse(line) as LiveChange);
  });
  child.stderr.on('data', (data) => (stderr += String(data)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    changes,
    stderr: () => stderr,
    exited,
    async waitFor(find, timeoutMs = 15_000, what = 'the condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find();
        if (found !== undefined && found !== false) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; watch said:\n${stderr.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** How many times the watch has finished reconciling (each (re)connection ends with one). */
export function reconciliations(watch: Watch): number {
  return watch
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('Reconciled with sync run')).length;
}

export async function eventSockets(box: ZoomSandbox): Promise<{ connections: number; sent: number }> {
  return control(box, 'GET', 'events');
}

/** A sandbox account mirrored once, with watch running and its first reconciliation done. */
export async function watching(seed: 'demo' | 'empty' = 'demo', env: NodeJS.ProcessEnv = process.env, before?: (box: ZoomSandbox) => Promise<void>) {
  const box = await sandbox({ seed });
  const dataDir = tempDataDir();
  const core = await liveCore(box, dataDir);
  await call(core, 'syncZoom', {});
  await core.close();
  await before?.(box);
  const watch = startWatch(dataDir, env);
  await watch.waitFor(() => reconciliations(watch) >= 1 || undefined, 30_000, 'the first reconciliation');
  return { box, dataDir, watch };
}
