import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const at = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      rollupOptions: { input: { index: at('main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // sandboxed preloads must be one CommonJS file
      rollupOptions: { input: { index: at('main/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [
      react(),
      {
        // `npm run dev` only: Fast Refresh's inline preamble needs 'unsafe-inline' (main relaxes its header the same way)
        name: 'dev-csp',
        apply: 'serve',
        transformIndexHtml: (html: string) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws:"),
      },
    ],
    build: {
      outDir: at('out/renderer'),
      rollupOptions: { input: { index: at('renderer/index.html') } },
    },
  },
});
