import * as tf from '@tensorflow/tfjs-core';
import { logits, type Classifier } from '../models/classifier.ts';
import { checkEps, checkInt, checkKnownKeys, checkNumber, configError } from './config.ts';
import { argMaxRows, copyRow, gatherRows, lossAndGrad, selectRows, tfSeed, type Objective } from './tensors.ts';
import type { AttackContext } from './types.ts';

/**
 * Auto-PGD, L-infinity (Croce & Hein 2020), ported line by line from AutoAttack's
 * `APGDAttack.attack_single_run` / `perturb` (fra31/auto-attack, autoattack/autopgd_base.py):
 *
 * - start: x + eps * t / (max|t| + 1e-12), t ~ U(-1, 1) per pixel, clamped to [0,1];
 * - step size 2 * eps per sample; momentum a = 0.75 (1.0 on the first step):
 *   z = P(x_k + eta * sign(g)), x_{k+1} = P(x_k + a (z - x_k) + (1 - a)(x_k - x_{k-1}));
 * - checkpoints after k_0 = max(int(0.22 n), 1) iterations, then gaps k_{j+1} = max(k_j - max(int(0.03 n), 1),
 *   max(int(0.06 n), 1)); at a checkpoint a sample's step is halved, and it restarts from its best point
 *   with its best point's gradient, when at most rho * k of the last k steps increased the loss, or when it
 *   was not halved at the previous checkpoint and its best loss has not improved since;
 * - a sample is fooled once any iterate is misclassified; that iterate is returned.
 *
 * Departures: random numbers come from tfjs (seeded from the batch's Rng) instead of torch's generator;
 * the EOT loop (eot_iter = 1 in AutoAttack's non-randomized versions) is left out.
 */

export interface ApgdRunOptions {
  readonly eps: number;
  readonly iterations: number;
  readonly rho: number;
  readonly labels: ArrayLike<number>;
  readonly numClasses: number;
  readonly phase?: string;
  /** EOT draws per gradient (AutoAttack's eot_iter; 20 in its 'rand' version, else 1). */
  readonly eot?: number;
}

export interface ApgdRunResult {
  /** Highest-loss point per sample. */
  readonly xBest: tf.Tensor4D;
  /** Latest misclassified iterate per sample (the start point where none was). */
  readonly xBestAdv: tf.Tensor4D;
  /** 1 where every iterate was classified correctly. */
  readonly acc: Uint8Array;
  readonly lossBest: Float32Array;
  /** First iteration (1-based; 0 is the random start) with a misclassified iterate; -1 where none was. */
  readonly foundAt: Int32Array;
}

/**
 * The gradient averaged over `eot` forwards (expectation over transformation, for randomized models);
 * loss and logits are the last draw's, as in the reference's EOT loop.
 */
function eotLossAndGrad(objective: Objective, x: tf.Tensor4D, eot: number): ReturnType<typeof lossAndGrad> {
  if (eot <= 1) return lossAndGrad(objective, x);
  let sum: tf.Tensor4D | undefined;
  let last: ReturnType<typeof lossAndGrad> | undefined;
  for (let e = 0; e < eot; e++) {
    if (last) tf.dispose([last.loss, last.logits]);
    last = lossAndGrad(objective, x);
    const next: tf.Tensor4D = sum ? tf.add(sum, last.grad) : tf.clone(last.grad);
    sum?.dispose();
    last.grad.dispose();
    sum = next;
  }
  const grad = tf.div(sum!, eot) as tf.Tensor4D;
  sum!.dispose();
  return { loss: last!.loss, logits: last!.logits, grad };
}

/** AutoAttack's checkpoint parameters for n iterations: first gap, minimum gap, gap decrement. */
export function apgdCheckpointParams(n: number): { first: number; min: number; decrement: number } {
  return {
    first: Math.max(Math.trunc(0.22 * n), 1),
    min: Math.max(Math.trunc(0.06 * n), 1),
    decrement: Math.max(Math.trunc(0.03 * n), 1),
  };
}

/** 0-based iterations after which the step-size condition is checked (n = 100: 21, 40, 56, 69, 79, 86, 92, 98). */
export function apgdCheckpointIterations(n: number): number[] {
  const { first, min, decrement } = apgdCheckpointParams(n);
  const out: number[] = [];
  let k = first;
  let counter = 0;
  for (let i = 0; i < n; i++) {
    counter++;
    if (counter === k) {
      out.push(i);
      k = Math.max(k - decrement, min);
      counter = 0;
    }
  }
  return out;
}

/**
 * check_oscillation: per sample, how many of the last k steps increased the loss; flags those with at
 * most k * rho. Faithful to a quirk of the reference: at the first checkpoint (j = k - 1) the oldest
 * comparison reads loss_steps[-1], which Python wraps to the last, still-zero row.
 */
export function checkOscillation(lossSteps: Float32Array[], j: number, k: number, rho: number, n: number): Uint8Array {
  const steps = lossSteps.length;
  const flags = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    let t = 0;
    for (let c = 0; c < k; c++) {
      const cur = j - c;
      let prev = j - c - 1;
      if (prev < 0) prev += steps;
      if (lossSteps[cur][s] > lossSteps[prev][s]) t++;
    }
    flags[s] = t <= k * rho ? 1 : 0;
  }
  return flags;
}

/** attack_single_run, L-infinity. All tensors it returns belong to the caller. */
export async function apgdSingleRun(objective: Objective, x: tf.Tensor4D, opts: ApgdRunOptions, ctx: AttackContext): Promise<ApgdRunResult> {
  const n = x.shape[0];
  const nIter = opts.iterations;
  const eps = opts.eps;
  const rank1 = [n, 1, 1, 1] as [number, number, number, number];
  const labels = opts.labels;
  const owned = new Set<tf.Tensor>();
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.add(t);
    return t;
  };
  const drop = (t: tf.Tensor) => {
    owned.delete(t);
    t.dispose();
  };
  const replace = <T extends tf.Tensor>(old: T, next: T): T => {
    if (old !== next) drop(old);
    return own(next);
  };
  try {
    const lo = own(tf.tidy(() => tf.maximum(tf.sub(x, eps), 0)) as tf.Tensor4D);
    const hi = own(tf.tidy(() => tf.minimum(tf.add(x, eps), 1)) as tf.Tensor4D);
    const proj = (v: tf.Tensor4D) => tf.minimum(tf.maximum(v, lo), hi) as tf.Tensor4D;

    let xAdv = own(
      tf.tidy(() => {
        const t = tf.sub(tf.mul(2, tf.randomUniform(x.shape, 0, 1, 'float32', tfSeed(ctx.rng))), 1);
        const tMax = tf.reshape(tf.max(tf.abs(tf.reshape(t, [n, -1])), 1), rank1);
        return tf.clipByValue(tf.add(x, tf.mul(eps, tf.div(t, tf.add(tMax, 1e-12)))), 0, 1) as tf.Tensor4D;
      }),
    );
    let xBest = own(tf.clone(xAdv));
    let xBestAdv = own(tf.clone(xAdv));
    const lossSteps: Float32Array[] = Array.from({ length: nIter }, () => new Float32Array(n));

    const eot = opts.eot ?? 1;
    const first = eotLossAndGrad(objective, xAdv, eot);
    let grad = own(first.grad);
    let gradBest = own(tf.clone(grad));
    const [loss0, z0] = await Promise.all([first.loss.data(), first.logits.data()]);
    first.loss.dispose();
    first.logits.dispose();
    const pred0 = argMaxRows(z0, n, opts.numClasses);
    const acc = new Uint8Array(n);
    const foundAt = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      acc[i] = pred0[i] === labels[i] ? 1 : 0;
      if (!acc[i]) foundAt[i] = 0;
    }
    const lossBest = Float32Array.from(loss0 as Float32Array);

    const stepSize = new Float32Array(n).fill(2 * eps);
    // tf.tensor keeps a reference to its array on the cpu backend: hand it copies, since stepSize mutates.
    let stepT = own(tf.tensor4d(stepSize.slice(), rank1));
    let xAdvOld = own(tf.clone(xAdv));
    const { first: k0, min: kMin, decrement } = apgdCheckpointParams(nIter);
    let k = k0;
    let counter3 = 0;
    let lossBestLastCheck = Float32Array.from(lossBest);
    let reducedLastCheck: Uint8Array = new Uint8Array(n).fill(1);

    for (let i = 0; i < nIter; i++) {
      await ctx.checkpoint({ iteration: i, iterations: nIter, phase: opts.phase });
      // Gradient step with momentum.
      const a = i > 0 ? 0.75 : 1.0;
      const cur = xAdv;
      const old = xAdvOld;
      const next = tf.tidy(() => {
        const grad2 = tf.sub(cur, old);
        const x1 = proj(tf.add(cur, tf.mul(stepT, tf.sign(grad))) as tf.Tensor4D);
        return proj(tf.add(tf.add(cur, tf.mul(tf.sub(x1, cur), a)), tf.mul(grad2, 1 - a)) as tf.Tensor4D);
      });
      drop(old);
      xAdvOld = cur; // x_adv_old = x_adv.clone() before the step
      xAdv = own(next);

      // Gradient at the new point.
      const r = eotLossAndGrad(objective, xAdv, eot);
      grad = replace(grad, r.grad);
      const [lossData, zData] = await Promise.all([r.loss.data(), r.logits.data()]);
      r.loss.dispose();
      r.logits.dispose();
      const pred = argMaxRows(zData, n, opts.numClasses);
      const wrong = new Uint8Array(n);
      let anyWrong = false;
      for (let s = 0; s < n; s++) {
        if (pred[s] !== labels[s]) {
          wrong[s] = 1;
          if (foundAt[s] < 0) foundAt[s] = i + 1;
          acc[s] = 0;
          anyWrong = true;
        }
      }
      if (anyWrong) xBestAdv = replace(xBestAdv, selectRows(wrong, xAdv, xBestAdv));

      // Best point so far.
      const y1 = lossData as Float32Array;
      lossSteps[i].set(y1);
      const improved = new Uint8Array(n);
      let anyImproved = false;
      for (let s = 0; s < n; s++) {
        if (y1[s] > lossBest[s]) {
          improved[s] = 1;
          lossBest[s] = y1[s];
          anyImproved = true;
        }
      }
      if (anyImproved) {
        xBest = replace(xBest, selectRows(improved, xAdv, xBest));
        gradBest = replace(gradBest, selectRows(improved, grad, gradBest));
      }

      // Step-size checkpoint.
      counter3++;
      if (counter3 === k) {
        const flOsc = checkOscillation(lossSteps, i, k, opts.rho, n);
        let anyReduce = false;
        for (let s = 0; s < n; s++) {
          const noImprovement = (1 - reducedLastCheck[s]) * (lossBestLastCheck[s] >= lossBest[s] ? 1 : 0);
          flOsc[s] = Math.max(flOsc[s], noImprovement);
          if (flOsc[s]) anyReduce = true;
        }
        reducedLastCheck = flOsc;
        lossBestLastCheck = Float32Array.from(lossBest);
        if (anyReduce) {
          for (let s = 0; s < n; s++) if (flOsc[s]) stepSize[s] /= 2;
          stepT = replace(stepT, tf.tensor4d(stepSize.slice(), rank1));
          xAdv = replace(xAdv, selectRows(flOsc, xBest, xAdv));
          grad = replace(grad, selectRows(flOsc, gradBest, grad));
        }
        k = Math.max(k - decrement, kMin);
        counter3 = 0;
      }
    }
    owned.delete(xBest);
    owned.delete(xBestAdv);
    return { xBest, xBestAdv, acc, lossBest, foundAt };
  } finally {
    for (const t of owned) t.dispose();
  }
}

/** Settings shared by the APGD attacks. */
export interface ApgdCommonConfig {
  readonly eps: number;
  readonly iterations: number;
  readonly restarts: number;
  readonly rho: number;
  /** Gradient draws averaged per step (EOT), for randomized forwards; 1 for deterministic models. */
  readonly eot: number;
}

export function resolveApgdCommon(
  attack: string,
  config: Partial<ApgdCommonConfig> & { eps: number },
  defaults: Omit<ApgdCommonConfig, 'eps' | 'eot'>,
  extraKeys: readonly string[],
): ApgdCommonConfig {
  checkKnownKeys(attack, config, ['eps', 'iterations', 'restarts', 'rho', 'eot', ...extraKeys]);
  return {
    eps: checkEps(attack, config.eps),
    iterations: checkInt(attack, 'iterations', config.iterations ?? defaults.iterations, 1, 100_000),
    restarts: checkInt(attack, 'restarts', config.restarts ?? defaults.restarts, 1, 1000),
    rho: checkNumber(attack, 'rho', config.rho ?? defaults.rho, 0, 1),
    eot: checkInt(attack, 'eot', config.eot ?? 1, 1, 1000),
  };
}

export function requireClasses(attack: string, classifier: Classifier | undefined, min: number, why: string): void {
  if (classifier && classifier.numClasses < min) {
    throw configError(attack, `needs at least ${min} classes (${why}); the model has ${classifier.numClasses}`, { numClasses: classifier.numClasses });
  }
}

/** Clean predictions of a batch, as `perturb` computes them before attacking. */
export async function cleanLogits(classifier: Classifier, x: tf.Tensor4D): Promise<Float32Array> {
  const z = logits(classifier, x, false);
  try {
    return (await z.data()) as Float32Array;
  } finally {
    z.dispose();
  }
}

/**
 * perturb's restart loop: each round attacks only the samples still robust, and a fooled sample keeps
 * the misclassified iterate; unfooled samples keep the clean image (as AutoAttack returns them).
 * `round` builds the objective for the active rows and runs one attack_single_run.
 */
export async function apgdRestartLoop(
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  robust: Uint8Array,
  rounds: number,
  round: (r: number, active: number[], xs: tf.Tensor4D, ys: tf.Tensor1D) => Promise<ApgdRunResult>,
  iterationsPerRound: number,
  advData: Float32Array,
  steps?: Int32Array,
): Promise<void> {
  const n = x.shape[0];
  const px = x.size / Math.max(n, 1);
  for (let r = 0; r < rounds; r++) {
    const active: number[] = [];
    for (let i = 0; i < n; i++) if (robust[i]) active.push(i);
    if (active.length === 0) return;
    const xs = gatherRows(x, active);
    const ys = gatherRows(y, active);
    try {
      const res = await round(r, active, xs, ys);
      try {
        const advRows = (await res.xBestAdv.data()) as Float32Array;
        for (let j = 0; j < active.length; j++) {
          if (res.acc[j] === 0) {
            robust[active[j]] = 0;
            copyRow(advRows, j, advData, active[j], px);
            // Counted over the rounds before it: round r's iteration i is step r * iterations + i.
            if (steps) steps[active[j]] = r * iterationsPerRound + res.foundAt[j];
          }
        }
      } finally {
        res.xBest.dispose();
        res.xBestAdv.dispose();
      }
    } finally {
      xs.dispose();
      ys.dispose();
    }
  }
}
