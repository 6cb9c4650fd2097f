import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import layers from './lint/layers.mjs';

// A focused rule set: promises that nobody awaits (a test that ends before core.close() has
// finished, a handler whose rejection is lost) and the layer table of architecture-and-style.md.
// Formatting is Prettier's (npm run format:check), not ESLint's.

const RENDERER_PACKAGES = ['react', 'react-dom', 'zustand', 'i18next', 'react-i18next', '@tanstack/react-virtual'];

/** The core's layers, low to high: a module imports only from its own layer or lower. */
const CORE_LAYERS = {
  // L0: top-level files of electron/core that everything may use.
  kernel: ['errors', 'log', 'paths', 'files', 'data-folder'],
  // L1..L10: folders of electron/core.
  layers: [
    ['secrets'],
    ['zoom'], // the Zoom client and wire types
    ['store', 'sandbox'], // sandbox is the Zoom emulator: zoom/ and the kernel only
    ['audit', 'settings'],
    ['requests'],
    ['sync'],
    ['live'],
    ['documents'],
    ['jobs'],
    ['backup'],
  ],
  // L11: these folders and every other top-level file (service, desk, open-desk, recovery, the wiring).
  top: ['handlers'],
  exceptions: [],
};

export default defineConfig([
  {
    ignores: ['dist/', 'release/', 'node_modules/', 'docs/', 'build/'],
  },
  {
    files: ['**/*.{ts,tsx,mts,mjs,js}'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        // Each file is typed by its nearest tsconfig (root, shared/, renderer/, test/); the few
        // scripts and config files outside every tsconfig share a default project (a dozen at most).
        projectService: {
          allowDefaultProject: ['*.mjs', '*.mts', 'bin/*.js', 'scripts/*.mjs', 'lint/*.mjs', 'renderer/*.mts', 'test/bench/*.mts'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 12,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, layers },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'layers/imports': ['error', { layer: 'shared/', dirs: ['shared'], packages: ['zod'] }],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'HTMLElement', 'process', 'Buffer'].map((name) => ({
          name,
          message: 'shared/ runs in every process: no DOM or Node globals.',
        })),
      ],
    },
  },
  {
    files: ['electron/core/**'],
    rules: {
      'layers/imports': ['error', { layer: 'electron/core', dirs: ['electron/core', 'shared'], deny: ['electron'] }],
      'layers/core-order': ['error', CORE_LAYERS],
    },
  },
  {
    files: ['renderer/src/**'],
    rules: {
      'layers/imports': ['error', { layer: 'renderer/', dirs: ['renderer', 'shared'], packages: RENDERER_PACKAGES }],
    },
  },
]);
