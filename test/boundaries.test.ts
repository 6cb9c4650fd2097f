import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers';

// The layer table (architecture-and-style.md) is enforced by `npm run lint` (eslint.config.mjs and
// lint/layers.mjs). These tests run that config on small sources so a clean lint means something:
// each kind of violation is caught, and what is allowed stays allowed.

// Only the layer rules: the promise rules need the type checker, which these sources don't have.
const eslint = new ESLint({
  cwd: REPO_ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

/** The rule of each problem the config finds in `source`, were it the file at `file`. */
async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${REPO_ROOT}/${file}` });
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('layer boundaries', () => {
  it('shared/ imports only shared/ and zod, and uses no DOM or Node globals', async () => {
    expect(await problems('shared/x.ts', `import fs from 'node:fs';`)).toEqual(['layers/imports']);
    expect(await problems('shared/x.ts', `import { app } from 'electron';`)).toEqual(['layers/imports']);
    expect(await problems('shared/x.ts', `import { useState } from 'react';`)).toEqual(['layers/imports']);
    expect(await problems('shared/x.ts', `export { createLogger } from '../electron/core/log';`)).toEqual(['layers/imports']);
    expect(await problems('shared/x.ts', `export const w = window.location;`)).toEqual(['no-restricted-globals']);
    expect(await problems('shared/x.ts', `import { z } from 'zod';\nimport type { A } from './a';\nexport const s = z.string() as A;`)).toEqual([]);
  });

  it('electron/core never imports electron, however it is named', async () => {
    expect(await problems('electron/core/x.ts', `import { app } from 'electron';`)).toEqual(['layers/imports']);
    expect(await problems('electron/core/x.ts', `const e = require('electron');`)).toEqual(['layers/imports']);
    expect(await problems('electron/core/x.ts', `import e = require('electron');`)).toEqual(['layers/imports']);
    expect(await problems('electron/core/x.ts', `const e = await import('electron');`)).toEqual(['layers/imports']);
    expect(await problems('electron/core/x.ts', `import { run } from '../cli/main';`)).toEqual(['layers/imports']);
    expect(await problems('electron/core/x.ts', `import fs from 'node:fs';\nimport { z } from 'zod';\nimport { ok } from '../../shared/result';`)).toEqual([]);
  });

  it('renderer/ imports only renderer/, shared/ and its UI libraries', async () => {
    const file = 'renderer/src/screens/x.tsx';
    expect(await problems(file, `import { openCore } from '../../../electron/core/service';`)).toEqual(['layers/imports']);
    expect(await problems(file, `import fs from 'fs';`)).toEqual(['layers/imports']);
    expect(await problems(file, `import { ipcRenderer } from 'electron';`)).toEqual(['layers/imports']);
    expect(await problems(file, `import { api } from '../api';\nimport { operations } from '../../../shared/contract';\nimport { createRoot } from 'react-dom/client';`)).toEqual([]);
  });

  it("the core's modules import only from their own layer or lower", async () => {
    // Upwards: store/ (L3) to jobs/ (L9), live/ (L7) to jobs/, documents/ (L8) to jobs/, a folder to the top.
    expect(await problems('electron/core/store/x.ts', `import { Journal } from '../jobs/journal';`)).toEqual(['layers/core-order']);
    expect(await problems('electron/core/store/migrations/x.ts', `import { Journal } from '../../jobs/journal';`)).toEqual(['layers/core-order']);
    expect(await problems('electron/core/live/x.ts', `import type { Journal } from '../jobs/journal';`)).toEqual(['layers/core-order']);
    expect(await problems('electron/core/documents/x.ts', `import { observed } from '../jobs/remote';`)).toEqual(['layers/core-order']);
    expect(await problems('electron/core/secrets/x.ts', `import { openCore } from '../service';`)).toEqual(['layers/core-order']);
    expect(await problems('electron/core/backup/x.ts', `import { wire } from '../handlers/backup';`)).toEqual(['layers/core-order']);
    expect(await problems('electron/core/sandbox/x.ts', `import { Db } from '../store/database';`)).toEqual([]); // the same layer
    expect(await problems('electron/core/log.ts', `import { Secrets } from './secrets';`)).toEqual(['layers/core-order']); // the kernel is the bottom
    // Downwards and sideways within a layer are fine; the top (any top-level file that is not the kernel) takes anything.
    expect(
      await problems('electron/core/jobs/x.ts', `import { sayObservation } from '../documents/observations';\nimport { Secrets } from '../secrets';\nimport { AppError } from '../errors';`),
    ).toEqual([]);
    expect(await problems('electron/core/wiring.ts', `import { Backups } from './backup/backup';\nimport { openDesk } from './open-desk';`)).toEqual([]);
    expect(await problems('electron/core/handlers/x.ts', `import { openCore } from '../service';`)).toEqual([]);
    // A folder the table doesn't know is named until someone places it.
    expect(await problems('electron/core/meetings/x.ts', `export const x = 1;`)).toEqual(['layers/core-order']);
  });

  it('holds without exceptions: the sync reads live coverage from the store, and no module of a layer reads one above it', async () => {
    expect(await problems('electron/core/sync/run.ts', `import { coverage } from '../live/coverage';`)).toEqual(['layers/core-order']);
    expect(await problems('electron/core/sync/run.ts', `import { keptCurrentByEvents } from '../store/live-coverage';`)).toEqual([]);
  });
});
