import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service';
import type { LoggedRequest } from '../../electron/core/sandbox/server';
import { PLAN_LIMITS, type RateCategory } from '../../electron/core/zoom/limits';
import type { SyncResult } from '../../shared/mirror';
import type { ZoomPlan } from '../../shared/settings';
import { CLI, tempDataDir } from '../helpers';

// The sandbox runs in a process of its own so that its work (generating and serving 100k or 1M
// registrants) is not counted against the sync, whose time and memory are what is measured.

const children: ChildProcess[] = [];
afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

interface Sandbox {
  base: string;
  details: { api_url: string; oauth_url: string; account_id: string; client_id: string; client_secret: string };
}

async function startSandbox(plan: ZoomPlan): Promise<Sandbox> {
  const child = spawn(process.execPath, ['--max-old-space-size=8192', CLI, '--json', 'sandbox', '--port', '0', '--seed', 'empty', '--plan', plan]);
  children.push(child);
  const details = await new Promise<Sandbox['details']>((resolve, reject) => {
    child.stdout!.once('data', (data) => resolve(JSON.parse(String(data))));
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
  return { base: details.oauth_url, details };
}

async function control<T>(box: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${box.base}/_sandbox/${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  return (await response.json()) as T;
}

async function connectedDataDir(box: Sandbox, plan: ZoomPlan): Promise<string> {
  const dataDir = tempDataDir();
  const core = await openCore({ dataDir });
  try {
    const connected = await core.dispatch('connectZoom', { ...box.details });
    expect(connected.ok).toBe(true);
    await core.dispatch('updateSettings', { zoom_plan: plan });
  } finally {
    core.close();
  }
  return dataDir;
}

function rssKib(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** `dsr-desk sync` in a child process, its resident memory sampled every 50 ms. */
function syncInChild(dataDir: string): Promise<{ result: SyncResult; ms: number; peakRssMib: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, '--json', '--data-dir', dataDir, 'sync']);
    children.push(child);
    let stdout = '';
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssKib(child.pid!));
      } catch {
        // exited between two samples
      }
    }, 50);
    child.stdout!.on('data', (data) => (stdout += String(data)));
    child.stderr!.resume();
    child.once('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`sync exited ${code}: ${stdout.slice(0, 500)}`));
      resolve({ result: JSON.parse(stdout) as SyncResult, ms: performance.now() - started, peakRssMib: peak / 1024 });
    });
  });
}

/** The least time Zoom's per-second limits allow for these calls: each category's calls at its rate, categories in parallel. */
function rateFloorMs(requests: LoggedRequest[], plan: ZoomPlan): { floorMs: number; calls: Record<string, number> } {
  const calls: Partial<Record<RateCategory, number>> = {};
  for (const r of requests) if (r.category) calls[r.category] = (calls[r.category] ?? 0) + 1;
  let floorMs = 0;
  for (const [category, n] of Object.entries(calls) as [RateCategory, number][]) {
    const { requests: perWindow, windowMs } = PLAN_LIMITS[plan].perWindow[category];
    floorMs = Math.max(floorMs, (n / perWindow) * windowMs);
  }
  return { floorMs, calls };
}

describe('sync of large accounts', () => {
  it('syncs the large seed (100k registrants over 50 webinars) at Pro limits within 1.2x the rate-limit floor', async () => {
    const box = await startSandbox('pro');
    await control(box, 'POST', 'seed', { seed: 'large' });
    const dataDir = await connectedDataDir(box, 'pro');
    await control(box, 'DELETE', 'requests');

    const { result, ms, peakRssMib } = await syncInChild(dataDir);
    const { requests } = await control<{ requests: LoggedRequest[] }>(box, 'GET', 'requests');
    const api = requests.filter((r) => r.path !== '/oauth/token');
    const { floorMs, calls } = rateFloorMs(api, 'pro');
    const ratio = ms / floorMs;
    console.log(`large seed at Pro limits: ${result.webinars} webinars, ${result.registrants.toLocaleString('en')} registrants, ${result.participants.toLocaleString('en')} participant records`);
    console.log(`  ${api.length} API calls (${Object.entries(calls).map(([c, n]) => `${n} ${c}`).join(', ')}), ${api.filter((r) => r.status === 429).length} answered 429`);
    console.log(`  took ${(ms / 1000).toFixed(1)} s (whole command, start-up included); rate-limit floor ${(floorMs / 1000).toFixed(1)} s; ratio ${ratio.toFixed(2)}x (goal <= 1.20x); peak RSS ${peakRssMib.toFixed(0)} MiB`);
    expect(result.registrants).toBe(100_000);
    expect.soft(ratio).toBeLessThanOrEqual(1.2);
  });

  it('keeps the sync under 300 MB of resident memory for 1M registrants', async () => {
    const box = await startSandbox('business');
    const seeded = await control<{ registrants: number }>(box, 'POST', 'seed', { seed: 'large', registrants: 1_000_000 });
    expect(seeded.registrants).toBe(1_000_000);
    const dataDir = await connectedDataDir(box, 'business');

    const { result, ms, peakRssMib } = await syncInChild(dataDir);
    console.log(`1M registrants at Business limits: ${result.registrants.toLocaleString('en')} registrants and ${result.participants.toLocaleString('en')} participant records in ${(ms / 1000).toFixed(1)} s`);
    console.log(`  peak RSS of the sync process ${peakRssMib.toFixed(0)} MiB (goal < 300 MB = 286 MiB)`);
    expect(result.registrants).toBe(1_000_000);
    expect.soft(peakRssMib).toBeLessThan(300_000_000 / 1024 / 1024);
  });
});
