import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers';

// `npm run desk` on a machine without a keychain (no D-Bus session, as on a server or in CI): the
// keyring it starts is kept in the user's data folder, so the desk's key survives a restart and
// yesterday's requests are still there. Before, the keyring lived in a temp folder deleted at the
// end, and the next start answered DATABASE_KEY_MISSING.

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-desk-home-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/** The `desk` script of package.json, as npm runs it, with the arguments a user would add. */
function startDesk(dataDir: string): { child: ChildProcess; url: Promise<string> } {
  const script = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { desk: string } }).scripts.desk.split(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, DSR_DESK_KEYRING_PASSWORD: 'a password the DPO chose' };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.DSR_DESK_PRIVATE_KEYCHAIN;
  delete env.XDG_DATA_HOME;
  const [command, ...args] = script;
  const child = spawn(command === 'node' ? process.execPath : command!, [...args, '--data-dir', dataDir, '--port', '0'], { cwd: REPO_ROOT, env, detached: true });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (data) => {
      out += String(data);
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+/.exec(out);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`the desk stopped (${code}) before it printed its address: ${out}`)));
  });
  return { child, url };
}

/**
 * Ctrl+C in the terminal: SIGINT to the desk's whole process group, then wait for it to end (its
 * exit code is dbus-run-session's, which a Ctrl+C makes 1: what is asserted is the next start).
 */
async function stopDesk(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid!, 'SIGINT');
  await exited;
}

async function callDesk<T>(url: string, operation: string, input: unknown): Promise<T> {
  const { origin, hash } = new URL(url);
  const response = await fetch(`${origin}/api/${operation}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${hash.replace('#token=', '')}` },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; value: T; error?: unknown };
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('npm run desk on a machine without a keychain', () => {
  it('keeps its keyring where the next start finds it: requests filed before a restart are still there', { timeout: 120_000 }, async () => {
    const dataDir = path.join(home, 'data');
    const first = startDesk(dataDir);
    const filed = await callDesk<{ id: string }>(await first.url, 'createRequest', { type: 'access', email: 'before.restart@example.org', by: 'Dana DPO' });
    await stopDesk(first.child);

    const second = startDesk(dataDir);
    const listed = await callDesk<{ requests: { id: string }[] }>(await second.url, 'listRequests', {});
    expect(listed.requests.map((r) => r.id)).toEqual([filed.id]);
    await stopDesk(second.child);
    // The keyring is a GNOME keyring file, encrypted with the password: the key is not in it as text.
    const keyring = path.join(home, '.local', 'share', 'dsr-desk-keyring', 'keyrings', 'login.keyring');
    expect(fs.existsSync(keyring)).toBe(true);
    expect(fs.readFileSync(keyring).includes(Buffer.from('database-key'))).toBe(false);
  });
});
