import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, logSoftmax } from '@temper/edge';

/**
 * The loss building blocks the hardening methods share, each with the reduction its authors' code
 * uses. All go through edge's second-order-safe logSoftmax (never tf.logSoftmax or
 * tf.losses.softmaxCrossEntropy), so any of them may sit inside a double backprop.
 *
 * KL(P || Q) = sum_c P_c (log P_c - log Q_c), P and Q given as logits.
 */

export { crossEntropy };

/** Per-example KL(softmax(p) || softmax(q)), [B]. */
export function klPerExample(pLogits: tf.Tensor2D, qLogits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = logSoftmax(pLogits);
    const logQ = logSoftmax(qLogits);
    return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1) as tf.Tensor1D;
  });
}

/** sum over batch and classes: PyTorch KLDivLoss(reduction='sum') / size_average=False (TRADES, RSLAD's attack). */
export function klSum(pLogits: tf.Tensor2D, qLogits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.sum(klPerExample(pLogits, qLogits)) as tf.Scalar);
}

/** Mean over B x C elements: PyTorch KLDivLoss() default reduction 'mean' (RSLAD's loss, ARD's loss): KL / C per example. */
export function klMean(pLogits: tf.Tensor2D, qLogits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.div(klSum(pLogits, qLogits), pLogits.shape[0] * pLogits.shape[1]) as tf.Scalar);
}

/** Mean over the batch of per-example KL: reduction 'batchmean', the mathematically proper KL (KD). */
export function klBatchMean(pLogits: tf.Tensor2D, qLogits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(klPerExample(pLogits, qLogits)) as tf.Scalar);
}

/** Row-wise cosine similarity a.b / max(|a| |b|, eps), [B] (torch.nn.CosineSimilarity(dim=1, eps=1e-6) as RRM uses it). */
export function cosineSimilarity(a: tf.Tensor2D, b: tf.Tensor2D, eps = 1e-6): tf.Tensor1D {
  return tf.tidy(() => {
    const dot = tf.sum(tf.mul(a, b), 1);
    const norms = tf.mul(tf.sqrt(tf.sum(tf.square(a), 1)), tf.sqrt(tf.sum(tf.square(b), 1)));
    return tf.div(dot, tf.maximum(norms, eps)) as tf.Tensor1D;
  });
}

/** mean over B x C of (a - b)^2: tf.losses.mean_squared_error as the logit-pairing code uses it. */
export function meanSquaredDifference(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar);
}

/** softmax(z) from the second-order-safe log-softmax. */
export function softmaxProbabilities(z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.exp(logSoftmax(z)) as tf.Tensor2D);
}

/** One-hot rows as float32 (wasm's OneHot ignores a float dtype: build int32 and cast). */
export function oneHotFloat(y: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(y, 'int32') as tf.Tensor1D, depth), 'float32') as tf.Tensor2D);
}
