import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

/**
 * Rules `npm run lint` enforces, run through the repository's own eslint.config.js: a file may import
 * another workspace package only by its name and exports, and the server reads its environment only
 * in config.ts.
 */
const ROOT = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

async function ruleErrors(file: string, code: string, rules: readonly string[]): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result.messages.filter((m) => m.ruleId && rules.includes(m.ruleId)).map((m) => m.ruleId!);
}

const boundaryErrors = (file: string, code: string) => ruleErrors(file, code, ['temper/no-cross-package-import', 'no-restricted-imports']);
const envErrors = (file: string, code: string) => ruleErrors(file, code, ['no-restricted-properties']);

describe('npm run lint: package boundaries', () => {
  test.each([
    ['server/src/api/deep.ts', "import { ErrorCodes } from '../../../edge/src/errors.ts';\nexport { ErrorCodes };\n"],
    ['schema/src/types/deep.ts', "export * from '../../../server/src/config.ts';\n"],
    ['test/deep.test.ts', "export { buildCli } from '../clients/scripts/build.ts';\n"],
    ['bench/deep.ts', "export const load = () => import('../server/src/main.ts');\n"],
    ['clients/src/deep.ts', "import type { JobStatus } from '../../contracts/src/index.ts';\nexport type { JobStatus };\n"],
    ['web/src/deep.ts', `import '${join(ROOT, 'edge', 'src', 'index.ts')}';\n`],
  ])('%s: a relative import into another package fails', async (file, code) => {
    expect(await boundaryErrors(file, code)).toContain('temper/no-cross-package-import');
  });

  test('an import of another package\'s src/ through its name fails', async () => {
    expect(await boundaryErrors('server/src/api/deep.ts', "import { ErrorCodes } from '@temper/edge/src/errors.ts';\nexport { ErrorCodes };\n")).toEqual(['no-restricted-imports']);
  });

  test('imports by name, and relative imports inside one package, pass', async () => {
    expect(await boundaryErrors('server/src/api/fine.ts', [
      "import { ErrorCodes } from '@temper/edge';",
      "import { attackDataset } from '@temper/edge/attacks';",
      "import { loadConfig } from '../config.ts';",
      'export { ErrorCodes, attackDataset, loadConfig };',
    ].join('\n'))).toEqual([]);
    // edge/page is part of @temper/edge, so its way into edge/src is a relative import.
    expect(await boundaryErrors('edge/page/fine.ts', "export * from '../src/device/index.ts';\n")).toEqual([]);
  });
});

describe('npm run lint: the environment is read in config.ts', () => {
  const read = 'export const port = Number(process.env.TEMPER_PORT ?? 4000);\n';

  test('a server or edge file that reads process.env fails', async () => {
    expect(await envErrors('server/src/api/settings.ts', read)).toEqual(['no-restricted-properties']);
    expect(await envErrors('edge/src/device/settings.ts', read)).toEqual(['no-restricted-properties']);
  });

  test('config.ts may, and so may tests', async () => {
    expect(await envErrors('server/src/config.ts', read)).toEqual([]);
    expect(await envErrors('server/src/api/settings.test.ts', read)).toEqual([]);
  });
});
