import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { evaluateGate } from './gate.ts';
import { appendStepSummary, errorCommand, errorCommands, githubMode, markdownSummary } from './github.ts';
import type { EvaluationSummary, JobSummary } from './report.ts';

const ev: EvaluationSummary = {
  id: 'ev1',
  model: { id: 'm1', name: 'net | v2', sha256: 'abc' },
  dataset: 'mnist',
  cleanAccuracy: 0.99,
  numExamples: 100,
  seed: 0,
  backend: 'wasm',
  attacks: ['apgd-ce', 'square'],
  points: [{ eps: 8 / 255, robustAccuracy: 0.9, stages: [{ attack: 'apgd-ce', robustAccuracyAfter: 0.92, examplesFooled: 7 }, { attack: 'square', robustAccuracyAfter: 0.9, examplesFooled: 2 }] }],
  flags: [{ code: 'PROBABILITY_OUTPUTS', message: 'the model\noutputs probabilities', eps: null }],
};
const job: JobSummary = { id: 'SGFyZGVuaW5nSm9iOjAwMDAwMDAwLTExMTEtNDExMS04MTExLTExMTExMTExMTExMQ==', type: 'EvaluationJob', kind: 'EVALUATE', status: 'SUCCEEDED', method: null, error: null, resultModel: null, startedAt: null, finishedAt: null, durationSeconds: null };

test('on under --github or GITHUB_ACTIONS=true only', () => {
  expect(githubMode(undefined, { GITHUB_ACTIONS: 'true' })).toBe(true);
  expect(githubMode(true, {})).toBe(true);
  expect(githubMode(undefined, { GITHUB_ACTIONS: 'false' })).toBe(false);
});

test('workflow commands escape %, CR and LF (and : , in properties) the way the runner unescapes them', () => {
  expect(errorCommand('Temper: gate, strict', '85% at eps 0.3\nsecond line\r')).toBe('::error title=Temper%3A gate%2C strict::85%25 at eps 0.3%0Asecond line%0D');
});

test('the step summary: a table per eps with every attack stage, gate checks, flags; cells cannot break the table', () => {
  const gate = evaluateGate(ev, { minRobust: 0.95, minClean: 0.9 });
  const md = markdownSummary(job, ev, gate);
  expect(md).toContain('### ❌ Temper gate failed: net \\| v2');
  expect(md).toContain('Job `00000000` (EVALUATE): **SUCCEEDED**');
  expect(md).toContain('| eps | robust accuracy | after apgd-ce | after square |');
  expect(md).toContain('| 0.03137 (8/255) | **90.00%** | 92.00% | 90.00% |');
  expect(md).toContain('| clean accuracy | ✅ pass | clean accuracy 99.00% >= --min-clean 90.00% |');
  expect(md).toMatch(/\| robust accuracy at eps 0\.03137 \(8\/255\) \(apgd-ce, square\) \| ❌ fail \| /);
  expect(md).toContain('> ⚠️ PROBABILITY_OUTPUTS: the model outputs probabilities');
  expect(errorCommands(job, gate)).toEqual(['::error title=Temper gate::robust accuracy 90.00%25 at eps 0.03137 (8/255) (apgd-ce, square) is below --min-robust 95.00%25']);
});

test('appends to $GITHUB_STEP_SUMMARY (two steps, two sections); without it, nothing is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'temper-gh-'));
  try {
    const file = join(dir, 'summary.md');
    expect(await appendStepSummary({ GITHUB_STEP_SUMMARY: file }, 'one')).toBe(true);
    expect(await appendStepSummary({ GITHUB_STEP_SUMMARY: file }, 'two\n')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    expect(await appendStepSummary({}, 'three')).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
