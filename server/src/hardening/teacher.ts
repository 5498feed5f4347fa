import * as tf from '@tensorflow/tfjs-core';
import { batchTensors, type ImageDataset, throwIfAborted, logits, type Classifier } from '@temper/edge';
import { featuresAndLogits } from '@temper/edge/io';
import type { StepBatch } from '../training/stepper.ts';

/**
 * Teacher outputs on clean training images. The teacher is frozen and in inference mode, so its
 * logits and features are fixed functions of x: without augmentation (Temper's loop has none) they
 * are computed once per training row and then looked up by row, which is what makes RRM cost about
 * as much as natural training. `live` computes them per batch instead (for augmentation, or to check
 * that the cache changes nothing).
 */

/** Per-row vectors in one Float32Array, gathered on the CPU (tf.gather is slow on wasm). */
export class RowCache {
  constructor(
    readonly width: number,
    readonly data: Float32Array,
  ) {}

  rows(indices: ArrayLike<number>, shape?: number[]): tf.Tensor {
    const out = new Float32Array(indices.length * this.width);
    for (let i = 0; i < indices.length; i++) out.set(this.data.subarray(indices[i] * this.width, (indices[i] + 1) * this.width), i * this.width);
    return tf.tensor(out, shape ? [indices.length, ...shape] : [indices.length, this.width]);
  }
}

/** Runs `fn` over the training set in inference batches and stores its [b, width] output per row. */
export async function cacheRows(
  ds: ImageDataset,
  fn: (x: tf.Tensor4D, y: tf.Tensor1D) => tf.Tensor,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<RowCache> {
  const batchSize = options.batchSize ?? 256;
  let cache: RowCache | undefined;
  for (let start = 0; start < ds.count; start += batchSize) {
    throwIfAborted(options.signal);
    const out = tf.tidy(() => {
      const { x, y } = batchTensors(ds, start, batchSize);
      return fn(x, y);
    });
    const n = out.shape[0];
    const width = out.size / n;
    cache ??= new RowCache(width, new Float32Array(ds.count * width));
    cache.data.set(await out.data(), start * width);
    out.dispose();
    await new Promise((r) => setImmediate(r));
  }
  return cache ?? new RowCache(0, new Float32Array(0));
}

export interface TeacherSource {
  /** Teacher logits on the batch's clean images, [B, C]. */
  logits(batch: StepBatch): tf.Tensor2D;
  /** Teacher features (penultimate vector) on the batch's clean images, [B, d]. */
  features(batch: StepBatch): tf.Tensor2D;
  readonly cached: boolean;
}

/** Caches what is asked for (`logits`, `features`) once, or returns a live source. */
export async function teacherSource(
  teacher: Classifier,
  train: ImageDataset,
  options: { cache: boolean; logits?: boolean; features?: boolean; signal?: AbortSignal },
): Promise<TeacherSource> {
  if (!options.cache) {
    return {
      cached: false,
      logits: (b) => logits(teacher, b.x, false),
      features: (b) => tf.tidy(() => featuresAndLogits(teacher, b.x, false).features),
    };
  }
  const logitCache = options.logits ? await cacheRows(train, (x) => logits(teacher, x, false), { signal: options.signal }) : undefined;
  const featureCache = options.features ? await cacheRows(train, (x) => featuresAndLogits(teacher, x, false).features, { signal: options.signal }) : undefined;
  return {
    cached: true,
    logits: (b) => {
      if (!logitCache) throw new Error('Internal: teacher logits were not cached');
      return logitCache.rows(b.indices) as tf.Tensor2D;
    },
    features: (b) => {
      if (!featureCache) throw new Error('Internal: teacher features were not cached');
      return featureCache.rows(b.indices) as tf.Tensor2D;
    },
  };
}
