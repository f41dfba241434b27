/**
 * Renderer build for the test host (npm run build:renderer-test): renderer/ unchanged, with the
 * WebSocket bridge (test/host/ws-bridge.ts) installed as window.messenger before it starts.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const at = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

export default defineConfig({
  // the app's own index.html (same CSP and markup); only its entry script is swapped for the host's
  root: at('renderer'),
  base: './',
  plugins: [
    react(),
    {
      name: 'host-entry',
      transformIndexHtml: {
        order: 'pre',
        handler: (html: string) => {
          if (!html.includes('src="./src/main.tsx"')) throw new Error('renderer/index.html no longer loads ./src/main.tsx');
          return html.replace('src="./src/main.tsx"', 'src="../test/host/entry.ts"');
        },
      },
    },
  ],
  logLevel: 'warn',
  build: {
    outDir: at('out/renderer-test'),
    emptyOutDir: true,
    sourcemap: true,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { index: at('renderer/index.html') } },
  },
});
