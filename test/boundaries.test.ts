import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers';

// The layer table (see architecture-and-style.md): shared/ imports nothing of Node, Electron or
// the DOM; electron/core never imports electron; renderer/ imports only renderer/ and shared/
// (plus its UI libraries). Read from the source, so a new file can't slip past.

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const NODE_BUILTINS = new Set(require('node:module').builtinModules as string[]);
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]!);
const RENDERER_PACKAGES = new Set(['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'zustand', 'vite', 'i18next', 'react-i18next', '@tanstack/react-virtual']);
const SHARED_PACKAGES = new Set(['zod']);
const DOM_GLOBALS = /\b(window|document|localStorage|sessionStorage|navigator|HTMLElement)\s*[.[]/;

type Rule = (file: string, spec: string) => string | null;

const rules: Record<string, Rule> = {
  shared: (file, spec) => {
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec);
      return target.startsWith(path.join(REPO_ROOT, 'shared')) ? null : 'shared/ may only import shared/';
    }
    return SHARED_PACKAGES.has(spec) ? null : `shared/ may not import "${spec}" (no Node, Electron or DOM)`;
  },
  'electron/core': (_file, spec) => (spec === 'electron' || spec.startsWith('electron/') ? 'electron/core may not import electron' : null),
  renderer: (file, spec) => {
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec);
      const allowed = [path.join(REPO_ROOT, 'renderer'), path.join(REPO_ROOT, 'shared')];
      return allowed.some((dir) => target.startsWith(dir)) ? null : 'renderer/ may only import renderer/ and shared/';
    }
    if (isNodeBuiltin(spec)) return file.endsWith('.config.mts') ? null : `renderer/ may not import "${spec}"`;
    return RENDERER_PACKAGES.has(spec) || spec.startsWith('vite') ? null : `renderer/ may not import "${spec}"`;
  },
};

export function violations(layer: keyof typeof rules, file: string, source: string): string[] {
  const found = importsOf(source)
    .map((spec) => rules[layer]!(file, spec))
    .filter((v): v is string => v !== null);
  if (layer === 'shared' && DOM_GLOBALS.test(source)) found.push('shared/ may not use DOM globals');
  return found;
}

describe('layer boundaries', () => {
  it('the checker catches each kind of violation (so a pass means something)', () => {
    const sharedFile = path.join(REPO_ROOT, 'shared', 'x.ts');
    expect(violations('shared', sharedFile, `import fs from 'node:fs';`)).toHaveLength(1);
    expect(violations('shared', sharedFile, `import { app } from 'electron';`)).toHaveLength(1);
    expect(violations('shared', sharedFile, `export { x } from '../electron/core/log';`)).toHaveLength(1);
    expect(violations('shared', sharedFile, `const w = window.location;`)).toHaveLength(1);
    expect(violations('shared', sharedFile, `import { z } from 'zod';\nimport type { A } from './a';`)).toEqual([]);
    const coreFile = path.join(REPO_ROOT, 'electron', 'core', 'x.ts');
    expect(violations('electron/core', coreFile, `import { app } from 'electron';`)).toHaveLength(1);
    expect(violations('electron/core', coreFile, `const e = require('electron');`)).toHaveLength(1);
    const rendererFile = path.join(REPO_ROOT, 'renderer', 'src', 'x.ts');
    expect(violations('renderer', rendererFile, `import { openCore } from '../../electron/core/service';`)).toHaveLength(1);
    expect(violations('renderer', rendererFile, `import fs from 'fs';`)).toHaveLength(1);
    expect(violations('renderer', rendererFile, `import { ipcRenderer } from 'electron';`)).toHaveLength(1);
    expect(violations('renderer', rendererFile, `import { api } from './api';\nimport { z } from '../../shared/contract';`)).toEqual([]);
  });

  for (const layer of Object.keys(rules) as (keyof typeof rules)[]) {
    it(`${layer}/ keeps to its imports`, () => {
      const files = sourceFiles(path.join(REPO_ROOT, layer));
      expect(files.length).toBeGreaterThan(0);
      const problems = files.flatMap((file) =>
        violations(layer, file, fs.readFileSync(file, 'utf8')).map((v) => `${path.relative(REPO_ROOT, file)}: ${v}`),
      );
      expect(problems).toEqual([]);
    });
  }
});
