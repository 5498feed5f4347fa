/**
 * Bundles the `temper` CLI (src/cli/bin.ts with the SDK and its dependencies) into one file,
 * dist/temper.mjs, the package's `bin`: it runs with plain `node`, no tsx and no node_modules.
 * `npm run build -w @temper/clients`; the CLI's e2e test runs it before starting.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const CLI_BUNDLE = fileURLToPath(new URL('../dist/temper.mjs', import.meta.url));

export async function buildCli(): Promise<string> {
  await build({
    entryPoints: [fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url))],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // commander is CommonJS: give its require('events') etc. a require inside the ES module.
    banner: { js: "import { createRequire as __temperCreateRequire } from 'node:module'; const require = __temperCreateRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'warning',
  });
  return CLI_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildCli();
  console.log(`built ${out}`);
}
