import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // tfjs' wasm backend and native addons are not thread-safe: one process per test file.
    pool: 'forks',
    include: ['{edge,server,schema,clients,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
