import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError, ErrorCodes } from '../errors.ts';

/**
 * Helpers shared by Temper's wasm training kernels. The kernels are built from the wasm backend's own
 * kernel functions (XNNPACK convolutions, transposes, reductions) so that they run at native speed,
 * plus typed-array loops over the wasm heap where no native building block fits.
 *
 * Everything here works on TensorInfos, not Tensors: a kernel must not create engine-tracked tensors,
 * and each intermediate it makes must be released with `backend.disposeData`.
 */

export type { BackendWasm };

/** Runs another wasm kernel from inside a kernel. */
export function runWasmKernel(
  name: string,
  backend: BackendWasm,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) {
    throw new BackendError(
      ErrorCodes.BACKEND_UNAVAILABLE,
      `The wasm backend has no '${name}' kernel; is @tensorflow/tfjs-backend-wasm loaded?`,
      { kernel: name },
    );
  }
  return config.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** Releases kernel intermediates (reshapes share a dataId and hold a reference each, so this is exact). */
export function disposeInfos(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A view with a new shape on the same data; counts as a reference that must be disposed. */
export function reshapeInfo(backend: BackendWasm, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/** A fresh, zero-filled float32 output on the wasm heap (makeOutput's malloc does not clear memory). */
export function zerosOutput(backend: BackendWasm, shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  backend.typedArrayFromHeap(out).fill(0);
  return out;
}

/**
 * Float32 view of a tensor on the wasm heap, without copying. Views are invalidated when the heap
 * grows, so take them only after every allocation of the kernel is done.
 */
export function heapF32(backend: BackendWasm, x: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(x) as Float32Array;
}

/** Throws a coded error for inputs the composed kernels cannot take. */
export function unsupported(kernel: string, what: string, details: Record<string, unknown> = {}): never {
  throw new BackendError(
    ErrorCodes.BACKEND_UNAVAILABLE,
    `Temper's wasm ${kernel} kernel does not support ${what}.`,
    { kernel, ...details },
  );
}

/** Both inputs of a training kernel must be float32 (the wasm convolutions are float32-only). */
export function assertFloat32(kernel: string, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) {
    if (info.dtype !== 'float32') unsupported(kernel, `dtype '${info.dtype}' (float32 only)`, { dtype: info.dtype });
  }
}

/** 'NHWC' / 'NCHW' attr as computeConv2DInfo wants it, rejecting anything else. */
export function convDataFormat(kernel: string, dataFormat: unknown): 'channelsLast' | 'channelsFirst' {
  if (dataFormat === undefined || dataFormat === 'NHWC') return 'channelsLast';
  if (dataFormat === 'NCHW') return 'channelsFirst';
  return unsupported(kernel, `dataFormat '${String(dataFormat)}'`, { dataFormat });
}
