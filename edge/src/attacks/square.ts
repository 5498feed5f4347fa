import * as tf from '@tensorflow/tfjs-core';
import { logits, type Classifier } from '../models/classifier.ts';
import type { Rng } from '../util/random.ts';
import { checkEps, checkInt, checkKnownKeys, checkNumber, plainSettings } from './config.ts';
import { marginsFromLogits } from './losses.ts';
import { copyRow } from './tensors.ts';
import type { AttackContext, AttackConfigBase, AttackDefinition } from './types.ts';

/**
 * Square Attack, L-infinity, score-based (Andriushchenko et al. 2020), as AutoAttack configures it
 * (fra31/auto-attack, autoattack/square.py; autoattack.py builds it with p_init 0.8, n_queries 5000,
 * margin loss, 1 restart, resc_schedule=False):
 *
 * - start from vertical stripes clamp(x + eps * s), s in {-1,+1} per (sample, column, channel),
 *   broadcast over rows; that first query counts;
 * - each iteration, for every sample whose margin z_y - max_{k!=y} z_k is still > 0: a window of side
 *   max(round(sqrt(p * h * w)), 1) at a uniform position [0, h-s) x [0, w-s) (random_int excludes the
 *   upper end) is moved to the ball's boundary, x_best + 2 eps u_c projected onto the ball ∩ [0,1] with one
 *   sign u_c per channel; the candidate is kept if its margin is lower, or if it misclassifies;
 * - p = p_init halved at iterations 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000, counted absolutely
 *   (AutoAttack passes resc_schedule=False; `rescaleSchedule: true` maps it to it * 10000 / queries as
 *   SquareAttack's own default does);
 * - `queries` is AutoAttack's n_queries: the number of iterations after the initial query, so a sample
 *   that is never fooled is queried queries + 1 times. Per-sample counts are returned.
 * - fooled samples return their misclassified point, the others the clean image (as perturb does).
 *
 * Departures, each on purpose:
 * - AutoAttack's batched port draws one window position and one sign vector per iteration for the whole
 *   batch; here each sample draws its own (as in the paper and the original per-image algorithm), from
 *   the batch's seeded Rng on the CPU. The candidates are built on the CPU too (see squareSingleRun), so
 *   an iteration is one upload and one forward over the still-unfooled samples only.
 * - The side is capped at min(h, w) - 1 (as the original square_attack code does, `min(s, h - 1)`), so
 *   non-square images work: AutoAttack's torch slicing silently truncates a window wider than the image.
 * - Python's round() rounds halves to even; so does `pyRound` here.
 */
export interface SquareConfig extends AttackConfigBase {
  /** Iterations after the initial query (AutoAttack's n_queries; standard evaluation: 5000). */
  readonly queries: number;
  readonly pInit: number;
  readonly restarts: number;
  readonly rescaleSchedule: boolean;
}

const KEYS = ['eps', 'queries', 'pInit', 'restarts', 'rescaleSchedule'] as const;

/** Python 3 round(): halves to even. */
export function pyRound(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** SquareAttack.p_selection. */
export function squarePSchedule(iteration: number, pInit: number, queries: number, rescale: boolean): number {
  const it = rescale ? Math.trunc((iteration / queries) * 10000) : iteration;
  if (it > 10 && it <= 50) return pInit / 2;
  if (it > 50 && it <= 200) return pInit / 4;
  if (it > 200 && it <= 500) return pInit / 8;
  if (it > 500 && it <= 1000) return pInit / 16;
  if (it > 1000 && it <= 2000) return pInit / 32;
  if (it > 2000 && it <= 4000) return pInit / 64;
  if (it > 4000 && it <= 6000) return pInit / 128;
  if (it > 6000 && it <= 8000) return pInit / 256;
  if (it > 8000) return pInit / 512;
  return pInit;
}

/** Window side for fraction p of an h x w image: max(round(sqrt(p h w)), 1), capped at min(h, w) - 1. */
export function squareWindowSize(p: number, h: number, w: number): number {
  const s = Math.max(pyRound(Math.sqrt(p * h * w)), 1);
  return Math.max(1, Math.min(s, Math.min(h, w) - 1));
}

/** Vertical stripes: one sign per (sample, column, channel), as a [n, 1, w, c] array of +-eps. */
function stripes(n: number, w: number, c: number, eps: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * w * c);
  // Drawn in torch's [n, c, 1, w] order, stored NHWC.
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let col = 0; col < w; col++) out[(b * w + col) * c + ch] = eps * rng.sign();
  return out;
}

interface SquareRunResult {
  /** Per sample: the misclassified point where fooled. */
  readonly xBest: Float32Array;
  readonly fooled: Uint8Array;
  readonly queries: Int32Array;
}

/**
 * attack_single_run (L-infinity) with per-sample windows and early stopping. The whole state (x_best,
 * the bounds, the margins) lives on the CPU: a candidate differs from x_best only inside its window, so
 * building it is a row copy plus s*s*c writes, and keeping it is s*s*c writes back. Each iteration costs
 * one upload and one forward of the still-unfooled rows, and one read-back of their logits: no gathers,
 * no selects, nothing to compact on the device.
 */
async function squareSingleRun(
  classifier: Classifier,
  x: Float32Array,
  shape: readonly [number, number, number],
  labels: Int32Array,
  config: SquareConfig,
  ctx: AttackContext,
  phase: string | undefined,
): Promise<SquareRunResult> {
  const [h, w, c] = shape;
  const px = h * w * c;
  const n = labels.length;
  const C = classifier.numClasses;
  const eps = config.eps;
  const lo = new Float32Array(n * px);
  const hi = new Float32Array(n * px);
  for (let i = 0; i < n * px; i++) {
    lo[i] = Math.max(x[i] - eps, 0);
    hi[i] = Math.min(x[i] + eps, 1);
  }
  // x_best = clamp(x + eps * stripes, 0, 1)
  const stripe = stripes(n, w, c, eps, ctx.rng);
  const xBest = new Float32Array(n * px);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < h; r++) {
      for (let q = 0; q < w; q++) {
        for (let ch = 0; ch < c; ch++) {
          const i = b * px + (r * w + q) * c + ch;
          xBest[i] = Math.min(Math.max(x[i] + stripe[(b * w + q) * c + ch], 0), 1);
        }
      }
    }
  }
  const fooled = new Uint8Array(n);
  const queries = new Int32Array(n).fill(1);
  // One buffer for every query batch: tf.tensor keeps a reference to the array on the cpu backend, so
  // it is only rewritten after the tensor made from it has been disposed.
  const buf = new Float32Array(n * px);
  const margins = async (rows: number, ys: Int32Array): Promise<Float32Array> => {
    const xq = tf.tensor4d(buf.subarray(0, rows * px), [rows, h, w, c]);
    try {
      const z = logits(classifier, xq, false);
      try {
        return marginsFromLogits((await z.data()) as Float32Array, ys, C);
      } finally {
        z.dispose();
      }
    } finally {
      xq.dispose();
    }
  };

  buf.set(xBest);
  const marginMin = await margins(n, labels);
  // Invariant between iterations: row j of buf equals x_best of sample active[j]. A candidate then only
  // writes its window, and a rejected one only restores it: no per-iteration row copies.
  let active: number[] = [];
  for (let i = 0; i < n; i++) {
    if (marginMin[i] > 0) {
      buf.copyWithin(active.length * px, i * px, (i + 1) * px);
      active.push(i);
    }
  }

  const vhs = new Int32Array(n);
  const vws = new Int32Array(n);
  for (let iter = 0; iter < config.queries && active.length > 0; iter++) {
    await ctx.checkpoint({ iteration: iter, iterations: config.queries, phase });
    const nA = active.length;
    const p = squarePSchedule(iter, config.pInit, config.queries, config.rescaleSchedule);
    const s = squareWindowSize(p, h, w);
    const ys = new Int32Array(nA);
    for (let j = 0; j < nA; j++) {
      const i = active[j];
      ys[j] = labels[i];
      const src = i * px;
      const dst = j * px;
      const vh = ctx.rng.int(h - s);
      const vw = ctx.rng.int(w - s);
      vhs[j] = vh;
      vws[j] = vw;
      for (let ch = 0; ch < c; ch++) {
        // x_best + 2 eps u_c, projected onto the ball ∩ [0,1].
        const step = 2 * eps * ctx.rng.sign();
        for (let r = vh; r < vh + s; r++) {
          for (let q = vw; q < vw + s; q++) {
            const k = (r * w + q) * c + ch;
            const v = xBest[src + k] + step;
            buf[dst + k] = v < lo[src + k] ? lo[src + k] : v > hi[src + k] ? hi[src + k] : v;
          }
        }
      }
    }
    const margin = await margins(nA, ys);
    const still: number[] = [];
    for (let j = 0; j < nA; j++) {
      const i = active[j];
      queries[i]++;
      const kept = margin[j] < marginMin[i] || margin[j] <= 0; // loss = margin: lower, or misclassified
      if (kept) marginMin[i] = margin[j];
      const row = j * px;
      const best = i * px;
      for (let r = vhs[j]; r < vhs[j] + s; r++) {
        const from = (r * w + vws[j]) * c;
        if (kept) xBest.set(buf.subarray(row + from, row + from + s * c), best + from);
        else buf.set(xBest.subarray(best + from, best + from + s * c), row + from);
      }
      if (marginMin[i] > 0) {
        if (still.length !== j) buf.copyWithin(still.length * px, row, row + px);
        still.push(i);
      }
    }
    active = still;
  }
  for (let i = 0; i < n; i++) fooled[i] = marginMin[i] <= 0 ? 1 : 0;
  return { xBest, fooled, queries };
}

export const square: AttackDefinition<SquareConfig> = {
  name: 'square',
  kind: 'black-box',
  defaults: { queries: 5000, pInit: 0.8, restarts: 1, rescaleSchedule: false },
  resolve(config) {
    checkKnownKeys('square', config, KEYS);
    const d = this.defaults;
    return {
      eps: checkEps('square', config.eps),
      queries: checkInt('square', 'queries', config.queries ?? d.queries, 1, 1_000_000),
      pInit: checkNumber('square', 'pInit', config.pInit ?? d.pInit, 0, 1, { minExclusive: true }),
      restarts: checkInt('square', 'restarts', config.restarts ?? d.restarts, 1, 1000),
      rescaleSchedule: Boolean(config.rescaleSchedule ?? d.rescaleSchedule),
    };
  },
  describe(config) {
    const { eps: _eps, ...rest } = config;
    return plainSettings({ ...rest, loss: 'margin' });
  },
  async run(classifier, x, y, config, ctx) {
    const [n, h, w, c] = x.shape;
    const px = h * w * c;
    const labels = (await y.data()) as Int32Array;
    const xData = (await x.data()) as Float32Array;
    const advData = xData.slice();
    const robust = new Uint8Array(n).fill(1);
    const queries = new Int32Array(n);
    for (let r = 0; r < config.restarts; r++) {
      const active: number[] = [];
      for (let i = 0; i < n; i++) if (robust[i]) active.push(i);
      if (active.length === 0) break;
      const xs = new Float32Array(active.length * px);
      active.forEach((i, j) => copyRow(xData, i, xs, j, px));
      const res = await squareSingleRun(
        classifier,
        xs,
        [h, w, c],
        Int32Array.from(active, (i) => labels[i]),
        config,
        ctx,
        config.restarts > 1 ? `restart ${r + 1}/${config.restarts}` : undefined,
      );
      for (let j = 0; j < active.length; j++) {
        const i = active[j];
        queries[i] += res.queries[j];
        if (res.fooled[j]) {
          robust[i] = 0;
          copyRow(res.xBest, j, advData, i, px);
        }
      }
    }
    return { xAdv: tf.tensor4d(advData, [n, h, w, c]), queries };
  },
};
