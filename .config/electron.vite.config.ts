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
    plugins: [react()],
    build: {
      outDir: at('out/renderer'),
      rollupOptions: { input: { index: at('renderer/index.html') } },
    },
  },
});
