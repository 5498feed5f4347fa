import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { expect, test } from 'vitest';
import config from '../../codegen.ts';

/**
 * The checked-in typed operations (src/sdk/gql/) are what GraphQL Code Generator makes from
 * schema/schema.graphql and src/sdk/operations.ts now. When this fails, run
 * `npm run codegen -w @temper/clients` and commit the result.
 */
test('src/sdk/gql is up to date with schema.graphql and operations.ts', async () => {
  const cwd = fileURLToPath(new URL('../../', import.meta.url));
  const outputs = (await generate({ ...config, cwd, silent: true }, false)) as { filename: string; content: string }[];
  const generated = Object.fromEntries(outputs.map((o) => [resolve(cwd, o.filename), o.content]));
  const dir = fileURLToPath(new URL('./gql/', import.meta.url));
  const onDisk = Object.fromEntries(readdirSync(dir).map((f) => [join(dir, f), readFileSync(join(dir, f), 'utf8')]));
  expect(Object.keys(generated).sort()).toEqual(Object.keys(onDisk).sort());
  for (const [file, content] of Object.entries(generated)) expect(onDisk[file], `${file} is stale: run npm run codegen -w @temper/clients`).toBe(content);
});
