#!/usr/bin/env node
// `npm run setup`: installs what the OS lacks, then the npm dependencies, then builds.
// Debian/Ubuntu: the packages below through apt (as root, or with sudo). macOS and Windows need
// only their compilers for the native modules (Xcode command line tools; Visual Studio Build Tools).
// It downloads nothing but Debian packages and npm packages: native modules are compiled here, and
// Electron's own binary download is skipped (see docs/architecture.md: the desktop shell needs it, tests don't).
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const DEBIAN_PACKAGES = {
  'build tools for the native modules': ['g++', 'make', 'python3', 'pkg-config'],
  "keytar's build (libsecret)": ['libsecret-1-dev'],
  'a keychain for headless runs': ['gnome-keyring', 'dbus'],
  'the browser tests': ['chromium'],
  'the PDF tests': ['poppler-utils'],
  "the backup tests (opening the app's backups with an age of another make)": ['age'],
};

function sh(cmd, args, options = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`setup: \`${[cmd, ...args].join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

function quiet(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`setup: Node ${process.versions.node} is too old; DSR Desk needs Node 20.19 or newer (20.x or 22.x).`);
  process.exit(1);
}

if (process.platform === 'linux' && quiet('sh', ['-c', 'command -v apt-get && command -v dpkg-query'])) {
  const wanted = Object.values(DEBIAN_PACKAGES).flat();
  const missing = wanted.filter((name) => !quiet('sh', ['-c', `dpkg-query -W -f='\${Status}' ${name} 2>/dev/null | grep -q 'install ok installed'`]));
  if (missing.length === 0) {
    console.log('setup: the Debian packages DSR Desk needs are installed.');
  } else {
    const asRoot = process.getuid?.() === 0;
    const prefix = asRoot ? [] : quiet('sh', ['-c', 'command -v sudo']) ? ['sudo'] : null;
    if (prefix === null) {
      console.error(
        `setup: these Debian packages are missing and this user can't install them: ${missing.join(' ')}\n` + 'Install them as root (apt-get install ...), then run `npm run setup` again.',
      );
      process.exit(1);
    }
    console.log(`setup: installing Debian packages: ${missing.join(' ')}`);
    const apt = (args) =>
      prefix.length
        ? sh(prefix[0], ['apt-get', ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
        : sh('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    apt(['update', '-qq']);
    apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  }
} else if (process.platform === 'linux') {
  console.log('setup: not a Debian/Ubuntu system; install by hand: a C++ toolchain, pkg-config, libsecret (dev), ' + 'gnome-keyring, dbus, chromium and poppler-utils.');
} else {
  console.log(`setup: ${process.platform}: no system packages needed beyond a C++ toolchain for the native modules.`);
}

// Electron's postinstall would download the Electron binary from outside the npm registry.
const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
sh(npm, ['ci', '--no-audit', '--no-fund'], { env, shell: process.platform === 'win32' });
sh(npm, ['run', 'build'], { shell: process.platform === 'win32' });
console.log('setup: done. Try `npm run demo`, then `npm test`.');
