import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The /edge page (issue #7): a static bundle the Temper server serves at /edge/ (server/src/api/edge-page.ts).
 * `npm run build:edge-page` writes edge/page/dist.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/edge/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The .wasm files of tfjs' wasm backend are always separate files.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    chunkSizeWarningLimit: 4096,
  },
});
