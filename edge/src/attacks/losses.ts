import * as tf from '@tensorflow/tfjs-core';
import { logSumExp } from '../models/losses.ts';

/**
 * Per-sample attack losses on logits z [B, C], each to be maximized, computed as AutoAttack computes
 * them (autopgd_base.py). Sorted logits are picked out of z with one-hot masks of arg-max indices:
 * the values are exact and differentiable in z.
 */

/**
 * One-hot rows as float32. Cast from the int32 default: the wasm backend's OneHot ignores the dtype
 * attribute and writes int32 bit patterns into a float32 tensor (1 reads as 1.4e-45).
 */
export function oneHotFloat(indices: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(tf.cast(indices, 'int32') as tf.Tensor1D, depth), 'float32') as tf.Tensor2D;
}

/**
 * t = log sum_{k != y} exp(z_k - z_y), the log-odds against the label: CE = softplus(t). Computed
 * as a log-sum-exp (max-shifted), it is exact for any logit scale; 1e30 masks the label's own entry.
 */
export function labelLogOdds(z: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const oneHot = oneHotFloat(y, z.shape[1]);
    const zy = tf.sum(tf.mul(oneHot, z), 1, true);
    return logSumExp(tf.sub(tf.sub(z, zy), tf.mul(oneHot, 1e30)) as tf.Tensor2D);
  });
}

/**
 * Cross-entropy, -log softmax(z)_y = softplus(t) (nn.CrossEntropyLoss(reduction='none')).
 * Not z_max + log sum exp(z - z_max) - z_y: on a confident model (margin m) that rounds
 * 1 + e^-m to 1 in float32 and the loss to exactly 0 for every m > ~17, so APGD's "did the loss
 * improve" tests all fail and it keeps restarting from its random start. softplus(t) keeps
 * e^-m (down to ~1e-38), and its gradient carries the same small numbers.
 */
export function crossEntropyLoss(z: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.softplus(labelLogOdds(z, y)) as tf.Tensor1D);
}

/** Below this t, log(softplus(t)) = t to float32 precision (the next term is -e^t / 2). */
const LOG_SOFTPLUS_LINEAR_BELOW = -15;

/**
 * log(cross-entropy), finite for every margin: the loss APGD-CE, PGD-CE and FGSM ascend.
 * These attacks use the loss only through sign(grad) (L-infinity steps) and through comparisons
 * of loss values, and both are unchanged by the strictly increasing log: in exact arithmetic the
 * iterates are those of CE. In float32 they are not: at margins above ~87, e^-m underflows, CE
 * and its gradient become exactly 0, and the attack stalls (AutoAttack's APGD-CE does, in float32).
 * log CE = log softplus(t) ~ t there, whose gradient is a softmax over the wrong classes, O(1).
 */
export function logCrossEntropyLoss(z: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const t = labelLogOdds(z, y);
    // Blend with a 0/1 mask rather than tf.where: the unused branch is evaluated at a clamped t,
    // so neither branch's gradient is inf or NaN (0 * inf would poison the blend). Step (not Less)
    // makes the mask: it has a (zero) gradient, Less has none and would break the backward pass.
    const linear = tf.step(tf.sub(LOG_SOFTPLUS_LINEAR_BELOW, t));
    const safe = tf.log(tf.softplus(tf.maximum(t, LOG_SOFTPLUS_LINEAR_BELOW)));
    return tf.add(tf.mul(linear, t), tf.mul(tf.sub(1, linear), safe)) as tf.Tensor1D;
  });
}

/**
 * The k largest logits per row, descending, as differentiable [B] tensors, with the arg-max index.
 * Built from argMax and one-hot masks (ops with registered gradients) rather than TopK, which has no
 * gradient in tfjs and would break the backward pass even though only its indices are used.
 */
export function sortedTop(z: tf.Tensor2D, k: number): { values: tf.Tensor1D[]; top1: tf.Tensor1D } {
  const C = z.shape[1];
  const values: tf.Tensor1D[] = [];
  let masked: tf.Tensor2D = z;
  let top1: tf.Tensor1D | undefined;
  for (let j = 0; j < k; j++) {
    const idx = tf.argMax(masked, 1) as tf.Tensor1D;
    top1 ??= idx;
    const m = oneHotFloat(idx, C);
    values.push(tf.sum(tf.mul(z, m), 1) as tf.Tensor1D);
    if (j + 1 < k) masked = tf.sub(masked, tf.mul(m, 1e30)) as tf.Tensor2D;
  }
  return { values, top1: top1! };
}

function pick(z: tf.Tensor2D, cls: tf.Tensor1D): tf.Tensor1D {
  return tf.sum(tf.mul(z, oneHotFloat(cls, z.shape[1])), 1) as tf.Tensor1D;
}

/** 1 where a == b (class ids), as float arithmetic: Equal has no gradient and must stay off the tape. */
function sameClass(a: tf.Tensor1D, b: tf.Tensor1D, C: number): tf.Tensor1D {
  const oa = oneHotFloat(a, C);
  const ob = oneHotFloat(b, C);
  return tf.sum(tf.mul(oa, ob), 1) as tf.Tensor1D;
}

/** The largest logit other than class y: max_{k != y} z_k. */
function maxOther(z: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  const { values, top1 } = sortedTop(z, 2);
  const ind = sameClass(top1, y, z.shape[1]);
  return tf.add(tf.mul(values[1], ind), tf.mul(values[0], tf.sub(1, ind))) as tf.Tensor1D;
}

/**
 * DLR: -(z_y - max_{i != y} z_i) / (z_p1 - z_p3 + 1e-12), p = logits sorted descending. Needs C >= 3.
 */
export function dlrLoss(z: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const { values, top1 } = sortedTop(z, 3);
    const zy = pick(z, y);
    // x_sorted[:, -2] * ind + x_sorted[:, -1] * (1 - ind), ind = (argmax == y)
    const ind = sameClass(top1, y, z.shape[1]);
    const other = tf.add(tf.mul(values[1], ind), tf.mul(values[0], tf.sub(1, ind)));
    return tf.neg(tf.div(tf.sub(zy, other), tf.add(tf.sub(values[0], values[2]), 1e-12))) as tf.Tensor1D;
  });
}

/** Targeted DLR: -(z_y - z_t) / (z_p1 - (z_p3 + z_p4) / 2 + 1e-12). Needs C >= 4. */
export function dlrTargetedLoss(z: tf.Tensor2D, y: tf.Tensor1D, target: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const { values } = sortedTop(z, 4);
    const num = tf.sub(pick(z, y), pick(z, target));
    const den = tf.add(tf.sub(values[0], tf.mul(0.5, tf.add(values[2], values[3]))), 1e-12);
    return tf.neg(tf.div(num, den)) as tf.Tensor1D;
  });
}

/** CW-inf margin, maximized: max_{k != y} z_k - z_y (> 0 means misclassified). */
export function cwLoss(z: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(maxOther(z, y), pick(z, y)) as tf.Tensor1D);
}

/** Targeted CW margin, maximized: z_t - max_{k != t} z_k (> 0 means classified as t). */
export function cwTargetedLoss(z: tf.Tensor2D, target: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(pick(z, target), maxOther(z, target)) as tf.Tensor1D);
}

/** Targeted CE, maximized: log softmax(z)_t. */
export function crossEntropyTargetedLoss(z: tf.Tensor2D, target: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(crossEntropyLoss(z, target)) as tf.Tensor1D);
}

/**
 * Square's margin on CPU, from logits already read back: z_y - max_{k != y} z_k per row (<= 0 means
 * misclassified). Square never differentiates, so it reads logits once per query and decides here.
 */
export function marginsFromLogits(z: Float32Array | Int32Array | Uint8Array, y: ArrayLike<number>, numClasses: number, out?: Float32Array): Float32Array {
  const n = y.length;
  const m = out ?? new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * numClasses;
    const yi = y[i];
    let best = -Infinity;
    for (let k = 0; k < numClasses; k++) if (k !== yi && z[row + k] > best) best = z[row + k];
    m[i] = z[row + yi] - best;
  }
  return m;
}
