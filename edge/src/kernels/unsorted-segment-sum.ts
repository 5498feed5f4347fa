import * as tf from '@tensorflow/tfjs-core';
import { unsupported, zerosOutput, type BackendWasm } from './wasm-util.ts';

const KERNEL = 'UnsortedSegmentSum';

/**
 * out[s, ...] = sum of x[i, ...] over every index i (over the leading segmentIds.rank axes of x) with
 * segmentIds[i] == s. Ids outside [0, numSegments) are dropped, as in TensorFlow and the cpu kernel.
 *
 * This is gather's gradient. One pass over x on the wasm heap, adding rows into the output: the cpu
 * kernel instead builds one masked copy of x per segment (numSegments passes).
 */
export function unsortedSegmentSum(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { inputs, backend } = args;
  const { numSegments } = (args.attrs ?? {}) as unknown as tf.UnsortedSegmentSumAttrs;
  const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  if (x.dtype !== 'float32' && x.dtype !== 'int32') unsupported(KERNEL, `x of dtype '${x.dtype}'`, { dtype: x.dtype });
  if (segmentIds.dtype !== 'int32') unsupported(KERNEL, `segmentIds of dtype '${segmentIds.dtype}'`, { dtype: segmentIds.dtype });
  const idsRank = segmentIds.shape.length;
  if (!Number.isInteger(numSegments) || numSegments < 0) unsupported(KERNEL, `numSegments ${numSegments}`);
  if (!tf.util.arraysEqual(x.shape.slice(0, idsRank), segmentIds.shape)) {
    unsupported(KERNEL, `segmentIds of shape [${segmentIds.shape}] for x of shape [${x.shape}] (must be a prefix)`);
  }
  const inner = tf.util.sizeFromShape(x.shape.slice(idsRank));
  const out = zerosOutput(backend, [numSegments, ...x.shape.slice(idsRank)], x.dtype);
  // Views after the allocation: a heap growth would detach earlier ones.
  const outVals = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xVals = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  const n = ids.length;
  if (inner === 1) {
    for (let i = 0; i < n; i++) {
      const s = ids[i];
      if (s >= 0 && s < numSegments) outVals[s] += xVals[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      const src = i * inner;
      const dst = s * inner;
      for (let k = 0; k < inner; k++) outVals[dst + k] += xVals[src + k];
    }
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
