import * as tf from '@tensorflow/tfjs-core';
import './second-order.ts';

/**
 * Losses written so that they stay correct under double backprop (IGAM differentiates the input
 * gradient w.r.t. the weights). tfjs' `losses.softmaxCrossEntropy` and `logSoftmax` are customGrad
 * ops: their forward internals are not on the tape, so a second derivative silently loses the path
 * through the softmax (measured: the logits bias got no gradient at all). These compose plain ops.
 */

/**
 * Row-wise max as a constant for the tape. The log-sum-exp value does not depend on the shift, and
 * computing it inside a customGrad keeps max's mask-based gradient out of the graph entirely.
 */
const detachedRowMax = tf.customGrad(((z: tf.Tensor) => ({
  value: tf.max(z, 1, true),
  gradFunc: () => tf.zerosLike(z),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (z: tf.Tensor) => tf.Tensor;

/**
 * log(sum(exp(z))) along the class axis, numerically stable. The shift is detached: the value does
 * not depend on it, and max has no second-order gradient in tfjs.
 */
export function logSumExp(z: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const shift = detachedRowMax(z);
    return tf.add(tf.log(tf.sum(tf.exp(tf.sub(z, shift)), 1)), tf.reshape(shift, [-1])) as tf.Tensor1D;
  });
}

/** log softmax along the class axis, second-order safe. */
export function logSoftmax(z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sub(z, tf.expandDims(logSumExp(z), 1)) as tf.Tensor2D);
}

/** Per-example cross-entropy from logits and integer labels. */
export function crossEntropyPerExample(z: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(logSumExp(z), tf.sum(tf.mul(tf.oneHot(y, z.shape[1]), z), 1)) as tf.Tensor1D);
}

/** Mean cross-entropy from logits and integer labels. */
export function crossEntropy(z: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerExample(z, y)) as tf.Scalar);
}
