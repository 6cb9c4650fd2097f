#!/usr/bin/env node
'use strict';
// The dsr-desk command: a thin launcher for the compiled CLI in dist/.
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'electron', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(`dsr-desk is not built yet. Run \`npm run setup\` (or \`npm run build\`) in ${path.dirname(__dirname)}.\n`);
  process.exit(1);
}
require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
