import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkThreatSetArrays } from '../attacks/threat-set.ts';
import { classifierOf, syntheticDataset, tinyDenseClassifier } from '../attacks/testing.ts';
import type { ImageDataset } from '../data/dataset.ts';
import { AbortedError } from '../errors.ts';
import type { Classifier } from '../models/classifier.ts';
import { fgsmBelowPgdFlag, maskedGradientsFlag, nonMonotoneFlag } from './checks.ts';
import { evaluateRobustness, type AttackSpec, type Evaluation } from './evaluate.ts';
import { FlagCodes } from './report.ts';

const SHA = 'ab'.repeat(32);
const SHAPE = [6, 5, 1] as const;
const SMALL: AttackSpec[] = [
  { attack: 'apgd-ce', config: { iterations: 10 } },
  { attack: 'apgd-t', config: { iterations: 10, targetClasses: 3 } },
  { attack: 'square', config: { queries: 100 } },
];

let c: Classifier;
let ds: ImageDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  c = tinyDenseClassifier(SHAPE, 5, 2);
  ds = await syntheticDataset(c, 20, 3, 7);
});

/** A classifier whose forward is rewritten, for the flag tests. */
function wrap(base: Classifier, forward: (x: tf.Tensor, apply: (x: tf.Tensor) => tf.Tensor) => tf.Tensor): Classifier {
  const model = new Proxy(base.model, {
    get(target, prop, receiver) {
      if (prop === 'apply') return (x: tf.Tensor, kw?: unknown) => forward(x, (xi) => target.apply(xi, kw as never) as tf.Tensor);
      return Reflect.get(target, prop, receiver);
    },
  });
  return { ...base, model };
}

function checkWorstCase(ev: Evaluation, data: ImageDataset): void {
  const n = data.count;
  const px = data.height * data.width * data.channels;
  const cleanCount = ev.clean.reduce((a, b) => a + b, 0);
  expect(ev.report.cleanAccuracy).toBeCloseTo(cleanCount / n, 12);
  for (const r of ev.results) {
    const rep = ev.report.results.find((x) => x.eps === r.eps)!;
    // Sequential: each attack sees exactly the points the ones before it left robust.
    let remaining = cleanCount;
    for (const s of rep.attacks) {
      expect(s.attacked).toBe(remaining);
      remaining -= s.took;
      expect(s.robustAccuracyAfter).toBeCloseTo(remaining / n, 12);
    }
    expect(rep.robustCount).toBe(remaining);
    for (let i = 0; i < n; i++) {
      if (!ev.clean[i]) expect(r.robust[i]).toBe(0);
      expect(r.robust[i] === 1).toBe(ev.clean[i] === 1 && r.fooledBy[i] === -1);
      if (r.fooledBy[i] >= 0) expect(r.predictions[i]).not.toBe(data.labels[i]);
      const check = checkThreatSetArrays(data.images.subarray(i * px, (i + 1) * px), r.adversarial.subarray(i * px, (i + 1) * px), r.eps);
      expect(check.ok, check.message).toBe(true);
    }
  }
}

describe('evaluateRobustness', () => {
  it('runs the ensemble per eps, keeps the per-sample worst case, and writes a JSON report', async () => {
    const before = tf.memory().numTensors;
    const ev = await evaluateRobustness(c, ds, { eps: [0.3, 0.02, 0.1], attacks: SMALL, modelSha256: SHA, seed: 4, batchSize: 8 });
    expect(tf.memory().numTensors).toBe(before);
    checkWorstCase(ev, ds);
    const r = ev.report;
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.epsCurve.map((p) => p.eps)).toEqual([0.02, 0.1, 0.3]);
    expect(r.epsCurve[2].robustAccuracy).toBeLessThanOrEqual(r.epsCurve[0].robustAccuracy);
    expect(r.epsCurve[2].robustAccuracy).toBe(0);
    expect(r).toMatchObject({ version: 2, model: { sha256: SHA }, seed: 4, numExamples: 20, backend: 'cpu', tfjsVersion: tf.version_core });
    expect(r.attacks.map((a) => a.attack)).toEqual(['apgd-ce', 'apgd-t', 'square']);
    expect(r.attacks[2].settings).toMatchObject({ queries: 100, pInit: 0.8, loss: 'margin' });
    expect(r.results[0].attacks[2].queries).toBeDefined();
    expect(r.checks.fgsmVsPgd).toHaveLength(3);
    expect(r.checks.randomizedForward?.predictionsDiffer).toBe(false);
    expect(r.flags.map((f) => f.code)).not.toContain(FlagCodes.PROBABILITY_OUTPUTS);
    // Deterministic for a seed.
    const again = await evaluateRobustness(c, ds, { eps: [0.02, 0.1, 0.3], attacks: SMALL, modelSha256: SHA, seed: 4, batchSize: 8 });
    expect(again.report.results.map((x) => x.robust)).toEqual(r.results.map((x) => x.robust));
  });

  it("uses AutoAttack's standard list by default: APGD-CE, APGD-T, FAB-T, Square 5000", async () => {
    const few = { ...ds, count: 6, images: ds.images.slice(0, 6 * 30), labels: ds.labels.slice(0, 6) };
    const ev = await evaluateRobustness(c, few, { eps: 0.25, modelSha256: SHA, checks: false });
    expect(ev.report.attacks).toEqual([
      { attack: 'apgd-ce', kind: 'white-box', settings: { iterations: 100, restarts: 1, rho: 0.75, eot: 1, loss: 'ce' } },
      { attack: 'apgd-t', kind: 'white-box', settings: { iterations: 100, restarts: 1, rho: 0.75, eot: 1, targetClasses: 4, loss: 'dlr-targeted' } },
      { attack: 'fab-t', kind: 'white-box', settings: { iterations: 100, restarts: 1, alphaMax: 0.1, eta: 1.05, beta: 0.9, targetClasses: 4, loss: 'targeted-logit-difference' } },
      { attack: 'square', kind: 'black-box', settings: { queries: 5000, pInit: 0.8, restarts: 1, rescaleSchedule: false, loss: 'margin' } },
    ]);
    expect(ev.report.autoAttack.version).toBe('standard');
    checkWorstCase(ev, few);
  });

  it('runs custom lists, transfer included, and names the surrogates', async () => {
    const other = tinyDenseClassifier(SHAPE, 5, 8);
    const ev = await evaluateRobustness(c, ds, {
      eps: 0.1,
      modelSha256: SHA,
      checks: false,
      attacks: [{ attack: 'fgsm' }, { attack: 'transfer', config: { surrogates: [{ name: 'natural-cnn', classifier: other }], steps: 5 } }, { attack: 'pgd', config: { steps: 5 } }],
    });
    expect(ev.report.attacks[1]).toMatchObject({ attack: 'transfer', kind: 'transfer', settings: { surrogates: ['natural-cnn'] } });
    expect(JSON.parse(JSON.stringify(ev.report))).toEqual(ev.report);
    checkWorstCase(ev, ds);
  });

  it('flags probability outputs', async () => {
    const soft = wrap(c, (x, apply) => tf.softmax(apply(x) as tf.Tensor2D));
    const ev = await evaluateRobustness(soft, ds, { eps: 0.05, attacks: [{ attack: 'fgsm' }], modelSha256: SHA, checks: { outputRange: true } });
    expect(ev.report.flags.map((f) => f.code)).toEqual([FlagCodes.PROBABILITY_OUTPUTS]);
  });

  it('flags a randomized forward', async () => {
    const noisy = wrap(c, (x, apply) => tf.add(apply(x), tf.randomNormal([x.shape[0], 5], 0, 0.5)));
    const ev = await evaluateRobustness(noisy, ds, { eps: 0.05, attacks: [{ attack: 'fgsm' }], modelSha256: SHA, checks: { randomizedForward: true } });
    expect(ev.report.flags.map((f) => f.code)).toContain(FlagCodes.RANDOMIZED_FORWARD);
  });

  it('flags zero gradients and masked gradients on a quantizing model', async () => {
    // round() has a zero gradient: white-box attacks are blind, Square is not.
    const base = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [...SHAPE] }), tfl.layers.dense({ units: 5, kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 }) })] });
    const quant = wrap(classifierOf(base, SHAPE, 5), (x, apply) => apply(tf.div(tf.round(tf.mul(x, 2)), 2)));
    const qds = await syntheticDataset(quant, 20, 5);
    const ev = await evaluateRobustness(quant, qds, {
      eps: 0.3,
      modelSha256: SHA,
      attacks: [{ attack: 'pgd', config: { steps: 5, randomStart: false } }, { attack: 'square', config: { queries: 200 } }],
      checks: { zeroGradients: true, fgsmVsPgd: true },
    });
    const codes = ev.report.flags.map((f) => f.code);
    expect(codes).toContain(FlagCodes.ZERO_GRADIENTS);
    expect(codes).toContain(FlagCodes.MASKED_GRADIENTS);
    expect(ev.report.results[0].attacks[1].took).toBeGreaterThan(0);
  });

  it('is cancellable and validates its options', async () => {
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const run = evaluateRobustness(c, ds, {
      eps: [0.1, 0.2],
      attacks: SMALL,
      modelSha256: SHA,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.attack === 'apgd-t' && p.attackProgress?.step) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(tf.memory().numTensors).toBe(before);
    await expect(evaluateRobustness(c, ds, { eps: 0.1, modelSha256: 'nope' })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
    await expect(evaluateRobustness(c, ds, { eps: 0.1, modelSha256: SHA, attacks: [{ attack: 'fab-x' }] })).rejects.toMatchObject({ code: 'ATTACK_UNKNOWN' });
    await expect(evaluateRobustness(c, ds, { eps: 0.1, modelSha256: SHA, attacks: 'turbo' as never })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
    await expect(evaluateRobustness(c, ds, { eps: 0.1, modelSha256: SHA, attacks: [{ attack: 'pgd', config: { iters: 3 } }] })).rejects.toMatchObject({
      code: 'ATTACK_INVALID_CONFIG',
    });
    await expect(evaluateRobustness(c, ds, { eps: [0.1, 2], modelSha256: SHA })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
  });
});

describe('flag rules', () => {
  it('masked gradients: only black-box/transfer attacks after a white-box one, above 0.2% of the points', () => {
    const wb = { attack: 'apgd-ce', kind: 'white-box' as const, took: 50 };
    expect(maskedGradientsFlag(0.1, [wb, { attack: 'square', kind: 'black-box', took: 2 }], 1000)).toBeUndefined();
    expect(maskedGradientsFlag(0.1, [wb, { attack: 'square', kind: 'black-box', took: 3 }], 1000)?.code).toBe('MASKED_GRADIENTS');
    expect(maskedGradientsFlag(0.1, [{ attack: 'transfer', kind: 'transfer', took: 30 }, wb], 1000)).toBeUndefined();
    expect(maskedGradientsFlag(0.1, [wb, { attack: 'transfer', kind: 'transfer', took: 30 }], 1000)?.details).toMatchObject({ culprits: [{ attack: 'transfer', took: 30 }] });
  });

  it('FGSM below PGD, and a non-monotone eps curve', () => {
    expect(fgsmBelowPgdFlag(0.1, 0.4, 0.5)?.code).toBe('FGSM_BELOW_PGD');
    expect(fgsmBelowPgdFlag(0.1, 0.5, 0.4)).toBeUndefined();
    expect(nonMonotoneFlag([{ eps: 0.2, robust: [1, 0, 1] }, { eps: 0.1, robust: [0, 0, 1] }])?.details).toEqual({ pairs: [{ from: 0.1, to: 0.2, points: 1 }] });
    expect(nonMonotoneFlag([{ eps: 0.1, robust: [1, 0, 1] }, { eps: 0.2, robust: [0, 0, 1] }])).toBeUndefined();
  });
});
