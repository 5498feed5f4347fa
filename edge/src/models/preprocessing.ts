import * as tf from '@tensorflow/tfjs-core';
import { ErrorCodes, ModelFormatError } from '../errors.ts';

/**
 * How a model expects its input pixels. Temper always hands attacks and training images in [0,1]
 * (so eps is in [0,1] units for every model) and applies this mapping inside the differentiable
 * forward pass, so gradients w.r.t. the [0,1] image are exact whatever the model was trained on.
 */
export type Preprocessing =
  | { readonly kind: 'unit' } // [0,1], the default
  | { readonly kind: 'byte' } // [0,255], as many Keras MNIST/CIFAR models expect
  | { readonly kind: 'meanStd'; readonly mean: readonly number[]; readonly std: readonly number[] }; // (x - mean) / std per channel, x in [0,1]

export const UNIT_PREPROCESSING: Preprocessing = Object.freeze({ kind: 'unit' });

export function validatePreprocessing(p: unknown, channels?: number): Preprocessing {
  const bad = (why: string) =>
    new ModelFormatError(ErrorCodes.MODEL_INVALID_PREPROCESSING, `Invalid input preprocessing: ${why}`, { preprocessing: p });
  if (p == null) return UNIT_PREPROCESSING;
  if (typeof p !== 'object') throw bad('expected an object like {"kind":"unit"|"byte"|"meanStd"}');
  const kind = (p as { kind?: unknown }).kind;
  if (kind === 'unit' || kind === 'byte') return Object.freeze({ kind });
  if (kind !== 'meanStd') throw bad(`unknown kind ${JSON.stringify(kind)} (expected "unit", "byte" or "meanStd")`);
  const { mean, std } = p as { mean?: unknown; std?: unknown };
  const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!isNums(mean) || !isNums(std)) throw bad('meanStd needs non-empty numeric "mean" and "std" arrays');
  if (mean.length !== std.length) throw bad(`mean has ${mean.length} entries but std has ${std.length}`);
  if (std.some((s) => s <= 0)) throw bad('every std entry must be > 0');
  if (channels !== undefined && mean.length !== 1 && mean.length !== channels) {
    throw bad(`mean/std have ${mean.length} entries but the model has ${channels} input channels`);
  }
  return Object.freeze({ kind, mean: [...mean], std: [...std] });
}

/** Maps [0,1] NHWC images to what the model expects. Differentiable; call inside the forward pass. */
export function applyPreprocessing(x: tf.Tensor, p: Preprocessing): tf.Tensor {
  switch (p.kind) {
    case 'unit':
      return x;
    case 'byte':
      return tf.mul(x, 255);
    case 'meanStd':
      return tf.tidy(() => tf.div(tf.sub(x, tf.tensor1d(p.mean as number[])), tf.tensor1d(p.std as number[])));
  }
}

export function describePreprocessing(p: Preprocessing): string {
  switch (p.kind) {
    case 'unit':
      return 'inputs in [0,1]';
    case 'byte':
      return 'inputs in [0,255]';
    case 'meanStd':
      return `inputs (x - [${p.mean.join(', ')}]) / [${p.std.join(', ')}]`;
  }
}
