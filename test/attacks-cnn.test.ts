import { beforeAll, describe, expect, it } from 'vitest';
import { attackDataset, square } from '@temper/edge/attacks';
import { assertValidAttackResult } from '@temper/edge/attacks/testing';
import type { ImageDataset, Classifier } from '@temper/edge';
import { evaluateRobustness, FlagCodes, STANDARD_ATTACKS, type Evaluation } from '@temper/edge/evaluation';
import { createZooClassifier } from '@temper/edge';
import { initTestBackend, loadDataset, train, naturalLoss } from '@temper/server';

/**
 * The attacks on a naturally trained small CNN (zoo "cnn") on real MNIST: robust accuracy falls with
 * eps to ~0 at 0.3, FGSM >= PGD-20 >= the AutoAttack ensemble, and Square alone gets to ~0 within its
 * budget. Kept small (100 test points) for the shared 2-core machines.
 */

const EPS = [0.1, 0.2, 0.3];
let cnn: Classifier;
let test: ImageDataset;
let ev: Evaluation;

beforeAll(async () => {
  await initTestBackend();
  const split = await loadDataset('mnist', { trainSize: 4000, testSize: 100, seed: 1 });
  test = split.test;
  cnn = createZooClassifier('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
  const result = await train({
    student: cnn,
    data: split,
    loss: naturalLoss,
    epochs: 2,
    batchSize: 64,
    seed: 1,
    optimizer: { kind: 'adam', learningRate: 0.002 },
    monitorSize: 100,
  });
  expect(result.testAccuracy).toBeGreaterThan(0.9);
  // AutoAttack's standard list, with Square cut to 1000 queries to keep the test cheap.
  const attacks = STANDARD_ATTACKS.map((s) => (s.attack === 'square' ? { ...s, config: { ...s.config, queries: 1000 } } : s));
  ev = await evaluateRobustness(cnn, test, { eps: EPS, attacks, modelSha256: '0'.repeat(64), seed: 1, checks: true });
}, 600_000);

describe('attacks on a naturally trained CNN (real MNIST)', () => {
  it('robust accuracy falls with eps and is ~0 at eps 0.3', () => {
    const curve = ev.report.epsCurve;
    console.log(`clean ${ev.report.cleanAccuracy} | ` + curve.map((p) => `eps ${p.eps}: ${(100 * p.robustAccuracy).toFixed(0)}%`).join(' | '));
    for (let i = 1; i < curve.length; i++) expect(curve[i].robustAccuracy).toBeLessThanOrEqual(curve[i - 1].robustAccuracy);
    expect(curve[curve.length - 1].robustAccuracy).toBeLessThanOrEqual(0.02);
    expect(ev.report.flags.map((f) => f.code)).not.toContain(FlagCodes.NON_MONOTONE_EPS_CURVE);
  });

  it('FGSM >= PGD-20 >= the APGD ensemble at every eps, and no masked-gradient flag', () => {
    for (const c of ev.report.checks.fgsmVsPgd!) {
      const ensemble = ev.report.epsCurve.find((p) => p.eps === c.eps)!.robustAccuracy;
      console.log(`eps ${c.eps}: FGSM ${(100 * c.fgsmRobustAccuracy).toFixed(0)}% | PGD-20 ${(100 * c.pgdRobustAccuracy).toFixed(0)}% | ensemble ${(100 * ensemble).toFixed(0)}%`);
      expect(c.fgsmRobustAccuracy).toBeGreaterThanOrEqual(c.pgdRobustAccuracy);
      expect(c.pgdRobustAccuracy).toBeGreaterThanOrEqual(ensemble);
    }
    expect(ev.report.flags).toEqual([]);
  });

  it('Square alone reaches ~0 at eps 0.3 within its 5000-query budget, using only outputs', async () => {
    const r = await attackDataset(square, cnn, test, { eps: 0.3, queries: 5000 }, { seed: 3 });
    assertValidAttackResult(r, test);
    const q = Array.from(r.queries!).filter((_, i) => r.fooled[i]).sort((a, b) => a - b);
    console.log(`square eps 0.3: robust ${(100 * r.robustAccuracy).toFixed(0)}%, median queries ${q[q.length >> 1]}, max ${q[q.length - 1]}`);
    expect(r.robustAccuracy).toBeLessThanOrEqual(0.03);
  });
});
