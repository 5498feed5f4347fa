import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; the tests take some.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { Rng } from '../util/random.ts';
import { registerWasmTrainingKernels } from './index.ts';
import type { BackendWasm } from './wasm-util.ts';

/**
 * Shared by the kernel tests (not by the kernels): backend setup, seeded data, cross-backend kernel
 * runs and the error measure the tests bound.
 */

export type BackendName = 'cpu' | 'wasm';

/** Registers the kernels and initialises both backends; leaves wasm selected. */
export async function initBackends(): Promise<void> {
  registerWasmTrainingKernels();
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
}

export async function useBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`);
}

export function wasmBackend(): BackendWasm {
  return tf.findBackend('wasm') as BackendWasm;
}

/** Size of the wasm heap: it only grows, so a leak of native memory (e.g. XNNPACK operators) shows here. */
export function wasmHeapBytes(): number {
  return (wasmBackend().wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.byteLength;
}

export function normals(rng: Rng, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal();
  return out;
}

/** Integer in [lo, hi]. */
export function intIn(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)];
}

/** max|a - b| / max(1, max|b|): absolute error for small values, relative for large. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= diff)) diff = d; // NaN-propagating max
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

export interface HostTensor {
  readonly shape: number[];
  readonly values: Float32Array | Int32Array;
}

/** Runs one kernel on a backend from host data and returns host data; leaves nothing allocated. */
export async function runKernelOn(
  backend: BackendName,
  kernel: string,
  inputs: Record<string, HostTensor>,
  attrs: tf.NamedAttrMap,
): Promise<HostTensor> {
  await useBackend(backend);
  const tensors: tf.NamedTensorMap = {};
  for (const [name, t] of Object.entries(inputs)) {
    tensors[name] = tf.tensor(t.values, t.shape, t.values instanceof Int32Array ? 'int32' : 'float32');
  }
  try {
    const out = tf.engine().runKernel(kernel, tensors, attrs) as tf.Tensor;
    const result = { shape: out.shape.slice(), values: out.dataSync().slice() as Float32Array | Int32Array };
    out.dispose();
    return result;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** The kernel on wasm and on cpu, with the error of wasm against cpu. */
export async function compareWithCpu(
  kernel: string,
  inputs: Record<string, HostTensor>,
  attrs: tf.NamedAttrMap,
): Promise<{ wasm: HostTensor; cpu: HostTensor; error: number }> {
  const wasm = await runKernelOn('wasm', kernel, inputs, attrs);
  const cpu = await runKernelOn('cpu', kernel, inputs, attrs);
  const error = tf.util.arraysEqual(wasm.shape, cpu.shape) ? relError(wasm.values, cpu.values) : Infinity;
  noteError(kernel, error);
  return { wasm, cpu, error };
}

const worstErrors = new Map<string, number>();

/** Records an observed error under a label, for `reportErrors`. */
export function noteError(label: string, error: number): void {
  worstErrors.set(label, Math.max(worstErrors.get(label) ?? 0, error));
}

/** Prints the worst error seen per label (call from afterAll): the numbers the kernel docs quote. */
export function reportErrors(): void {
  for (const [label, error] of worstErrors) console.log(`worst error vs cpu, ${label}: ${error.toExponential(2)}`);
}

/**
 * Calls a kernel `calls` times on wasm (disposing each result) and reports how engine tensors, bytes,
 * wasm data ids and the wasm heap changed. Warms up first so that one-time heap growth is not counted.
 */
export async function leakAfterCalls(
  kernel: string,
  inputs: Record<string, HostTensor>,
  attrs: tf.NamedAttrMap,
  calls = 100,
): Promise<{ tensors: number; bytes: number; dataIds: number; heapBytes: number }> {
  await useBackend('wasm');
  const tensors: tf.NamedTensorMap = {};
  for (const [name, t] of Object.entries(inputs)) {
    tensors[name] = tf.tensor(t.values, t.shape, t.values instanceof Int32Array ? 'int32' : 'float32');
  }
  const once = () => tf.dispose(tf.engine().runKernel(kernel, tensors, attrs) as tf.Tensor);
  for (let i = 0; i < 3; i++) once();
  const before = tf.memory();
  const idsBefore = wasmBackend().numDataIds();
  const heapBefore = wasmHeapBytes();
  for (let i = 0; i < calls; i++) once();
  const after = tf.memory();
  const result = {
    tensors: after.numTensors - before.numTensors,
    bytes: after.numBytes - before.numBytes,
    dataIds: wasmBackend().numDataIds() - idsBefore,
    heapBytes: wasmHeapBytes() - heapBefore,
  };
  tf.dispose(Object.values(tensors));
  return result;
}

/** Output size of a convolution along one axis for the tests' shape generators (floor rounding). */
export function convOutSize(size: number, filter: number, stride: number, dilation: number, pad: 'same' | 'valid'): number {
  const effective = (filter - 1) * dilation + 1;
  return pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - effective) / stride) + 1;
}

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** A depthwise convolution configuration (NHWC; depthwise kernels have no dataFormat). */
export interface DepthwiseCase {
  readonly id: number;
  readonly xShape: [number, number, number, number];
  /** [kh, kw, channels, multiplier] */
  readonly filterShape: [number, number, number, number];
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: Pad;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function depthwiseInfo(c: DepthwiseCase): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(c.xShape, c.filterShape, c.strides, c.dilations, c.pad, c.dimRoundingMode, true);
}

/**
 * Random depthwise configuration within what tfjs' depthwiseConv2d accepts: strides or dilations
 * (not both) above 1; 'same', 'valid', numeric (with a rounding mode) or explicit padding.
 */
export function randomDepthwiseCase(rng: Rng, id: number): DepthwiseCase {
  for (;;) {
    const b = intIn(rng, 1, 16), ch = intIn(rng, 1, 8), mult = intIn(rng, 1, 3);
    const kh = intIn(rng, 1, 5), kw = intIn(rng, 1, 5);
    const dilated = rng.next() < 0.3;
    const strides: [number, number] = dilated ? [1, 1] : [intIn(rng, 1, 3), intIn(rng, 1, 3)];
    const dilations: [number, number] = dilated ? [intIn(rng, 1, 3), intIn(rng, 1, 3)] : [1, 1];
    const ekh = (kh - 1) * dilations[0] + 1, ekw = (kw - 1) * dilations[1] + 1;
    const kind = pick(rng, ['same', 'same', 'valid', 'valid', 'number', 'explicit'] as const);
    const h = kind === 'same' ? intIn(rng, 1, 12) : intIn(rng, ekh, ekh + 8);
    const w = kind === 'same' ? intIn(rng, 1, 12) : intIn(rng, ekw, ekw + 8);
    let pad: Pad = kind as 'same' | 'valid';
    let dimRoundingMode: DepthwiseCase['dimRoundingMode'];
    if (kind === 'number') {
      pad = intIn(rng, 0, 2);
      dimRoundingMode = pick(rng, ['floor', 'round', 'ceil'] as const);
    } else if (kind === 'explicit') {
      pad = [[0, 0], [intIn(rng, 0, 2), intIn(rng, 0, 2)], [intIn(rng, 0, 2), intIn(rng, 0, 2)], [0, 0]];
    }
    const c: DepthwiseCase = { id, xShape: [b, h, w, ch], filterShape: [kh, kw, ch, mult], strides, dilations, pad, dimRoundingMode };
    const info = depthwiseInfo(c);
    if (info.outHeight >= 1 && info.outWidth >= 1) return c;
  }
}

export function describeDepthwise(c: DepthwiseCase): string {
  return `case ${c.id}: x [${c.xShape}] filter [${c.filterShape}] strides [${c.strides}] dilations [${c.dilations}] ` +
    `pad ${JSON.stringify(c.pad)}${c.dimRoundingMode ? ` ${c.dimRoundingMode}` : ''}`;
}

export function depthwiseAttrs(c: DepthwiseCase, extra: Record<string, unknown>): tf.NamedAttrMap {
  const attrs: Record<string, unknown> = { strides: c.strides, dilations: c.dilations, pad: c.pad, ...extra };
  if (c.dimRoundingMode !== undefined) attrs.dimRoundingMode = c.dimRoundingMode;
  return attrs as tf.NamedAttrMap;
}

/**
 * Straight-from-the-definition depthwise gradients (float64 sums), honouring dilations: the cpu
 * backend's backprop kernels ignore dilations, so dilated cases are checked against these instead.
 * Calls visit(x index, dy index, filter index) for every (input pixel, output pixel, tap) the forward
 * convolution multiplies together.
 */
function forEachDepthwiseProduct(info: tf.backend_util.Conv2DInfo, visit: (xi: number, dyi: number, fi: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const mult = outChannels / inChannels;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * info.strideHeight + kh * info.dilationHeight - info.padInfo.top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * info.strideWidth + kw * info.dilationWidth - info.padInfo.left;
            if (iw < 0 || iw >= inWidth) continue;
            for (let c = 0; c < inChannels; c++) {
              for (let m = 0; m < mult; m++) {
                visit(
                  ((b * inHeight + ih) * inWidth + iw) * inChannels + c,
                  ((b * outHeight + oh) * outWidth + ow) * outChannels + c * mult + m,
                  ((kh * filterWidth + kw) * inChannels + c) * mult + m,
                );
              }
            }
          }
        }
      }
    }
  }
}

export function referenceDepthwiseBackpropFilter(info: tf.backend_util.Conv2DInfo, x: Float32Array, dy: Float32Array): Float64Array {
  const dw = new Float64Array(tf.util.sizeFromShape(info.filterShape));
  forEachDepthwiseProduct(info, (xi, dyi, fi) => { dw[fi] += x[xi] * dy[dyi]; });
  return dw;
}

export function referenceDepthwiseBackpropInput(info: tf.backend_util.Conv2DInfo, dy: Float32Array, filter: Float32Array): Float64Array {
  const dx = new Float64Array(tf.util.sizeFromShape(info.inShape));
  forEachDepthwiseProduct(info, (xi, dyi, fi) => { dx[xi] += dy[dyi] * filter[fi]; });
  return dx;
}

/** A wasm kernel function as exported by a kernel file (for forcing one of its strategies). */
export type WasmKernelFunction = (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap }) => tf.TensorInfo;

/** Calls a kernel function directly on the wasm backend, from host data to host data. */
export async function runFunctionOnWasm(
  fn: WasmKernelFunction,
  inputs: Record<string, HostTensor>,
  attrs: tf.NamedAttrMap,
): Promise<HostTensor> {
  await useBackend('wasm');
  const tensors: tf.NamedTensorMap = {};
  for (const [name, t] of Object.entries(inputs)) {
    tensors[name] = tf.tensor(t.values, t.shape, t.values instanceof Int32Array ? 'int32' : 'float32');
  }
  try {
    const out = tf.engine().makeTensorFromTensorInfo(fn({ inputs: tensors, backend: wasmBackend(), attrs }));
    const result = { shape: out.shape.slice(), values: out.dataSync().slice() as Float32Array | Int32Array };
    out.dispose();
    return result;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
