/** npm run schema:print - writes schema/schema.graphql (checked in; schema.test.ts fails when it is stale). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSdl } from './schema.ts';

const out = fileURLToPath(new URL('../schema.graphql', import.meta.url));
writeFileSync(out, printSdl());
console.log(`wrote ${out}`);
