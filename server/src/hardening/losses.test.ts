/**
 * Every method's loss against values worked out by hand (in float64, from the formulas in
 * docs/methods.md) on tiny tensors: reductions, directions of KL, signs, the 5/6-1/6 weights, the cosine
 * term. Attack-based methods are checked on a linear model whose worst case is known.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTestBackend } from '../compute/test-backend.ts';
import { normalizeGradientMaps, discriminatorLoss } from './discriminator.ts';
import { cosineSimilarity, klBatchMean, klMean, klSum } from './losses.ts';
import type { MethodSetup } from './method.ts';
import { alp, alpLoss } from './methods/alp.ts';
import { ardLoss } from './methods/ard.ts';
import { clpLoss } from './methods/clp.ts';
import { fastAt } from './methods/fast-at.ts';
import { freeAt } from './methods/free-at.ts';
import { igamLoss } from './methods/igam.ts';
import { kdLoss } from './methods/kd.ts';
import { lsqLoss } from './methods/lsq.ts';
import { naturalLoss } from './methods/natural.ts';
import { pgdAt } from './methods/pgd-at.ts';
import { rrmLoss } from './methods/rrm.ts';
import { rsladLoss } from './methods/rslad.ts';
import { trades, tradesLoss } from './methods/trades.ts';
import { resolveParams } from './params.ts';
import { trueClassProbabilityGradient } from './second-order-check.ts';
import { linearClassifier, probeContext, read } from './test-helpers.ts';

beforeAll(async () => {
  await initTestBackend();
});

const t2 = (v: number[][]) => tf.tensor2d(v);
const labels = (v: number[]) => tf.tensor1d(v, 'int32');
const value = (t: tf.Tensor) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};
const CLOSE = 5;

describe('divergences', () => {
  it('KL(P || Q) is sum P (log P - log Q): direction and the three reductions', () => {
    const p = t2([[1, 0], [0, 0]]);
    const q = t2([[0, 0], [0, 2]]);
    expect(value(klSum(p, q))).toBeCloseTo(0.5447249021547547, CLOSE);
    expect(value(klSum(q, p))).toBeCloseTo(0.4479278324310151, CLOSE); // the other direction differs
    expect(value(klMean(p, q))).toBeCloseTo(0.5447249021547547 / 4, CLOSE); // over B x C
    expect(value(klBatchMean(p, q))).toBeCloseTo(0.5447249021547547 / 2, CLOSE); // over B
    tf.dispose([p, q]);
  });

  it('cosine similarity is a.b / max(|a||b|, 1e-6), 0 for a zero vector', () => {
    const c = cosineSimilarity(t2([[1, 0], [1, 1], [0, 0]]), t2([[1, 0], [0, 1], [1, 0]]));
    const v = Array.from(c.dataSync());
    c.dispose();
    expect(v[0]).toBeCloseTo(1, CLOSE);
    expect(v[1]).toBeCloseTo(Math.SQRT1_2, CLOSE);
    expect(v[2]).toBe(0);
  });
});

describe('method losses on tiny tensors', () => {
  it('natural: mean CE', async () => {
    const r = await read(naturalLoss(t2([[1, 2, 0]]), labels([1])).terms as Record<string, tf.Scalar>);
    expect(r.ce).toBeCloseTo(0.4076059644443804, CLOSE);
  });

  it('KD: alpha tau^2 KL(T/tau || S/tau) + (1 - alpha) CE, KL teacher-first', async () => {
    const { loss, terms } = kdLoss(t2([[0, 1, 0]]), t2([[2, 0, -1]]), labels([0]), { alpha: 0.5, tau: 2 });
    const r = await read({ loss, ...terms });
    expect(r.kl).toBeCloseTo(0.27280556412734197, CLOSE); // KL(student || teacher) would be 0.2589
    expect(r.loss).toBeCloseTo(1.3213334852207095, CLOSE);
  });

  it("TRADES: CE(f(x)) + beta KL_sum(f(x) || f(x')) / B", async () => {
    const { loss, terms } = tradesLoss(t2([[1, 0], [0, 0]]), t2([[0, 0], [0, 2]]), labels([0, 1]), 6);
    const r = await read({ loss, ...terms });
    expect(r.ce).toBeCloseTo(0.5032044340390841, CLOSE);
    expect(r.kl).toBeCloseTo(0.5447249021547547 / 2, CLOSE);
    expect(r.loss).toBeCloseTo(2.137379140503348, CLOSE);
  });

  it('TRADES keeps f(x) differentiable inside the KL (not detached)', () => {
    const zNat = t2([[1, 0], [0, 0]]);
    const zAdv = t2([[0, 0], [0, 2]]);
    const y = labels([0, 1]);
    const g = tf.grad((z: tf.Tensor) => tf.div(klSum(z as tf.Tensor2D, zAdv), 2) as tf.Scalar)(zNat);
    expect(Math.max(...Array.from(g.dataSync()).map(Math.abs))).toBeGreaterThan(0.01);
    tf.dispose([zNat, zAdv, y, g]);
  });

  it("ARD: alpha tau^2 KLmean(T/tau || S(x')/tau) + (1 - alpha) CE(S(x), y)", async () => {
    const a1 = ardLoss(t2([[0, 3, 0]]), t2([[3, 0, 0]]), undefined, labels([0]), { alpha: 1, tau: 2 });
    expect(a1.terms.ce).toBeUndefined();
    expect(value(a1.loss)).toBeCloseTo(1.0743153621086827, CLOSE);
    const { loss, terms } = ardLoss(t2([[0, 3, 0]]), t2([[3, 0, 0]]), t2([[1, 0, 0]]), labels([0]), { alpha: 0.5, tau: 2 });
    const r = await read({ loss, ...terms });
    expect(r.kl).toBeCloseTo(0.2685788405271707, CLOSE);
    expect(r.loss).toBeCloseTo(0.8128800380203669, CLOSE);
  });

  it("RSLAD: 5/6 KLmean(T || S(x')) + 1/6 KLmean(T || S(x)), no hard labels", async () => {
    const { loss, terms } = rsladLoss(t2([[2, 0], [0, 1]]), t2([[0, 0], [1, 0]]), t2([[1, 0], [0, 0]]));
    const r = await read({ loss, ...terms });
    expect(r.klAdv).toBeCloseTo(0.19748262068318684, CLOSE);
    expect(r.klNat).toBeCloseTo(0.044518706531214994, CLOSE);
    expect(r.loss).toBeCloseTo(0.17198863499119155, CLOSE); // swapped weights would give 0.0700
  });

  it('RRM: lambda CE - mean cos(z_S, z_T)', async () => {
    const { loss, terms } = rrmLoss(t2([[1, 0], [1, 1], [0, 0]]), t2([[1, 2], [0, 0], [3, 0]]), t2([[1, 0], [0, 1], [1, 0]]), labels([1, 0, 0]), 0.5);
    const r = await read({ loss, ...terms });
    expect(r.cos).toBeCloseTo(0.5690355937288492, CLOSE);
    expect(r.ce).toBeCloseTo(0.35166540655063677, CLOSE);
    expect(r.loss).toBeCloseTo(-0.39320289045353074, CLOSE);
  });

  it("ALP: CE over the mixed batch [x; x'] + lambda mean_{BxC} (f(x) - f(x'))^2", async () => {
    const { loss, terms } = alpLoss(t2([[1, 0], [0, 1], [0, 0], [2, 1]]), labels([0, 1]), 0.5);
    const r = await read({ loss, ...terms });
    expect(r.ce).toBeCloseTo(0.6582330607786535, CLOSE);
    expect(r.pair).toBeCloseTo(1.25, CLOSE);
    expect(r.loss).toBeCloseTo(1.2832330607786535, CLOSE);
  });

  it('CLP: CE + lambda mean (f(x_i) - f(x_j))^2 over the two halves', async () => {
    const { loss, terms } = clpLoss(t2([[1, 0], [0, 1], [0, 0], [2, 2]]), labels([0, 1, 0, 1]), 0.5);
    const r = await read({ loss, ...terms });
    expect(r.pair).toBeCloseTo(1.5, CLOSE);
    expect(r.loss).toBeCloseTo(1.253204434039084, CLOSE);
  });

  it('logit squeezing: CE + lambda mean_b ||f(x_b)||_2 (not squared)', async () => {
    const { loss, terms } = lsqLoss(t2([[3, 4], [0, 0]]), labels([1, 0]), 0.1);
    const r = await read({ loss, ...terms });
    expect(r.logitNorm).toBeCloseTo(2.5, CLOSE);
    expect(r.loss).toBeCloseTo(0.7532044340390841, CLOSE);
  });

  it('IGAM: CE - beta L_D + gamma sum over batch and pixels (g_S - g_T)^2', async () => {
    const gS = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const gT = tf.tensor4d([1, 0, 3, 2], [1, 2, 2, 1]);
    const { loss, terms } = igamLoss(t2([[0, 1]]), labels([1]), gS, gT, tf.scalar(0.7), { beta: 2, gamma: 0.01 });
    const r = await read({ loss, ...terms });
    expect(r.diff).toBeCloseTo(8, CLOSE);
    expect(r.loss).toBeCloseTo(-1.006738312481777, CLOSE); // the student *raises* D's loss
    tf.dispose([gS, gT]);
  });

  it('IGAM: maps are zero-meaned and L2-normalized per example; D labels student maps 0 and teacher maps 1', () => {
    const g = tf.tensor4d([1, 2, 3, 4, 2, 2, 2, 6], [2, 2, 2, 1]);
    const n = normalizeGradientMaps(g);
    const v = Array.from(n.dataSync());
    expect(v[0]).toBeCloseTo(-1.5 / Math.sqrt(5), CLOSE);
    expect(v[3]).toBeCloseTo(1.5 / Math.sqrt(5), CLOSE);
    expect(v[7]).toBeCloseTo(3 / Math.sqrt(12), CLOSE);
    // A discriminator that always answers logits [2, 0] ("student"): CE 0.1269 on the student half, 2.1269 on the teacher half.
    const input = tfl.input({ shape: [2, 2, 1] });
    const out = tfl.layers.dense({ units: 2 }).apply(tfl.layers.flatten().apply(input)) as tfl.SymbolicTensor;
    const d = tfl.model({ inputs: input, outputs: out });
    d.setWeights([tf.zeros([4, 2]), tf.tensor1d([2, 0])]);
    const lD = discriminatorLoss(d, g, tf.clone(g), true);
    expect(value(lD)).toBeCloseTo(1.1269280110429727, CLOSE);
    tf.dispose([g, n]);
    d.dispose();
  });

  it('IGAM: the input gradient is d p(y|x) / dx of the true-class probability', () => {
    const c = linearClassifier([[1, -1], [-2, 3]]);
    const g = trueClassProbabilityGradient(c, tf.tensor4d([0.5, 0.5], [1, 1, 2, 1]), labels([0]), false);
    const v = Array.from(g.dataSync());
    expect(v[0]).toBeCloseTo(0.29829290414066567, CLOSE);
    expect(v[1]).toBeCloseTo(-0.7457322603516641, CLOSE);
    g.dispose();
    c.model.dispose();
  });
});

/** A method prepared on the 1x2 linear model z = x W with W = [[1,-1],[-2,3]]: at x = (.5,.5), y = 0 the CE rises along (-1, +1). */
async function onLinear<C>(def: { params: unknown; create: (s: MethodSetup<C>) => Promise<import('./method.ts').MethodRun> }, params: Record<string, unknown>, eps = 0.3) {
  const student = linearClassifier([[1, -1], [-2, 3]]);
  const x = tf.tensor4d([0.5, 0.5], [1, 1, 2, 1]);
  const y = labels([0]);
  const { values } = resolveParams<C>('test', def.params as never, params, { family: 'mnist', eps, epochs: 1 });
  const run = await def.create({ student, data: undefined as never, eps, config: values, seed: 0, batchSize: 1, log: () => {} });
  const batch = { x, y, indices: Int32Array.from([0]) };
  return {
    run,
    batch,
    dispose: () => {
      run.dispose();
      tf.dispose([x, y]);
      student.model.dispose();
    },
  };
}

describe('attack-based losses on a linear model (worst case known)', () => {
  it('PGD-AT: CE at the PGD point, which the signed steps drive to the ball corner (0.2, 0.8)', async () => {
    const m = await onLinear(pgdAt, { steps: 5, stepSize: 0.1, randomStart: false });
    const r = await read(await m.run.step(m.batch, probeContext()));
    expect(r.ceAdv).toBeCloseTo(3.6269570930082087, 4); // CE at x = 1.7014; at (0.2, 0.8) = 3.6270
    m.dispose();
  });

  it('Fast AT: one step of 1.25 eps from a random start lands each pixel on the gradient side, at least 0.25 eps out', async () => {
    const student = linearClassifier([[1, -1], [-2, 3]]);
    const { signedAscent } = await import('./inner.ts');
    const { crossEntropy } = await import('./losses.ts');
    const { logits } = await import('@temper/edge');
    const { Rng } = await import('@temper/edge');
    const x = tf.tensor4d([0.5, 0.5], [1, 1, 2, 1]);
    const y = labels([0]);
    for (let s = 0; s < 5; s++) {
      const xa = signedAscent(x, (xi) => crossEntropy(logits(student, xi, true), y), { eps: 0.3, steps: 1, stepSize: 1.25 * 0.3, start: 'uniform', rng: new Rng(s) });
      const d = Array.from(xa.dataSync()).map((v) => v - 0.5);
      xa.dispose();
      expect(d[0]).toBeLessThanOrEqual(-0.075 + 1e-6);
      expect(d[0]).toBeGreaterThanOrEqual(-0.3 - 1e-6);
      expect(d[1]).toBeGreaterThanOrEqual(0.075 - 1e-6);
      expect(d[1]).toBeLessThanOrEqual(0.3 + 1e-6);
    }
    const m = await onLinear(fastAt, {});
    const r = await read(await m.run.step(m.batch, probeContext(1)));
    expect(r.ceAdv).toBeGreaterThan(1.7014132779827524);
    m.dispose();
    tf.dispose([x, y]);
    student.model.dispose();
  });

  it('Free AT: delta starts at 0, moves eps along sign(grad) per replay, is clipped, and persists across minibatches', async () => {
    const m = await onLinear(freeAt, { replays: 2 });
    // Replay 1 at delta 0 (CE 1.7014), replay 2 at delta (-0.3, +0.3) (CE 3.6270): the step reports their mean.
    const r1 = await read(await m.run.step(m.batch, probeContext()));
    expect(r1.ceAdv).toBeCloseTo((1.7014132779827524 + 3.6269570930082087) / 2, 4);
    // The next minibatch starts from the same delta: both replays sit at the corner.
    const r2 = await read(await m.run.step(m.batch, probeContext()));
    expect(r2.ceAdv).toBeCloseTo(3.6269570930082087, 4);
    const state = await m.run.saveState!();
    expect(Array.from(state.tensors![0].tensor.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([-0.3, 0.3]);
    tf.dispose(state.tensors!.map((t) => t.tensor));
    m.dispose();
  });

  it("TRADES and ALP craft x' with the model in inference mode and report positive KL / pairing terms", async () => {
    const t = await onLinear(trades, { steps: 5, stepSize: 0.1, beta: 1 });
    const r = await read(await t.run.step(t.batch, probeContext()));
    expect(r.kl).toBeGreaterThan(0.05);
    expect(r.loss).toBeCloseTo(r.ce + r.kl, 5);
    t.dispose();
    const a = await onLinear(alp, { steps: 5, stepSize: 0.1, lambda: 0.5, attackLabels: 'true' });
    const ra = await read(await a.run.step(a.batch, probeContext()));
    // Clean CE 1.7014 and CE 3.6270 at the corner, averaged over the mixed batch.
    expect(ra.ce).toBeCloseTo((1.7014132779827524 + 3.6269570930082087) / 2, 4);
    // Logits at x: (-0.5, 1); at (0.2, 0.8): (-1.4, 2.2): mean squared difference (0.81 + 1.44) / 2.
    expect(ra.pair).toBeCloseTo((0.81 + 1.44) / 2, 4);
    a.dispose();
  });
});
