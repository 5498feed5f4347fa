import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { printSdl } from './schema.ts';

test('the checked-in schema.graphql matches the Pothos schema (run `npm run schema:print` after changing types)', () => {
  const checkedIn = readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8');
  expect(printSdl() === checkedIn, 'schema/schema.graphql is stale: run `npm run schema:print`').toBe(true);
});

test('no field lists a blanket Error: every error result is a specific DomainError type', () => {
  const sdl = printSdl();
  expect(sdl).not.toMatch(/^type Error\b/m);
  for (const m of sdl.matchAll(/^union Mutation\w+Result = (.*)$/gm)) {
    for (const member of m[1].split(' | ').filter((t) => !t.endsWith('Success'))) expect(member).toMatch(/Error$/);
  }
});
