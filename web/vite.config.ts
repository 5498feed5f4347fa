import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The web app (issue #16), served at / by server/src/api/use-web-app.ts. `npm run build:web` writes web/dist. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: fileURLToPath(new URL('./dist', import.meta.url)), emptyOutDir: true, target: 'es2022' },
});
