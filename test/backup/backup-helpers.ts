import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../electron/core/service';
import { REPO_ROOT, CLI } from '../helpers';
import { call } from '../sync/sync-helpers';

/** Makes the recovery key of a core; its identity, as the DPO would keep it. */
export async function recoveryKey(core: Core): Promise<{ identity: string; recipient: string }> {
  return call(core, 'createRecoveryKey', {});
}

/**
 * Runs `bash -c script` under a keyring of its own (a new D-Bus session and GNOME Keyring, as on
 * another machine), without blocking this process (it may serve the sandbox the script calls).
 * `$CLI` in the script is the dsr-desk command.
 */
export function inFreshKeychain(script: string, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CLI: `${process.execPath} ${CLI}` };
  delete env.DSR_DESK_PRIVATE_KEYCHAIN;
  delete env.DBUS_SESSION_BUS_ADDRESS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'with-keychain.mjs'), '--private', 'bash', '-c', script], { env, cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += String(data)));
    child.stderr.on('data', (data) => (stderr += String(data)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Every file under `dir` with its SHA-256, relative names: how two folders are compared. */
export function fileHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    if (!fs.existsSync(at)) return;
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) walk(file);
      else out[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Files under the given folders that hold any of `needles` as bytes (UTF-8, and UTF-16 as SQLite may store text). */
export function filesHolding(roots: string[], needles: string[], skip: (file: string) => boolean = () => false): string[] {
  const patterns = needles.flatMap((n) => [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')]);
  const found: string[] = [];
  const walk = (at: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(at, { withFileTypes: true });
    } catch {
      return; // removed while we looked
    }
    for (const entry of entries) {
      const file = path.join(at, entry.name);
      if (skip(file)) continue;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) {
        try {
          const bytes = fs.readFileSync(file);
          if (patterns.some((p) => bytes.includes(p))) found.push(file);
        } catch {
          // gone between listing and reading
        }
      }
    }
  };
  for (const root of roots) walk(root);
  return [...new Set(found)];
}
