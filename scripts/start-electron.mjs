#!/usr/bin/env node
// `npm start`: the desktop app. Electron's binary is a separate download that some machines can't
// make; there this says so and points at browser mode instead of failing with a stack trace.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  electronBinary = require('electron');
} catch {
  electronBinary = null;
}
if (typeof electronBinary !== 'string' || !fs.existsSync(electronBinary)) {
  console.error(
    'The Electron binary is not installed, so the desktop app cannot start on this machine.\n' +
      '  - Where Electron can be downloaded: run `node node_modules/electron/install.js`, then `npm start`.\n' +
      '  - Everywhere: use browser mode, the same app in your browser: `npx dsr-desk serve` and open the address it prints.',
  );
  process.exit(1);
}
if (!fs.existsSync(new URL('../dist/electron/main/main.js', import.meta.url))) {
  console.error('DSR Desk is not built yet: run `npm run build` first.');
  process.exit(1);
}
const child = spawn(electronBinary, ['.'], { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
child.on('exit', (code) => process.exit(code ?? 1));
