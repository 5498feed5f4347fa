import * as tf from '@tensorflow/tfjs-core';
import { logits, type Classifier } from '../models/classifier.ts';
import type { Rng } from '../util/random.ts';

/**
 * Tensor plumbing shared by the attacks: the threat set, input gradients, row gathers.
 *
 * Input gradients need tfjs' gradient registry, which tfjs-core alone leaves empty; tfjs-layers fills it
 * on import, and every Classifier wraps a LayersModel, so it is filled whenever an attack can run.
 * (Importing '@tensorflow/tfjs-core/dist/register_all_gradients' here would break plain Node ESM: that
 * file uses extensionless imports.)
 */

/** Per-sample loss (to maximize) and the logits it came from, for a batch of [0,1] images. */
export type Objective = (x: tf.Tensor4D) => { loss: tf.Tensor1D; logits: tf.Tensor2D };

export interface LossAndGrad {
  readonly loss: tf.Tensor1D;
  readonly logits: tf.Tensor2D;
  readonly grad: tf.Tensor4D;
}

/**
 * Loss, logits and d(sum loss)/dx in one forward and one backward. Samples do not interact in
 * inference mode, so the gradient of the sum is each sample's own gradient.
 */
export function lossAndGrad(objective: Objective, x: tf.Tensor4D): LossAndGrad {
  let loss: tf.Tensor1D | undefined;
  let z: tf.Tensor2D | undefined;
  const grad = tf.grad((xi: tf.Tensor) => {
    const out = objective(xi as tf.Tensor4D);
    loss = tf.keep(out.loss);
    z = tf.keep(out.logits);
    return tf.sum(out.loss);
  })(x) as tf.Tensor4D;
  // tf.keep lifts a tensor out of every scope; cloning (shared data) puts it back in the caller's
  // scope, so that all three outputs are tracked like ordinary op results by an enclosing tidy.
  const lossOut = tf.clone(loss!);
  const zOut = tf.clone(z!);
  loss!.dispose();
  z!.dispose();
  return { loss: lossOut, logits: zOut, grad };
}

/** The logits objective of one classifier with a loss on (logits, labels). */
export function classifierObjective(c: Classifier, lossFn: (z: tf.Tensor2D) => tf.Tensor1D): Objective {
  return (x) => {
    const z = logits(c, x, false);
    return { loss: lossFn(z), logits: z };
  };
}

/** The eps-ball intersected with [0,1], as per-pixel bounds: lo = max(x - eps, 0), hi = min(x + eps, 1). */
export function ballBounds(x: tf.Tensor4D, eps: number): { lo: tf.Tensor4D; hi: tf.Tensor4D } {
  return tf.tidy(() => ({
    lo: tf.maximum(tf.sub(x, eps), 0) as tf.Tensor4D,
    hi: tf.minimum(tf.add(x, eps), 1) as tf.Tensor4D,
  }));
}

/**
 * Projection onto the ball ∩ box. Equal to AutoAttack's clamp(min(max(v, x - eps), x + eps), 0, 1)
 * because x itself lies in [0,1].
 */
export function project(v: tf.Tensor4D, lo: tf.Tensor4D, hi: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.minimum(tf.maximum(v, lo), hi) as tf.Tensor4D);
}

export function gatherRows<T extends tf.Tensor>(t: T, rows: ArrayLike<number>): T {
  return tf.tidy(() => tf.gather(t, tf.tensor1d(Int32Array.from(rows), 'int32'), 0) as T);
}

/**
 * Row-wise select: a's rows where the flag is set, b's elsewhere. Computed as a * m + b * (1 - m) with
 * m of shape [B, 1, ..., 1]: exact for finite values (x * 1 = x, x * 0 + y = y), and an order of
 * magnitude faster on wasm than tf.where, whose broadcast of the condition goes through a slow tile.
 */
export function selectRows<T extends tf.Tensor>(flags: ArrayLike<number | boolean>, a: T, b: T): T {
  return tf.tidy(() => {
    const m = new Float32Array(flags.length);
    for (let i = 0; i < flags.length; i++) m[i] = flags[i] ? 1 : 0;
    const mt = tf.tensor(m, [flags.length, ...new Array<number>(a.rank - 1).fill(1)]);
    return tf.add(tf.mul(a, mt), tf.mul(b, tf.sub(1, mt))) as T;
  });
}

/** Indices i with flags[i] set. */
export function whereSet(flags: ArrayLike<number | boolean>): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

/** A 31-bit seed for a tfjs random op, drawn from the batch's stream. */
export function tfSeed(rng: Rng): number {
  return rng.seedForTf();
}

/** Arg-max per row from logits read back to the CPU. */
export function argMaxRows(z: ArrayLike<number>, rows: number, numClasses: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let bestV = z[i * numClasses];
    for (let k = 1; k < numClasses; k++) {
      const v = z[i * numClasses + k];
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Copies row `src` of a [N, ...] buffer into row `dst` of another with the same row size. */
export function copyRow(from: Float32Array, src: number, to: Float32Array, dst: number, rowSize: number): void {
  to.set(from.subarray(src * rowSize, (src + 1) * rowSize), dst * rowSize);
}
