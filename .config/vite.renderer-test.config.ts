/**
 * Renderer build for the test host (npm run build:renderer-test): renderer/ unchanged, with the
 * WebSocket bridge (test/host/ws-bridge.ts) installed as window.messenger before it starts.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const at = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

export default defineConfig({
  root: at('test/host'),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: at('out/renderer-test'),
    emptyOutDir: true,
    sourcemap: true,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { index: at('test/host/index.html') } },
  },
});
