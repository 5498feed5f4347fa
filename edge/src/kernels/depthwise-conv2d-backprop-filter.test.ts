import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/random.ts';
import { depthwiseConv2dBackpropFilterLoop, depthwiseConv2dBackpropFilterXnnpack } from './depthwise-conv2d-backprop-filter.ts';
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
  referenceDepthwiseBackpropFilter,
  relError,
  reportErrors,
  runFunctionOnWasm,
  runKernelOn,
  type DepthwiseCase,
  type HostTensor,
} from './test-helpers.ts';

const KERNEL = 'DepthwiseConv2dNativeBackpropFilter';
const TOLERANCE = 1e-4;

function inputsFor(rng: Rng, c: DepthwiseCase): Record<string, HostTensor> {
  const info = depthwiseInfo(c);
  return {
    x: { shape: c.xShape, values: normals(rng, tf.util.sizeFromShape(c.xShape)) },
    dy: { shape: info.outShape, values: normals(rng, tf.util.sizeFromShape(info.outShape)) },
  };
}

const caseRng = new Rng('depthwise-backprop-filter-cases');
const cases = Array.from({ length: 80 }, (_, i) => randomDepthwiseCase(caseRng, i));

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  beforeAll(initBackends);
  afterAll(reportErrors);

  for (const c of cases) {
    const dilated = c.dilations[0] > 1 || c.dilations[1] > 1;
    it(`matches ${dilated ? 'the reference' : 'cpu'} by either strategy, ${describeDepthwise(c)}`, async () => {
      const inputs = inputsFor(new Rng(`data-${c.id}`), c);
      const attrs = depthwiseAttrs(c, { filterShape: c.filterShape });
      const reference = referenceDepthwiseBackpropFilter(depthwiseInfo(c), inputs.x.values as Float32Array, inputs.dy.values as Float32Array);
      let expected: ArrayLike<number> = reference;
      let label = `${KERNEL} (dilated, vs reference)`;
      if (!dilated) {
        // The cpu kernel ignores dilations, so it is the reference only without them.
        const cpu = await runKernelOn('cpu', KERNEL, inputs, attrs);
        expect(relError(reference, cpu.values)).toBeLessThanOrEqual(TOLERANCE);
        expected = cpu.values;
        label = KERNEL;
      }
      for (const run of [
        () => runKernelOn('wasm', KERNEL, inputs, attrs),
        () => runFunctionOnWasm(depthwiseConv2dBackpropFilterXnnpack, inputs, attrs),
        () => runFunctionOnWasm(depthwiseConv2dBackpropFilterLoop, inputs, attrs),
      ]) {
        const wasm = await run();
        expect(wasm.shape).toEqual(c.filterShape);
        const error = relError(wasm.values, expected);
        noteError(label, error);
        expect(error).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }

  it('matches cpu on a typical training shape (batch 32, 14x14x16, 3x3, multiplier 2, stride 2, same)', async () => {
    const c: DepthwiseCase = { id: -1, xShape: [32, 14, 14, 16], filterShape: [3, 3, 16, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' };
    const { error } = await compareWithCpu(KERNEL, inputsFor(new Rng('typical'), c), depthwiseAttrs(c, { filterShape: c.filterShape }));
    expect(error).toBeLessThanOrEqual(TOLERANCE);
  });

  it('matches cpu where the kernel picks the loop (batch 2, 24x24x3, 3x3, multiplier 2, same)', async () => {
    const c: DepthwiseCase = { id: -3, xShape: [2, 24, 24, 3], filterShape: [3, 3, 3, 2], strides: [1, 1], dilations: [1, 1], pad: 'same' };
    const { error } = await compareWithCpu(KERNEL, inputsFor(new Rng('large'), c), depthwiseAttrs(c, { filterShape: c.filterShape }));
    expect(error).toBeLessThanOrEqual(TOLERANCE);
  });

  for (const [label, size] of [['XNNPACK', 9], ['loop', 24]] as const) {
    it(`leaks no tensors, data ids or wasm heap over 100 calls (${label} strategy)`, async () => {
      const c: DepthwiseCase = { id: -2, xShape: [4, size, size, 3], filterShape: [3, 3, 3, 2], strides: [1, 1], dilations: [1, 1], pad: 'same' };
      const leak = await leakAfterCalls(KERNEL, inputsFor(new Rng('leak'), c), depthwiseAttrs(c, { filterShape: c.filterShape }));
      expect(leak).toEqual({ tensors: 0, bytes: 0, dataIds: 0, heapBytes: 0 });
    });
  }
});
