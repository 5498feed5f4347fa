import * as tf from '@tensorflow/tfjs-core';

/**
 * An in-memory labelled image set. Images stay in a typed array (NHWC, float32 in [0,1]) rather
 * than one big tensor so that batches are cut on demand and device memory holds only what a step needs.
 */
export interface ImageDataset {
  readonly name: string;
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
}

export interface DatasetSplit {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
  /** The seed the split was drawn with; reports record it. */
  readonly seed: number;
}

export function imageSize(ds: Pick<ImageDataset, 'height' | 'width' | 'channels'>): number {
  return ds.height * ds.width * ds.channels;
}

/** A new dataset holding the given rows, in the given order. */
export function subsetDataset(ds: ImageDataset, indices: ArrayLike<number>, name = ds.name): ImageDataset {
  const size = imageSize(ds);
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    images.set(ds.images.subarray(src * size, (src + 1) * size), i * size);
    labels[i] = ds.labels[src];
  }
  return { ...ds, name, images, labels, count: indices.length };
}

/** Rows [start, start+size) (or the given indices) as tensors: x NHWC float32, y int32 class ids. */
export function batchTensors(
  ds: ImageDataset,
  start: number,
  size: number,
  order?: ArrayLike<number>,
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const end = Math.min(start + size, order ? order.length : ds.count);
  const n = end - start;
  const px = imageSize(ds);
  let images: Float32Array;
  let labels: Int32Array;
  if (order) {
    images = new Float32Array(n * px);
    labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const src = order[start + i];
      images.set(ds.images.subarray(src * px, (src + 1) * px), i * px);
      labels[i] = ds.labels[src];
    }
  } else {
    images = ds.images.slice(start * px, end * px);
    labels = ds.labels.slice(start, end);
  }
  return {
    x: tf.tensor4d(images, [n, ds.height, ds.width, ds.channels], 'float32'),
    y: tf.tensor1d(labels, 'int32'),
  };
}
