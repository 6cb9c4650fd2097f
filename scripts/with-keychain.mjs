#!/usr/bin/env node
// Runs a command where an OS keychain is reachable. DSR Desk keeps its keys only in the OS
// keychain; a headless Linux machine (CI, a server, a container) has none, so there this starts a
// private GNOME Keyring inside a private D-Bus session for the command's lifetime. macOS and
// Windows always have theirs (Keychain, Credential Manager), so the command runs as it is.
//
//   node scripts/with-keychain.mjs [--private] <command> [args...]
//   --private  always use a private keyring (tests: never touch the user's real keychain)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const forcePrivate = args[0] === '--private';
const command = forcePrivate ? args.slice(1) : args;
if (command.length === 0) {
  console.error('usage: node scripts/with-keychain.mjs [--private] <command> [args...]');
  process.exit(2);
}

function run(cmd, cmdArgs, env) {
  const child = spawn(cmd, cmdArgs, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

function has(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

function keychainReachable() {
  const probe = "require('keytar').findCredentials('DSR Desk probe').then(() => process.exit(0), () => process.exit(1))";
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

const alreadyPrivate = process.env.DSR_DESK_PRIVATE_KEYCHAIN === '1';
const needPrivate = process.platform === 'linux' && !alreadyPrivate && (forcePrivate || !keychainReachable());

if (!needPrivate) {
  process.exit(await run(command[0], command.slice(1), process.env));
}

if (!has('dbus-run-session') || !has('gnome-keyring-daemon')) {
  console.error(
    'No OS keychain is reachable and gnome-keyring / dbus are not installed, so none can be started.\n' +
      'Run `npm run setup` (it installs them), or start the command inside a desktop session.',
  );
  process.exit(1);
}

// The keyring's files live in a temp folder removed afterwards; its password is random and used once.
const keyringHome = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-desk-keyring-'));
const script = [
  'printf %s "$DSR_KEYRING_PASSWORD" | XDG_DATA_HOME="$DSR_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null',
  'unset DSR_KEYRING_PASSWORD DSR_KEYRING_HOME',
  'exec "$@"',
].join('\n');
const env = {
  ...process.env,
  DSR_DESK_PRIVATE_KEYCHAIN: '1',
  DSR_KEYRING_PASSWORD: randomBytes(24).toString('hex'),
  DSR_KEYRING_HOME: keyringHome,
};
const code = await run('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...command], env);
fs.rmSync(keyringHome, { recursive: true, force: true });
process.exit(code);
