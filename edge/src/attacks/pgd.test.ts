import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { logits } from '../models/classifier.ts';
import { attackDataset } from './driver.ts';
import { fgsm } from './fgsm.ts';
import { crossEntropyLoss } from './losses.ts';
import { chooseTargets, pgd } from './pgd.ts';
import { Rng } from '../util/random.ts';
import { assertValidAttackResult, syntheticDataset, tinyDenseClassifier } from './testing.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('FGSM', () => {
  it('is exactly clip01(x + eps * sign(grad CE))', async () => {
    const c = tinyDenseClassifier([5, 4, 1], 3, 2);
    const ds = await syntheticDataset(c, 6, 1);
    const eps = 0.07;
    const r = await attackDataset(fgsm, c, ds, { eps });
    const x = tf.tensor4d(ds.images, [6, 5, 4, 1]);
    const y = tf.tensor1d(ds.labels, 'int32');
    const g = tf.grad((xi: tf.Tensor) => tf.sum(crossEntropyLoss(logits(c, xi), y)))(x);
    const expected = tf.clipByValue(tf.add(x, tf.mul(eps, tf.sign(g))), 0, 1).dataSync();
    for (let i = 0; i < expected.length; i++) expect(r.adversarial[i]).toBeCloseTo(expected[i], 6);
    tf.dispose([x, y, g]);
  });
});

describe('PGD', () => {
  it('reports the default step size 2.5 eps / steps and takes an explicit one', () => {
    expect(pgd.describe(pgd.resolve({ eps: 0.3, steps: 40 })).stepSize).toBeCloseTo(0.01875, 10);
    expect(pgd.describe(pgd.resolve({ eps: 0.3, stepSize: 0.01 })).stepSize).toBe(0.01);
  });

  it('draws wrong-class targets, random or least likely', async () => {
    const c = tinyDenseClassifier([4, 4, 1], 5, 3);
    const ds = await syntheticDataset(c, 50, 2);
    const x = tf.tensor4d(ds.images, [50, 4, 4, 1]);
    const random = await chooseTargets('random', c, x, ds.labels, new Rng(1));
    expect(Array.from(random).every((t, i) => t !== ds.labels[i] && t >= 0 && t < 5)).toBe(true);
    expect(new Set(random).size).toBeGreaterThan(2);
    const ll = await chooseTargets('least-likely', c, x, ds.labels, new Rng(1));
    const z = logits(c, x).arraySync();
    expect(Array.from(ll)).toEqual(z.map((row) => row.indexOf(Math.min(...row))));
    x.dispose();
  });

  it('targeted and CW variants fool at least as much as FGSM at the same eps', async () => {
    const c = tinyDenseClassifier([4, 4, 2], 5, 6);
    const ds = await syntheticDataset(c, 24, 8);
    const eps = 0.08;
    const f = await attackDataset(fgsm, c, ds, { eps });
    for (const cfg of [{ loss: 'cw' as const }, { targeted: 'random' as const }, { targeted: 'least-likely' as const, loss: 'cw' as const }]) {
      const r = await attackDataset(pgd, c, ds, { eps, steps: 20, restarts: 2, ...cfg });
      assertValidAttackResult(r, ds);
      if (!cfg.targeted) expect(r.robustAccuracy).toBeLessThanOrEqual(f.robustAccuracy);
      else expect(r.robustAccuracy).toBeLessThan(1);
    }
  });
});
