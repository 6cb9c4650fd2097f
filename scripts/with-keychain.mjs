#!/usr/bin/env node
// Runs a command where an OS keychain is reachable. DSR Desk keeps its keys only in the OS
// keychain; a headless Linux machine (CI, a server, a container) has none, so there this starts a
// GNOME Keyring inside a private D-Bus session for the command's lifetime. macOS and Windows always
// have theirs (Keychain, Credential Manager), so the command runs as it is.
//
//   node scripts/with-keychain.mjs [--private | --persistent] <command> [args...]
//   --private     always a throw-away keyring (tests: never touch the user's real keychain)
//   --persistent  where no keychain is reachable, a keyring kept in the user's data folder
//                 ($XDG_DATA_HOME/dsr-desk-keyring, default ~/.local/share/dsr-desk-keyring) and
//                 locked with a password, as GNOME Keyring keeps a login keyring: the desk's keys
//                 survive a restart. The password is asked at the terminal (chosen on first use),
//                 or read from DSR_DESK_KEYRING_PASSWORD where there is no terminal.
//   (neither)     where no keychain is reachable, a throw-away keyring: for the demo, whose data
//                 folder goes with it.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';

const args = process.argv.slice(2);
const forcePrivate = args[0] === '--private';
const persistent = args[0] === '--persistent';
const command = forcePrivate || persistent ? args.slice(1) : args;
if (command.length === 0) {
  console.error('usage: node scripts/with-keychain.mjs [--private | --persistent] <command> [args...]');
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
    'No OS keychain is reachable and gnome-keyring / dbus are not installed, so none can be started.\n' + 'Run `npm run setup` (it installs them), or start the command inside a desktop session.',
  );
  process.exit(1);
}

/** Reads a password at the terminal without echoing it. */
async function askPassword(prompt) {
  const { stdin, stderr } = process;
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let text = '';
  for await (const chunk of stdin) {
    const key = String(chunk);
    if (key === '\u0003') process.exit(130);
    if (key === '\r' || key === '\n') break;
    text = key === '\u007f' ? text.slice(0, -1) : text + key;
  }
  stdin.setRawMode(false);
  stdin.pause();
  stderr.write('\n');
  return text;
}

/** The persistent keyring's folder and password: asked at the terminal, chosen (twice) the first time. */
async function persistentKeyring() {
  const home = path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'dsr-desk-keyring');
  const exists = fs.existsSync(path.join(home, 'keyrings', 'login.keyring'));
  let password = process.env.DSR_DESK_KEYRING_PASSWORD;
  if (!password && process.stdin.isTTY) {
    console.error(
      exists
        ? `No OS keychain is reachable here; DSR Desk keeps its keys in its own keyring, ${home}.`
        : `No OS keychain is reachable here, so DSR Desk makes a keyring of its own in ${home}, locked with a password you choose now.\n` +
            'Its keys then survive a restart of the desk. Keep the password safe (and make a recovery key in Settings: it opens the store even without this keyring).',
    );
    password = await askPassword('Keyring password: ');
    if (!exists && password !== (await askPassword('The same password again: '))) {
      console.error('The two passwords differ; nothing was made. Run it again.');
      process.exit(1);
    }
  }
  if (!password) {
    console.error(
      `No OS keychain is reachable and no terminal to ask for the password of DSR Desk's keyring (${home}).\n` +
        'Set DSR_DESK_KEYRING_PASSWORD for this command, or run it in a terminal or a desktop session.',
    );
    process.exit(1);
  }
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  return { home, password, keep: true };
}

// A throw-away keyring lives in a temp folder removed afterwards; its password is random and used once.
const keyring = persistent ? await persistentKeyring() : { home: fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-desk-keyring-')), password: randomBytes(24).toString('hex'), keep: false };
// With a kept keyring a wrong password leaves it locked: the probe says so before the command starts.
const keytarPath = createRequire(import.meta.url).resolve('keytar');
const probe = `const k=require(${JSON.stringify(keytarPath)});k.setPassword('DSR Desk probe','probe','1').then(()=>k.deletePassword('DSR Desk probe','probe')).then(()=>process.exit(0),()=>process.exit(1))`;
const script = [
  'printf %s "$DSR_KEYRING_PASSWORD" | XDG_DATA_HOME="$DSR_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null',
  'unset DSR_KEYRING_PASSWORD DSR_KEYRING_HOME DSR_DESK_KEYRING_PASSWORD',
  ...(keyring.keep
    ? [`"$DSR_NODE" -e "$DSR_PROBE" || { echo "The keyring $DSR_KEYRING_SHOWN did not open with that password. Nothing was started; run it again with the right one." >&2; exit 1; }`]
    : []),
  'exec "$@"',
].join('\n');
const env = {
  ...process.env,
  DSR_DESK_PRIVATE_KEYCHAIN: keyring.keep ? 'kept' : '1',
  DSR_KEYRING_PASSWORD: keyring.password,
  DSR_KEYRING_HOME: keyring.home,
  DSR_KEYRING_SHOWN: keyring.home,
  DSR_NODE: process.execPath,
  DSR_PROBE: probe,
};
const code = await run('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...command], env);
if (!keyring.keep) fs.rmSync(keyring.home, { recursive: true, force: true });
process.exit(code);
