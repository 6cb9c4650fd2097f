import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The layer table as lint rules (VS Code's code-layering, in small). Two rules:
//   layers/imports     what a part of the tree may import at all (shared/ pure, renderer/ only shared/).
//   layers/core-order  the core's own layers: a module imports only from its own layer or lower.
// Both read every way a module names another: import, export ... from, import(), require() and
// TypeScript's `import x = require()`. Type-only imports count too: a type couples layers as well.

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CORE = path.join(REPO_ROOT, 'electron', 'core');

/** The package a bare specifier names: 'react-dom/client' -> 'react-dom', '@scope/x/y' -> '@scope/x'. */
function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const inside = (dir, file) => file === dir || file.startsWith(dir + path.sep);
const repoPath = (file) => path.relative(REPO_ROOT, file).split(path.sep).join('/');

/** Calls check(specifier, node) for every module a file names. */
function visitModuleNames(check) {
  const literal = (node) => (node && node.type === 'Literal' && typeof node.value === 'string' ? node : null);
  const visit = (source) => {
    const lit = literal(source);
    if (lit) check(lit.value, lit);
  };
  return {
    ImportDeclaration: (node) => visit(node.source),
    ExportNamedDeclaration: (node) => visit(node.source),
    ExportAllDeclaration: (node) => visit(node.source),
    ImportExpression: (node) => visit(node.source),
    TSImportEqualsDeclaration: (node) => {
      if (node.moduleReference.type === 'TSExternalModuleReference') visit(node.moduleReference.expression);
    },
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require') visit(node.arguments[0]);
    },
  };
}

const imports = {
  meta: {
    type: 'problem',
    docs: { description: 'What a part of the tree may import: relative imports inside `dirs`, packages in `packages`, never one in `deny`.' },
    schema: [
      {
        type: 'object',
        properties: {
          dirs: { type: 'array', items: { type: 'string' } },
          packages: { type: 'array', items: { type: 'string' } },
          deny: { type: 'array', items: { type: 'string' } },
          layer: { type: 'string' },
        },
        required: ['layer'],
        additionalProperties: false,
      },
    ],
    messages: {
      outside: '{{layer}} may not import {{target}}: it may import only {{dirs}}.',
      package: '{{layer}} may not import "{{spec}}": its packages are {{packages}}.',
      denied: '{{layer}} may not import "{{spec}}".',
    },
  },
  create(context) {
    const { dirs, packages, deny = [], layer } = context.options[0];
    const file = context.filename;
    return visitModuleNames((spec, node) => {
      if (spec.startsWith('.')) {
        if (!dirs) return;
        const target = path.resolve(path.dirname(file), spec);
        if (!dirs.some((dir) => inside(path.join(REPO_ROOT, dir), target))) {
          context.report({ node, messageId: 'outside', data: { layer, target: repoPath(target), dirs: dirs.map((d) => `${d}/`).join(', ') } });
        }
        return;
      }
      const name = packageOf(spec);
      if (deny.includes(name)) context.report({ node, messageId: 'denied', data: { layer, spec } });
      else if (packages && !packages.includes(name)) {
        context.report({ node, messageId: 'package', data: { layer, spec, packages: packages.join(', ') || 'none' } });
      }
    });
  },
};

/**
 * Where a path under electron/core sits: the layer of its folder, or for a top-level file the
 * bottom (a kernel file) or the top (any other: the service and its wiring). null: not in the core.
 */
function coreLayerOf(file, { kernel, layers, top }) {
  if (!inside(CORE, file)) return null;
  const [first, ...rest] = path.relative(CORE, file).split(path.sep);
  const name = first.replace(/\.(ts|tsx|mts)$/, '');
  // '../secrets' names a folder (its index.ts) as '../service' names a file: only the disk tells them apart.
  const folder = rest.length > 0 || (fs.existsSync(path.join(CORE, first)) && fs.statSync(path.join(CORE, first)).isDirectory());
  if (!folder) return kernel.includes(name) ? { level: 0, name: `${name}.ts (kernel)` } : { level: layers.length + 1, name: `${name}.ts (top)` };
  const level = layers.findIndex((folders) => folders.includes(name));
  if (level >= 0) return { level: level + 1, name: `${name}/` };
  if (top.includes(name)) return { level: layers.length + 1, name: `${name}/ (top)` };
  return { level: null, name: `${name}/` };
}

const coreOrder = {
  meta: {
    type: 'problem',
    docs: { description: "The core's layer order: a module under electron/core imports only from its own layer or lower." },
    schema: [
      {
        type: 'object',
        properties: {
          kernel: { type: 'array', items: { type: 'string' } },
          layers: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          top: { type: 'array', items: { type: 'string' } },
          exceptions: {
            type: 'array',
            items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } }, required: ['from', 'to'], additionalProperties: false },
          },
        },
        required: ['kernel', 'layers', 'top'],
        additionalProperties: false,
      },
    ],
    messages: {
      upward: '{{from}} (layer {{fromLevel}}) may not import {{to}} (layer {{toLevel}}): the core imports only from its own layer or lower.',
      unplaced: 'electron/core/{{folder}} has no place in the core\'s layer table: add it to "layers/core-order" in eslint.config.mjs.',
    },
  },
  create(context) {
    const table = context.options[0];
    const file = context.filename;
    const own = coreLayerOf(file, table);
    if (!own) return {};
    if (own.level === null) {
      return { Program: (node) => context.report({ node, loc: { line: 1, column: 0 }, messageId: 'unplaced', data: { folder: own.name } }) };
    }
    const excepted = new Set((table.exceptions ?? []).filter((e) => e.from === repoPath(file)).map((e) => e.to));
    return visitModuleNames((spec, node) => {
      if (!spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      const theirs = coreLayerOf(target, table);
      if (!theirs || theirs.level === null || theirs.level <= own.level) return;
      if ([...excepted].some((to) => repoPath(target) === to.replace(/\.ts$/, '') || repoPath(target) === to)) return;
      context.report({ node, messageId: 'upward', data: { from: own.name, fromLevel: own.level, to: theirs.name, toLevel: theirs.level } });
    });
  },
};

export default { meta: { name: 'layers' }, rules: { imports, 'core-order': coreOrder } };
