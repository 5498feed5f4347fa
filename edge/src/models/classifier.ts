import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { applyPreprocessing, type Preprocessing } from './preprocessing.ts';

/**
 * A model as Temper works with it: a LayersModel that outputs logits, the preprocessing that maps
 * [0,1] images to its input, and the facts attacks and hardening methods need.
 */
export interface Classifier {
  /** Outputs logits. If the uploaded model ended in softmax, this is the derived logits model. */
  readonly model: LayersModel;
  readonly preprocessing: Preprocessing;
  /** [height, width, channels] of one input image. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Name of the layer whose output is the penultimate ("feature") vector z. */
  readonly featureLayer: string;
  /** True when the original model's outputs were probabilities and Temper derived `model` from it. */
  readonly outputsWereSoftmax: boolean;
}

/**
 * Logits for [0,1] NHWC images. `training` selects the batch-norm/dropout mode; attacks and
 * evaluation always use inference mode.
 */
export function logits(c: Classifier, x: tf.Tensor, training = false): tf.Tensor2D {
  return tf.tidy(() => c.model.apply(applyPreprocessing(x, c.preprocessing), { training }) as tf.Tensor2D);
}

/** Arg-max class ids for [0,1] NHWC images, in inference mode. */
export function predictClasses(c: Classifier, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.argMax(logits(c, x), 1) as tf.Tensor1D);
}
