import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The UI is built once and loaded two ways: app://dsr-desk in Electron and http://127.0.0.1 in
// browser mode, so asset paths are relative and nothing is fetched from anywhere else.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    // One bundle read from disk (app://) or loopback, never over a network: its size costs little.
    chunkSizeWarningLimit: 1024,
  },
});
