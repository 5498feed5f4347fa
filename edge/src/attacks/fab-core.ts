import * as tf from '@tensorflow/tfjs-core';
import { logits, type Classifier } from '../models/classifier.ts';
import { checkEps, checkInt, checkKnownKeys, checkNumber } from './config.ts';
import { argMaxRows, lossAndGrad } from './tensors.ts';
import type { AttackContext } from './types.ts';

/**
 * FAB, L-infinity (Croce & Hein 2020), ported from AutoAttack's FABAttack.attack_single_run and
 * fab_projections.projection_linf (fra31/auto-attack, autoattack/fab_base.py). A minimum-norm attack:
 * each step linearizes the decision boundary at the iterate into a hyperplane w.x = b, projects both
 * the iterate and the clean point onto it within [0,1], takes a convex combination biased towards the
 * clean point (alpha <= alpha_max), overshoots by eta, and after every success shrinks back towards
 * the clean point by beta. The smallest adversarial perturbation found is kept; the caller keeps it only
 * if it is within eps (as perturb does).
 *
 * The iterate lives on the CPU: the projection sorts each row, which is cheap in JS and has no
 * differentiable counterpart to gain from on a device. The device computes logits and gradients.
 */

export interface FabCommonConfig {
  readonly eps: number;
  readonly iterations: number;
  readonly restarts: number;
  readonly alphaMax: number;
  readonly eta: number;
  readonly beta: number;
}

export const FAB_DEFAULTS = { iterations: 100, restarts: 1, alphaMax: 0.1, eta: 1.05, beta: 0.9 } as const;

export function resolveFabCommon(attack: string, config: Partial<FabCommonConfig> & { eps: number }, extraKeys: readonly string[]): FabCommonConfig {
  checkKnownKeys(attack, config, ['eps', 'iterations', 'restarts', 'alphaMax', 'eta', 'beta', ...extraKeys]);
  return {
    eps: checkEps(attack, config.eps),
    iterations: checkInt(attack, 'iterations', config.iterations ?? FAB_DEFAULTS.iterations, 1, 100_000),
    restarts: checkInt(attack, 'restarts', config.restarts ?? FAB_DEFAULTS.restarts, 1, 1000),
    alphaMax: checkNumber(attack, 'alphaMax', config.alphaMax ?? FAB_DEFAULTS.alphaMax, 0, 1),
    eta: checkNumber(attack, 'eta', config.eta ?? FAB_DEFAULTS.eta, 1, 10),
    beta: checkNumber(attack, 'beta', config.beta ?? FAB_DEFAULTS.beta, 0, 1, { minExclusive: true }),
  };
}

/**
 * The linearized boundary at a batch of points: per row the logit difference df and its input gradient
 * dg (row-major, D values per row) of the hyperplane the step projects onto.
 */
export type FabHyperplane = (x: Float32Array, n: number) => Promise<{ df: Float32Array; dg: Float32Array }>;

/**
 * projection_linf for one row: the minimal L-inf step d with w.(t + d) = b and t + d in [0,1]
 * (or, where the box does not allow it, the box corner that gets closest). Writes d into `out`.
 */
export function projectionLinf(t: Float32Array, wIn: Float32Array, bIn: number, out: Float32Array): void {
  const D = t.length;
  const { w, a, d, p, s, sb, keys, indp } = scratch(D);
  let wt = 0;
  for (let i = 0; i < D; i++) wt += wIn[i] * t[i];
  const sign = wt - bIn >= 0 ? 1 : -1;
  let b = bIn * sign;
  let b0 = 0;
  wt = 0;
  for (let i = 0; i < D; i++) {
    const wi = wIn[i] * sign;
    w[i] = wi;
    const ai = wi < 0 ? 1 : 0;
    a[i] = ai;
    d[i] = wi !== 0 ? ai - t[i] : 0;
    p[i] = ai - t[i] * (2 * ai - 1);
    wt += wi * t[i];
    b0 += wi * d[i];
  }
  argsortUnit(p, D, keys, indp);
  b -= wt;
  // Cumulative sums over the coordinates in descending p.
  let accS = 0;
  let accB = b0;
  for (let j = 0; j < D; j++) {
    const k = indp[D - 1 - j];
    accS += Math.abs(w[k]);
    accB += -w[k] * d[k];
    s[j] = accS;
    sb[j] = accB;
  }
  const b2 = sb[D - 1] - s[D - 1] * p[indp[0]];
  const cl = b - b2 > 0;
  const c2 = b - b0 > 0 && !cl;
  if (cl) {
    const l = clampMin0((b - sb[D - 1]) / -s[D - 1]);
    for (let i = 0; i < D; i++) d[i] = (2 * a[i] - 1) * l;
  } else if (c2) {
    let lb = 0;
    let ub = D - 1;
    const nIter = Math.ceil(Math.log2(D));
    for (let it = 0; it < nIter; it++) {
      const c4 = Math.floor((lb + ub) / 2);
      const bb = sb[c4] - s[c4] * p[indp[D - 1 - c4]];
      if (b - bb > 0) lb = c4;
      else ub = c4;
    }
    const l = clampMin0((b - sb[lb]) / -s[lb]);
    for (let i = 0; i < D; i++) d[i] = a[i] ? Math.min(l, d[i]) : Math.max(-l, d[i]);
  }
  for (let i = 0; i < D; i++) out[i] = w[i] !== 0 ? d[i] : 0;
}

/** Work buffers of the projection, reused across calls (it runs twice per row per FAB iteration). */
let buffers: { w: Float64Array; a: Uint8Array; d: Float64Array; p: Float64Array; s: Float64Array; sb: Float64Array; keys: Float64Array; indp: Int32Array } | undefined;
function scratch(D: number) {
  if (!buffers || buffers.w.length !== D) {
    buffers = { w: new Float64Array(D), a: new Uint8Array(D), d: new Float64Array(D), p: new Float64Array(D), s: new Float64Array(D), sb: new Float64Array(D), keys: new Float64Array(D), indp: new Int32Array(D) };
  }
  return buffers;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const INDEX_BITS = 2 ** 22;

/**
 * argsort of values in [0,1], ascending, ties by index. FAB sorts every row twice per iteration, so
 * this avoids a comparator sort: each key packs the value's float32 bit pattern (monotone for
 * non-negative floats, below 2^30 for values <= 1) above a 22-bit index into one exactly representable
 * float64, and the native numeric sort orders them. Values equal in float32 tie (and go by index).
 */
function argsortUnit(p: Float64Array, D: number, keys: Float64Array, out: Int32Array): void {
  if (D >= INDEX_BITS) {
    const order = Array.from({ length: D }, (_, i) => i).sort((i, j) => p[i] - p[j] || i - j);
    out.set(order);
    return;
  }
  for (let i = 0; i < D; i++) {
    F32[0] = Math.min(Math.max(p[i], 0), 1);
    keys[i] = U32[0] * INDEX_BITS + i;
  }
  keys.sort();
  for (let j = 0; j < D; j++) out[j] = keys[j] % INDEX_BITS;
}

/** clamp_min(v, 0), with 0 where a zero hyperplane made v NaN (torch would propagate the NaN). */
function clampMin0(v: number): number {
  return Number.isNaN(v) ? 0 : Math.max(v, 0);
}

function maxAbs(v: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

export interface FabRunOptions {
  readonly labels: Int32Array;
  readonly iterations: number;
  readonly alphaMax: number;
  readonly eta: number;
  readonly beta: number;
  /** Random start of radius eps / 2 (perturb uses it from the second restart on). */
  readonly randomStart: boolean;
  readonly eps: number;
  readonly numClasses: number;
  readonly phase?: string;
}

export interface FabRunResult {
  /** The smallest adversarial found per row; the clean row where none was. */
  readonly adv: Float32Array;
  /** Its L-inf distance to the clean row; Infinity where none was found. */
  readonly norm: Float64Array;
  /** 0-based iteration at which an adversarial within eps was first found; -1 where none was. */
  readonly foundAt: Int32Array;
}

/** Predicted classes of rows held on the CPU. */
export async function predictRows(c: Classifier, x: Float32Array, n: number): Promise<Int32Array> {
  const [h, w, ch] = c.inputShape;
  const z = tf.tidy(() => logits(c, tf.tensor4d(x, [n, h, w, ch]), false));
  try {
    return argMaxRows((await z.data()) as Float32Array, n, c.numClasses);
  } finally {
    z.dispose();
  }
}

/** attack_single_run on rows all classified correctly (the caller filters, as perturb does). */
export async function fabSingleRun(c: Classifier, x0: Float32Array, n: number, hyperplane: FabHyperplane, opts: FabRunOptions, ctx: AttackContext): Promise<FabRunResult> {
  const D = x0.length / Math.max(n, 1);
  const adv = x0.slice();
  const norm = new Float64Array(n).fill(Infinity);
  const foundAt = new Int32Array(n).fill(-1);
  const x1 = x0.slice();
  if (opts.randomStart) {
    for (let r = 0; r < n; r++) {
      const t = new Float32Array(D);
      for (let i = 0; i < D; i++) t[i] = 2 * ctx.rng.next() - 1;
      const m = maxAbs(t, 0, D) || 1;
      for (let i = 0; i < D; i++) x1[r * D + i] = clamp01(x0[r * D + i] + (opts.eps * t[i] * 0.5) / m);
    }
  }
  const d1 = new Float32Array(D);
  const d2 = new Float32Array(D);
  for (let it = 0; it < opts.iterations; it++) {
    await ctx.checkpoint({ iteration: it, iterations: opts.iterations, phase: opts.phase });
    const { df, dg } = await hyperplane(x1, n);
    for (let r = 0; r < n; r++) {
      const o = r * D;
      const w = dg.subarray(o, o + D);
      let wx = 0;
      for (let i = 0; i < D; i++) wx += w[i] * x1[o + i];
      const b = -df[r] + wx;
      projectionLinf(x1.subarray(o, o + D), w, b, d1);
      projectionLinf(x0.subarray(o, o + D), w, b, d2);
      const a1 = Math.max(maxAbs(d1, 0, D), 1e-8);
      const a2 = Math.max(maxAbs(d2, 0, D), 1e-8);
      const alpha = Math.min(Math.max(a1 / (a1 + a2), 0), opts.alphaMax);
      for (let i = 0; i < D; i++) {
        x1[o + i] = clamp01((x1[o + i] + opts.eta * d1[i]) * (1 - alpha) + (x0[o + i] + d2[i] * opts.eta) * alpha);
      }
    }
    const pred = await predictRows(c, x1, n);
    for (let r = 0; r < n; r++) {
      if (pred[r] === opts.labels[r]) continue;
      const o = r * D;
      let t = 0;
      for (let i = 0; i < D; i++) t = Math.max(t, Math.abs(x1[o + i] - x0[o + i]));
      if (t < norm[r]) {
        adv.set(x1.subarray(o, o + D), o);
        norm[r] = t;
      }
      if (t <= opts.eps && foundAt[r] < 0) foundAt[r] = it;
      for (let i = 0; i < D; i++) x1[o + i] = x0[o + i] + (x1[o + i] - x0[o + i]) * opts.beta;
    }
  }
  return { adv, norm, foundAt };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * get_diff_logits_grads_batch_targeted: the hyperplane of z_t - z_y (df = -(z_y - z_t)) and its gradient.
 */
export function targetedHyperplane(c: Classifier, labels: Int32Array, targets: Int32Array): FabHyperplane {
  const [h, w, ch] = c.inputShape;
  return async (x, n) => {
    const ys = tf.tensor1d(labels, 'int32');
    const ts = tf.tensor1d(targets, 'int32');
    const xt = tf.tensor4d(x, [n, h, w, ch]);
    try {
      const r = lossAndGrad(
        (xi) => {
          const z = logits(c, xi, false);
          const C = z.shape[1];
          const diff = tf.sum(tf.mul(z, tf.sub(tf.cast(tf.oneHot(ts, C), 'float32'), tf.cast(tf.oneHot(ys, C), 'float32'))), 1) as tf.Tensor1D;
          return { loss: diff, logits: z };
        },
        xt,
      );
      const [df, dg] = await Promise.all([r.loss.data(), r.grad.data()]);
      tf.dispose([r.loss, r.logits, r.grad]);
      return { df: df as Float32Array, dg: dg as Float32Array };
    } finally {
      tf.dispose([ys, ts, xt]);
    }
  };
}

/**
 * get_diff_logits_grads_batch (untargeted): the full Jacobian, one backward pass per class, then per
 * row the class whose linearized boundary is closest in L-inf: |df_k| / ||dg_k||_1, the label's own
 * entry excluded (df = 1e10 there).
 */
export function untargetedHyperplane(c: Classifier, labels: Int32Array): FabHyperplane {
  const [h, w, ch] = c.inputShape;
  const C = c.numClasses;
  return async (x, n) => {
    const D = h * w * ch;
    const xt = tf.tensor4d(x, [n, h, w, ch]);
    const grads: Float32Array[] = [];
    let z: Float32Array;
    try {
      const zt = logits(c, xt, false);
      z = (await zt.data()) as Float32Array;
      zt.dispose();
      for (let k = 0; k < C; k++) {
        const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.slice(logits(c, xi, false), [0, k], [n, 1])))(xt);
        grads.push((await g.data()) as Float32Array);
        g.dispose();
      }
    } finally {
      xt.dispose();
    }
    const df = new Float32Array(n);
    const dg = new Float32Array(n * D);
    for (let r = 0; r < n; r++) {
      const y = labels[r];
      let best = -1;
      let bestDist = Infinity;
      for (let k = 0; k < C; k++) {
        if (k === y) continue;
        const dfk = z[r * C + k] - z[r * C + y];
        let l1 = 0;
        for (let i = 0; i < D; i++) l1 += Math.abs(grads[k][r * D + i] - grads[y][r * D + i]);
        const dist = Math.abs(dfk) / (1e-12 + l1);
        if (dist < bestDist) {
          bestDist = dist;
          best = k;
        }
      }
      if (best < 0) best = (y + 1) % C; // every distance NaN: a degenerate model; any class will do
      df[r] = z[r * C + best] - z[r * C + y];
      for (let i = 0; i < D; i++) dg[r * D + i] = grads[best][r * D + i] - grads[y][r * D + i];
    }
    return { df, dg };
  };
}
