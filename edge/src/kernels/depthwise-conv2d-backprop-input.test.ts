import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/random.ts';
import {
  compareWithCpu,
  depthwiseAttrs,
  depthwiseInfo,
  describeDepthwise,
  initBackends,
  leakAfterCalls,
  noteError,
  normals,
  randomDepthwiseCase,
  referenceDepthwiseBackpropInput,
  relError,
  reportErrors,
  runKernelOn,
  type DepthwiseCase,
  type HostTensor,
} from './test-helpers.ts';

const KERNEL = 'DepthwiseConv2dNativeBackpropInput';
const TOLERANCE = 1e-4;

function inputsFor(rng: Rng, c: DepthwiseCase): Record<string, HostTensor> {
  const info = depthwiseInfo(c);
  return {
    dy: { shape: info.outShape, values: normals(rng, tf.util.sizeFromShape(info.outShape)) },
    filter: { shape: c.filterShape, values: normals(rng, tf.util.sizeFromShape(c.filterShape)) },
  };
}

const caseRng = new Rng('depthwise-backprop-input-cases');
const cases = Array.from({ length: 80 }, (_, i) => randomDepthwiseCase(caseRng, i));

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  beforeAll(initBackends);
  afterAll(reportErrors);

  for (const c of cases) {
    const dilated = c.dilations[0] > 1 || c.dilations[1] > 1;
    it(`matches ${dilated ? 'the reference' : 'cpu'}, ${describeDepthwise(c)}`, async () => {
      const inputs = inputsFor(new Rng(`data-${c.id}`), c);
      const attrs = depthwiseAttrs(c, { inputShape: c.xShape });
      const reference = referenceDepthwiseBackpropInput(depthwiseInfo(c), inputs.dy.values as Float32Array, inputs.filter.values as Float32Array);
      if (dilated) {
        // The cpu kernel ignores dilations, so the definition is the reference here.
        const wasm = await runKernelOn('wasm', KERNEL, inputs, attrs);
        expect(wasm.shape).toEqual(c.xShape);
        const error = relError(wasm.values, reference);
        noteError(`${KERNEL} (dilated, vs reference)`, error);
        expect(error).toBeLessThanOrEqual(TOLERANCE);
      } else {
        const { wasm, cpu, error } = await compareWithCpu(KERNEL, inputs, attrs);
        expect(wasm.shape).toEqual(c.xShape);
        expect(error).toBeLessThanOrEqual(TOLERANCE);
        expect(relError(reference, cpu.values)).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }

  it('matches cpu on a typical training shape (batch 32, 14x14x16, 3x3, multiplier 2, stride 2, same)', async () => {
    const c: DepthwiseCase = { id: -1, xShape: [32, 14, 14, 16], filterShape: [3, 3, 16, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' };
    const { error } = await compareWithCpu(KERNEL, inputsFor(new Rng('typical'), c), depthwiseAttrs(c, { inputShape: c.xShape }));
    expect(error).toBeLessThanOrEqual(TOLERANCE);
  });

  it('leaks no tensors, data ids or wasm heap over 100 calls (dy in place, and zero-inserted copy)', async () => {
    for (const strides of [[1, 1], [2, 2]] as const) {
      const c: DepthwiseCase = { id: -2, xShape: [4, 9, 9, 3], filterShape: [3, 3, 3, 2], strides: [strides[0], strides[1]], dilations: [1, 1], pad: 'same' };
      const leak = await leakAfterCalls(KERNEL, inputsFor(new Rng('leak'), c), depthwiseAttrs(c, { inputShape: c.xShape }));
      expect(leak).toEqual({ tensors: 0, bytes: 0, dataIds: 0, heapBytes: 0 });
    }
  });
});
