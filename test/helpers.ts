import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { keytarBackend, Secrets } from '../electron/core/secrets';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const CLI = path.join(REPO_ROOT, 'bin', 'dsr-desk.js');

const created: string[] = [];

/** A fresh data directory; removed, with its keychain entries, after the test. */
export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-desk-test-'));
  created.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of created.splice(0)) {
    await new Secrets(keytarBackend(), dir).forget().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): CliRun {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: options.env ?? process.env,
    input: options.input,
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json: parseJson(result.stdout) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** runCli without blocking this process: needed when the test process itself serves the sandbox. */
export function runCliAsync(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += String(data)));
    child.stderr.on('data', (data) => (stderr += String(data)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr, json: parseJson(stdout) }));
  });
}
