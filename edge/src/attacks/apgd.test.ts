import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apgdCheckpointIterations, apgdCheckpointParams, checkOscillation } from './apgd-core.ts';
import { attackDataset } from './driver.ts';
import { ATTACKS } from './registry.ts';
import { assertNoLeak, assertValidAttackResult, syntheticDataset, tinyConvClassifier } from './testing.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('APGD step-size schedule', () => {
  it("checks at AutoAttack's checkpoints: p0 = 0, p1 = 0.22, p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06)", () => {
    expect(apgdCheckpointParams(100)).toEqual({ first: 22, min: 6, decrement: 3 });
    // 0-based iteration after which each check runs: ceil(p_j * 100) - 1.
    expect(apgdCheckpointIterations(100)).toEqual([21, 40, 56, 69, 79, 86, 92, 98]);
    const p = [0, 0.22];
    while (p.length < 9) p.push(p[p.length - 1] + Math.max(p[p.length - 1] - p[p.length - 2] - 0.03, 0.06));
    expect(apgdCheckpointIterations(100)).toEqual(p.slice(1).map((v) => Math.round(v * 100) - 1));
    // Small n: int() floors every gap to 1 after the first (first 2, decrement 1, min 1).
    expect(apgdCheckpointIterations(10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('flags samples where at most rho of the last k steps improved, reading the unwritten last row at the first check', () => {
    const steps = [
      Float32Array.from([1, 1]),
      Float32Array.from([2, 0.5]),
      Float32Array.from([3, 0.4]),
      Float32Array.from([4, 0.6]),
      new Float32Array(2), // not yet written: Python's loss_steps[-1]
    ];
    // k = 4 at j = 3 compares 1>0 (wrapped to the zero row), 2>1, 3>2, 4>3 for sample 0: 4 > 3 -> keep.
    // Sample 1: 1>0, 0.5>1 no, 0.4>0.5 no, 0.6>0.4 -> 2 <= 3 -> halve.
    expect(Array.from(checkOscillation(steps, 3, 4, 0.75, 2))).toEqual([0, 1]);
  });
});

describe('APGD attacks', () => {
  it('find at least as many adversarial examples as FGSM on a conv net (CE, DLR, targeted)', async () => {
    const c = tinyConvClassifier([6, 6, 1], 6, 5);
    const ds = await syntheticDataset(c, 16, 2);
    const eps = 0.05;
    const fgsm = await attackDataset(ATTACKS.fgsm, c, ds, { eps });
    for (const name of ['apgd-ce', 'apgd-dlr', 'apgd-t'] as const) {
      const r = await assertNoLeak(() => attackDataset(ATTACKS[name], c, ds, { eps, iterations: 20, ...(name === 'apgd-t' ? { targetClasses: 2 } : {}) }, { batchSize: 8 }));
      assertValidAttackResult(r, ds);
      expect(r.robustAccuracy).toBeLessThanOrEqual(fgsm.robustAccuracy);
    }
  });

  it('caps APGD-T target classes at numClasses - 1 and needs 4 classes', async () => {
    const c = tinyConvClassifier([4, 4, 1], 5, 1);
    expect(ATTACKS['apgd-t'].resolve({ eps: 0.1 }, c).targetClasses).toBe(4);
    const c3 = tinyConvClassifier([4, 4, 1], 3, 1);
    expect(() => ATTACKS['apgd-t'].resolve({ eps: 0.1 }, c3)).toThrow(expect.objectContaining({ code: 'ATTACK_INVALID_CONFIG' }));
    expect(() => ATTACKS['apgd-dlr'].resolve({ eps: 0.1 }, tinyConvClassifier([4, 4, 1], 2, 1))).toThrow(expect.objectContaining({ code: 'ATTACK_INVALID_CONFIG' }));
  });
});
