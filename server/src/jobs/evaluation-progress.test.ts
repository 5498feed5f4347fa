import { describe, expect, test } from 'vitest';
import { evaluationProgress } from './evaluation-progress.ts';

describe('evaluationProgress', () => {
  test('reads samplesDone/samplesTotal: the fraction spans every (eps, attack) stage', () => {
    const at = (epsIndex: number, attackIndex: number, samplesDone: number, samplesTotal: number) =>
      evaluationProgress(
        { phase: 'attack', epsIndex, epsCount: 2, eps: [0.1, 0.2][epsIndex], attack: ['fgsm', 'pgd'][attackIndex], attackIndex, attackCount: 2, robustAccuracy: 0.5, attackProgress: { attack: 'x', batch: 0, batches: 1, samplesDone, samplesTotal } },
        10,
      );
    expect(at(0, 0, 0, 40).fraction).toBe(0);
    expect(at(0, 0, 20, 40).fraction).toBe(0.125);
    expect(at(0, 1, 40, 40).fraction).toBe(0.5);
    const last = at(1, 1, 10, 10);
    expect(last.fraction).toBe(1);
    expect(last).toMatchObject({ phase: 'evaluating', samplesDone: 10, samplesTotal: 10, attack: 'pgd', eps: 0.2, robustAccuracy: 0.5, etaSeconds: 0, step: 1, totalSteps: 2 });
    // 10 s for a quarter: 30 s to go.
    expect(at(0, 1, 0, 40).etaSeconds).toBe(30);
  });

  test('before the attacks (clean predictions, checks) the fraction is 0 and there is no ETA yet', () => {
    const p = evaluationProgress({ phase: 'clean', epsCount: 3 }, 5);
    expect(p.fraction).toBe(0);
    expect(p.etaSeconds).toBeUndefined();
    expect(p.samplesDone).toBeUndefined();
  });

  test('a stage with nothing left to attack (no attackProgress) counts from its start', () => {
    const p = evaluationProgress({ phase: 'attack', epsIndex: 1, epsCount: 2, eps: 0.3, attack: 'pgd', attackIndex: 0, attackCount: 1 }, 4);
    expect(p.fraction).toBe(0.5);
    expect(p.etaSeconds).toBe(4);
  });
});
