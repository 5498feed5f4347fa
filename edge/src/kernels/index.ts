import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.ts';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter.ts';
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';

/**
 * The training kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks: without them a conv net's
 * gradient (and gather's) cannot be taken on wasm. Each is composed from the wasm backend's own
 * kernels or is a loop over the wasm heap; see the file of each kernel for how.
 */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Kernels the wasm backend has but Temper replaces because they are too slow to train with. */
export const WASM_REPLACED_KERNELS: readonly string[] = ['Conv2DBackpropInput'];

const ours = new Set<tf.KernelFunc>(WASM_TRAINING_KERNELS.map((k) => k.kernelFunc));

export interface RegisterOptions {
  /**
   * Replace the wasm backend's Conv2DBackpropInput (a scalar loop, ~10x slower than the XNNPACK
   * composition that replaces it) with Temper's; configurations it does not handle still go to the
   * original. Default true. Needs @tensorflow/tfjs-backend-wasm imported before the call.
   */
  readonly replaceConv2DBackpropInput?: boolean;
}

/**
 * Registers Temper's wasm training kernels with tfjs. Idempotent: a later call registers only what is
 * still missing (e.g. the Conv2DBackpropInput replacement, once the wasm backend has been imported).
 * It never replaces a kernel the wasm backend has other than those in WASM_REPLACED_KERNELS, so a
 * later tfjs with native versions keeps them. Call it before or after `tf.setBackend('wasm')`.
 * Returns the kernel names it registered on this call.
 */
export function registerWasmTrainingKernels(options: RegisterOptions = {}): string[] {
  const registered: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  if (options.replaceConv2DBackpropInput ?? true) {
    const native = tf.getKernel('Conv2DBackpropInput', 'wasm');
    if (native !== undefined && !ours.has(native.kernelFunc)) {
      const replacement = conv2dBackpropInputConfig(native);
      ours.add(replacement.kernelFunc);
      tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
      tf.registerKernel(replacement);
      registered.push('Conv2DBackpropInput');
    }
  }
  return registered;
}

export { conv2dBackpropFilter } from './conv2d-backprop-filter.ts';
export { conv2dBackpropInputPhases } from './conv2d-backprop-input.ts';
export { depthwiseConv2dBackpropFilter } from './depthwise-conv2d-backprop-filter.ts';
export { depthwiseConv2dBackpropInput } from './depthwise-conv2d-backprop-input.ts';
export { unsortedSegmentSum } from './unsorted-segment-sum.ts';
