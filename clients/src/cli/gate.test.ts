import { describe, expect, test } from 'vitest';
import { evaluateGate } from './gate.ts';
import type { EvaluationSummary } from './report.ts';

const ev = (over: Partial<EvaluationSummary> = {}): EvaluationSummary => ({
  id: 'ev1',
  model: { id: 'm1', name: 'student-rrm', sha256: 'abc' },
  dataset: 'mnist',
  cleanAccuracy: 0.99,
  numExamples: 1000,
  seed: 0,
  backend: 'wasm',
  attacks: ['apgd-ce', 'apgd-t', 'fab-t', 'square'],
  points: [
    { eps: 0.1, robustAccuracy: 0.95, stages: [] },
    { eps: 0.3, robustAccuracy: 0.86, stages: [] },
  ],
  flags: [],
  ...over,
});

describe('gate', () => {
  test('passes when every threshold holds (>=, at every eps by default)', () => {
    const r = evaluateGate(ev(), { minRobust: 0.86, minClean: 0.99 });
    expect(r.passed).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual(['clean accuracy', 'robust accuracy at eps 0.1 (apgd-ce, apgd-t, fab-t, square)', 'robust accuracy at eps 0.3 (apgd-ce, apgd-t, fab-t, square)']);
    expect(r.reason).toMatch(/^gate passed: /);
  });

  test('fails with a one-line reason naming the number, the eps and the threshold', () => {
    const r = evaluateGate(ev(), { minRobust: 0.9 });
    expect(r.passed).toBe(false);
    expect(r.reason).toBe('gate failed: robust accuracy 86.00% at eps 0.3 (apgd-ce, apgd-t, fab-t, square) is below --min-robust 90.00%');
    expect(r.reason).not.toContain('\n');
    expect(evaluateGate(ev(), { minClean: 0.995 }).reason).toBe('gate failed: clean accuracy 99.00% is below --min-clean 99.50%');
  });

  test('lists every failed threshold, not only the first', () => {
    const r = evaluateGate(ev(), { minRobust: 0.96, minClean: 0.995 });
    expect(r.reason).toBe(
      'gate failed: 3 of 3 checks: clean accuracy 99.00% is below --min-clean 99.50%; robust accuracy 95.00% at eps 0.1 (apgd-ce, apgd-t, fab-t, square) is below --min-robust 96.00%; robust accuracy 86.00% at eps 0.3 (apgd-ce, apgd-t, fab-t, square) is below --min-robust 96.00%',
    );
  });

  test('eps given as 8/255 matches the evaluation point and is shown both ways', () => {
    const r = evaluateGate(ev({ points: [{ eps: 8 / 255, robustAccuracy: 0.5, stages: [] }] }), { minRobust: 0.6, eps: [8 / 255] });
    expect(r.reason).toBe('gate failed: robust accuracy 50.00% at eps 0.03137 (8/255) (apgd-ce, apgd-t, fab-t, square) is below --min-robust 60.00%');
  });

  test('--eps restricts the robust check; an eps the evaluation did not run fails', () => {
    expect(evaluateGate(ev(), { minRobust: 0.9, eps: [0.1] }).passed).toBe(true);
    const r = evaluateGate(ev(), { minRobust: 0.5, eps: [0.2] });
    expect(r.passed).toBe(false);
    expect(r.reason).toContain('no result at eps 0.2 (it ran eps 0.1, 0.3)');
  });

  test('--attack standard needs the standard attacks in the ensemble; a superset is stronger evidence and passes', () => {
    expect(evaluateGate(ev(), { minRobust: 0.8, attack: 'standard', eps: [0.3] }).passed).toBe(true);
    expect(evaluateGate(ev({ attacks: ['fgsm', 'apgd-ce', 'apgd-t', 'fab-t', 'square'] }), { minRobust: 0.8, attack: 'standard' }).passed).toBe(true);
    const r = evaluateGate(ev({ attacks: ['fgsm'] }), { minRobust: 0.1, attack: 'standard' });
    expect(r.passed).toBe(false);
    expect(r.reason).toContain('ran fgsm, without apgd-ce, apgd-t, fab-t, square');
    expect(evaluateGate(ev({ attacks: ['fgsm', 'pgd'] }), { minRobust: 0.1, attack: 'pgd' }).passed).toBe(true);
  });

  test('no threshold is no pass', () => {
    expect(evaluateGate(ev(), {}).passed).toBe(false);
  });
});
