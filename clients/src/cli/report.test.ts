import { describe, expect, test } from 'vitest';
import { evaluateGate } from './gate.ts';
import { junitXml } from './junit.ts';
import { formatReport, reportJson, summarizeEvaluation, type JobSummary } from './report.ts';

const evaluation = summarizeEvaluation({
  id: 'RXZhbDox',
  createdAt: '2026-01-01T00:00:00Z',
  cleanAccuracy: 0.98,
  numExamples: 100,
  backend: 'wasm',
  seed: 0,
  epsCurve: [
    { eps: 0.1, robustAccuracy: 0.9 },
    { eps: 0.3, robustAccuracy: 0.7 },
  ],
  flags: [{ code: 'FGSM_BELOW_PGD', message: 'FGSM beat PGD', eps: 0.3 }],
  report: {
    attacks: [{ attack: 'apgd-ce' }, { attack: 'square' }],
    results: [
      { eps: 0.1, robustAccuracy: 0.9, attacks: [{ attack: 'apgd-ce', robustAccuracyAfter: 0.92, took: 6 }, { attack: 'square', robustAccuracyAfter: 0.9, took: 2 }] },
      { eps: 0.3, robustAccuracy: 0.7, attacks: [{ attack: 'apgd-ce', robustAccuracyAfter: 0.75, took: 23 }, { attack: 'square', robustAccuracyAfter: 0.7, took: 5 }] },
    ],
  },
  model: { id: 'TW9kZWw6MQ==', name: 'student-rrm <&>', sha256: 'f00' },
  dataset: { id: 'RGF0YXNldDox', name: 'mnist' },
});
const job: JobSummary = {
  id: 'SGFyZDox',
  type: 'HardeningJob',
  kind: 'HARDEN',
  status: 'SUCCEEDED',
  method: 'RRM',
  error: null,
  resultModel: { id: 'TW9kZWw6MQ==', name: 'student-rrm <&>' },
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:02:05.000Z',
  durationSeconds: 125,
};

describe('report', () => {
  test('a table: one row per eps, the worst case and what each attack left', () => {
    const text = formatReport(job, evaluation);
    expect(text).toContain('clean      98.00%');
    expect(text).toMatch(/eps\s+robust\s+after apgd-ce\s+after square/);
    expect(text).toMatch(/0\.1\s+90\.00%\s+92\.00%\s+90\.00%/);
    expect(text).toMatch(/0\.3\s+70\.00%\s+75\.00%\s+70\.00%/);
    expect(text).toContain('flag       FGSM_BELOW_PGD at eps 0.3: FGSM beat PGD');
  });

  test('JUnit XML: informational cases for report, pass/fail cases for gate, escaped', () => {
    const info = junitXml(job, evaluation);
    expect(info).toContain('<testsuites name="temper" tests="3" failures="0" errors="0">');
    expect(info).toContain('name="temper report: student-rrm &lt;&amp;&gt;"');
    expect(info).toContain('<testcase classname="temper.robustness" name="robust accuracy at eps 0.3 (apgd-ce, square)" time="0">');
    const gate = junitXml(job, evaluation, evaluateGate(evaluation, { minRobust: 0.8, minClean: 0.95 }).checks);
    expect(gate).toContain('tests="3" failures="1"');
    expect(gate).toContain('<failure message="robust accuracy 70.00% at eps 0.3 (apgd-ce, square) is below --min-robust 80.00%" type="THRESHOLD">');
  });
});

describe('report of a job without a report', () => {
  test('a failed job says it failed, with its code and when; a cancelled one says so', () => {
    const failed = formatReport({ ...job, status: 'FAILED', resultModel: null, error: { code: 'TRAINING_INVALID_CONFIG', message: 'unknown param' } }, null);
    expect(failed).toContain('error      TRAINING_INVALID_CONFIG: unknown param');
    expect(failed).toContain('no robustness evaluation: the job failed with TRAINING_INVALID_CONFIG at 2026-01-01T00:02:05.000Z after 2m05s');
    expect(failed).not.toContain('yet');
    expect(formatReport({ ...job, status: 'CANCELLED', resultModel: null, startedAt: null, durationSeconds: null }, null)).toContain('no robustness evaluation: the job was cancelled at 2026-01-01T00:02:05.000Z before it started');
    expect(formatReport({ ...job, status: 'RUNNING', finishedAt: null, durationSeconds: null }, null)).toContain('no robustness evaluation yet');
  });

  test('JSON names its units: examplesFooled is a count, durationSeconds a time', () => {
    const json = JSON.parse(JSON.stringify(reportJson(job, evaluation)));
    expect(json.job.durationSeconds).toBe(125);
    expect(json.evaluation.points[1].stages).toEqual([
      { attack: 'apgd-ce', robustAccuracyAfter: 0.75, examplesFooled: 23 },
      { attack: 'square', robustAccuracyAfter: 0.7, examplesFooled: 5 },
    ]);
    expect(JSON.stringify(json)).not.toContain('"took"');
  });
});
