import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { apgdCe, apgdDlr, apgdT, attackDataset, fgsm, pgd, square, type AttackResult } from '@temper/edge/attacks';
import { assertValidAttackResult, classifierOf } from '@temper/edge/attacks/testing';
import { subsetDataset, type ImageDataset, Rng } from '@temper/edge';
import { evaluateRobustness, linearModelOf, linearRobustness } from '@temper/edge/evaluation';
import type { Classifier } from '@temper/edge';
import { initTestBackend, loadDataset } from '@temper/server';

/**
 * Ground truth for the attacks: on a linear softmax model trained on real MNIST the exact robust
 * accuracy over the L-inf ball ∩ [0,1] is computable (evaluation/linear-oracle.ts). A correct PGD /
 * APGD must reach it, and no attack may ever report less.
 */

const EPS = [0.05, 0.1, 0.2];
const N_EVAL = 500;

let classifier: Classifier;
let test: ImageDataset;

async function trainLinear(train: ImageDataset): Promise<Classifier> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.dense({ units: 10, kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }), name: 'logits' }),
    ],
  });
  const c = classifierOf(model, [28, 28, 1], 10);
  const opt = tf.train.adam(0.01);
  const rng = new Rng('oracle-train');
  const bs = 100;
  for (let epoch = 0; epoch < 5; epoch++) {
    const order = rng.permutation(train.count);
    for (let s = 0; s + bs <= train.count; s += bs) {
      const batch = subsetDataset(train, order.subarray(s, s + bs));
      tf.tidy(() => {
        const x = tf.tensor4d(batch.images, [bs, 28, 28, 1]);
        const y = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), 10);
        opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D) as tf.Scalar);
      });
    }
  }
  opt.dispose();
  return c;
}

beforeAll(async () => {
  await initTestBackend();
  const split = await loadDataset('mnist', { trainSize: 2000, testSize: N_EVAL, seed: 0 });
  test = split.test;
  classifier = await trainLinear(split.train);
});

function count(flags: Uint8Array): number {
  return flags.reduce((a, b) => a + b, 0);
}

/** An attack may never fool a point the oracle proves robust. */
function expectSound(r: AttackResult, oracleRobust: Uint8Array, minMargin: Float64Array): void {
  assertValidAttackResult(r, test);
  for (let i = 0; i < r.count; i++) {
    // A float32 forward can flip a point whose exact worst-case margin is within rounding of 0.
    if (r.fooled[i] && oracleRobust[i]) expect(minMargin[i]).toBeLessThan(1e-4);
  }
}

describe('attacks vs the exact linear oracle on real MNIST', () => {
  it('the oracle agrees with the model on clean points', () => {
    const exact = linearRobustness(linearModelOf(classifier), test, 0);
    expect(exact.cleanAccuracy).toBeGreaterThan(0.8);
    expect(exact.robustAccuracy).toBe(exact.cleanAccuracy);
  });

  it.each(EPS)('at eps %s: margin PGD and APGD reach the exact robust accuracy within 1 point; no attack goes below it', async (eps) => {
    const exact = linearRobustness(linearModelOf(classifier), test, eps);
    const runs: Record<string, AttackResult> = {
      fgsm: await attackDataset(fgsm, classifier, test, { eps }, { seed: 1 }),
      'pgd-ce': await attackDataset(pgd, classifier, test, { eps, steps: 100 }, { seed: 1 }),
      'pgd-cw x5': await attackDataset(pgd, classifier, test, { eps, steps: 100, loss: 'cw', restarts: 5 }, { seed: 1 }),
      'apgd-ce': await attackDataset(apgdCe, classifier, test, { eps }, { seed: 1 }),
      'apgd-dlr': await attackDataset(apgdDlr, classifier, test, { eps }, { seed: 1 }),
      'apgd-t': await attackDataset(apgdT, classifier, test, { eps }, { seed: 1 }),
      square: await attackDataset(square, classifier, test, { eps, queries: 1000 }, { seed: 1 }),
    };
    const exactCount = count(exact.robust);
    console.log(
      `eps ${eps}: exact ${(100 * exact.robustAccuracy).toFixed(1)}% | ` +
        Object.entries(runs)
          .map(([k, r]) => `${k} ${(100 * r.robustAccuracy).toFixed(1)}`)
          .join(' | '),
    );
    for (const [name, r] of Object.entries(runs)) {
      expectSound(r, exact.robust, exact.minMargin);
      expect(count(r.robust), name).toBeGreaterThanOrEqual(exactCount);
    }
    // Within 1 point = 1% of the examples.
    for (const name of ['pgd-cw x5', 'apgd-t'] as const) expect(count(runs[name].robust) - exactCount, name).toBeLessThanOrEqual(N_EVAL / 100);
    // Cross-entropy is maximized at a vertex that need not cross the nearest boundary: CE attacks may stop a
    // couple of points short on a linear model (the reason AutoAttack adds targeted DLR).
    for (const name of ['pgd-ce', 'apgd-ce', 'apgd-dlr'] as const) expect(count(runs[name].robust) - exactCount, name).toBeLessThanOrEqual((3 * N_EVAL) / 100);
  });

  it('the standard ensemble reaches the exact eps-curve within 1 point, with no flags', async () => {
    const ev = await evaluateRobustness(classifier, test, { eps: EPS, modelSha256: 'f'.repeat(64), seed: 2, checks: { randomizedForward: true, outputRange: true, zeroGradients: true } });
    for (const r of ev.report.results) {
      const exact = linearRobustness(linearModelOf(classifier), test, r.eps);
      console.log(`standard eps ${r.eps}: exact ${(100 * exact.robustAccuracy).toFixed(1)}% | ensemble ${(100 * r.robustAccuracy).toFixed(1)}% | took ${r.attacks.map((s) => `${s.attack} ${s.took}`).join(', ')}`);
      expect(r.robustCount).toBeGreaterThanOrEqual(count(exact.robust));
      expect(r.robustCount - count(exact.robust)).toBeLessThanOrEqual(N_EVAL / 100);
      for (let i = 0; i < test.count; i++) if (r.robust[i] === 0 && exact.robust[i]) expect(exact.minMargin[i]).toBeLessThan(1e-4);
    }
    expect(ev.report.flags).toEqual([]);
    // The standard list includes FAB-T (9 targets x 100 iterations on every point still robust).
  }, 600_000);
});
