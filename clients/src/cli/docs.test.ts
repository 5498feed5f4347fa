import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { ExitCode } from './exit-codes.ts';

/** The README documents what the CLI does: its exit-code table and the CI example it embeds. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const workflow = readFileSync(new URL('../../docs/github-actions.yml', import.meta.url), 'utf8');

test('the README exit-code table lists exactly the codes the CLI uses', () => {
  const documented = [...readme.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
  expect(documented).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
});

test('the example GitHub Actions workflow is valid YAML, embedded verbatim, and gates with the CLI', () => {
  expect(readme).toContain(workflow);
  const doc = parse(workflow) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const runs = Object.values(doc.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).join('\n');
  for (const cmd of ['temper upload model', 'temper harden', 'temper jobs watch', 'temper report', 'temper gate', 'temper download']) expect(runs).toContain(cmd);
  expect(runs).toContain('--min-robust');
});
