import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, test } from 'vitest';

/**
 * The SDK (src/index.ts and everything it imports) runs in browsers: it bundles for the browser
 * platform, where a Node built-in cannot resolve, and no SDK source names one.
 */
const SDK = fileURLToPath(new URL('./', import.meta.url));

test('the SDK bundles for browsers with no Node built-in', async () => {
  const r = await build({ entryPoints: [fileURLToPath(new URL('../index.ts', import.meta.url))], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true });
  expect(r.errors).toEqual([]);
  const inputs = Object.keys(r.metafile.inputs);
  expect(inputs.some((i) => i.includes('graphql-sse'))).toBe(true);
  expect(inputs.filter((i) => i.includes('/cli/'))).toEqual([]);
  expect(r.outputFiles[0].text).not.toMatch(/from\s*["']node:|require\(["'](node:)?(fs|path|http|crypto|stream)["']\)/);
});

test('no SDK source imports a node: module', () => {
  const files = readdirSync(SDK, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  expect(files.length).toBeGreaterThan(3);
  for (const f of files) expect(readFileSync(join(SDK, f), 'utf8'), f).not.toMatch(/from ['"]node:/);
});
