import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships CJS (main) and ESM (module) builds; Vite would hand our sources the ESM one while
  // Pothos and yoga, loaded by Node, get the CJS one: two graphql realms. Pin the one Node loads.
  resolve: { alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) }] },
  test: {
    // tfjs' wasm backend and native addons are not thread-safe: one process per test file.
    pool: 'forks',
    include: ['{contracts,edge,server,schema,clients,test,web}/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
