import * as tf from '@tensorflow/tfjs-core';
import { batchTensors, type ImageDataset } from '../data/dataset.ts';
import { throwIfAborted } from '../errors.ts';
import { logits, type Classifier } from './classifier.ts';

/** Predicted class per example, in inference mode, batch by batch. */
export async function predictDataset(c: Classifier, ds: ImageDataset, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<Int32Array> {
  const batchSize = options.batchSize ?? 256;
  const out = new Int32Array(ds.count);
  for (let start = 0; start < ds.count; start += batchSize) {
    throwIfAborted(options.signal);
    const pred = tf.tidy(() => {
      const { x } = batchTensors(ds, start, batchSize);
      return tf.argMax(logits(c, x), 1);
    });
    out.set(await pred.data(), start);
    pred.dispose();
  }
  return out;
}

/** Clean top-1 accuracy in [0,1]. */
export async function datasetAccuracy(c: Classifier, ds: ImageDataset, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<number> {
  const pred = await predictDataset(c, ds, options);
  let correct = 0;
  for (let i = 0; i < ds.count; i++) if (pred[i] === ds.labels[i]) correct++;
  return ds.count === 0 ? 0 : correct / ds.count;
}
