import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/random.ts';
import { conv2dBackpropInputPhases } from './conv2d-backprop-input.ts';
import {
  initBackends,
  intIn,
  leakAfterCalls,
  noteError,
  normals,
  pick,
  relError,
  reportErrors,
  runFunctionOnWasm,
  runKernelOn,
  type HostTensor,
  type WasmKernelFunction,
} from './test-helpers.ts';

const KERNEL = 'Conv2DBackpropInput';
const TOLERANCE = 1e-4;

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface Case {
  readonly id: number;
  readonly xShape: [number, number, number, number];
  readonly filterShape: [number, number, number, number];
  readonly strides: [number, number];
  readonly pad: Pad;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly dataFormat: 'NHWC' | 'NCHW';
}

function dyShape(c: Case): number[] | null {
  const info = tf.backend_util.computeConv2DInfo(
    c.xShape, c.filterShape, c.strides, 1, c.pad, c.dimRoundingMode, false,
    c.dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst',
  );
  if (info.outHeight < 1 || info.outWidth < 1) return null;
  return c.dataFormat === 'NHWC'
    ? [info.batchSize, info.outHeight, info.outWidth, info.outChannels]
    : [info.batchSize, info.outChannels, info.outHeight, info.outWidth];
}

function randomCase(rng: Rng, id: number): Case {
  for (;;) {
    const b = intIn(rng, 1, 16), cin = intIn(rng, 1, 8), cout = intIn(rng, 1, 8);
    const kh = intIn(rng, 1, 5), kw = intIn(rng, 1, 5);
    const strides: [number, number] = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
    const kind = pick(rng, ['same', 'same', 'valid', 'valid', 'number', 'explicit'] as const);
    const dataFormat = rng.next() < 0.1 ? 'NCHW' : 'NHWC';
    const h = kind === 'same' ? intIn(rng, 1, 12) : intIn(rng, kh, kh + 8);
    const w = kind === 'same' ? intIn(rng, 1, 12) : intIn(rng, kw, kw + 8);
    let pad: Pad = kind as 'same' | 'valid';
    let dimRoundingMode: Case['dimRoundingMode'];
    if (kind === 'number') {
      pad = intIn(rng, 0, 2);
      dimRoundingMode = pick(rng, ['floor', 'round', 'ceil'] as const);
    } else if (kind === 'explicit') {
      const hp: [number, number] = [intIn(rng, 0, 2), intIn(rng, 0, 2)];
      const wp: [number, number] = [intIn(rng, 0, 2), intIn(rng, 0, 2)];
      pad = dataFormat === 'NHWC' ? [[0, 0], hp, wp, [0, 0]] : [[0, 0], [0, 0], hp, wp];
    }
    const xShape: Case['xShape'] = dataFormat === 'NHWC' ? [b, h, w, cin] : [b, cin, h, w];
    const c: Case = { id, xShape, filterShape: [kh, kw, cin, cout], strides, pad, dimRoundingMode, dataFormat };
    if (dyShape(c) !== null) return c;
  }
}

function inputsFor(rng: Rng, c: Case): Record<string, HostTensor> {
  const dy = dyShape(c)!;
  return {
    dy: { shape: dy, values: normals(rng, tf.util.sizeFromShape(dy)) },
    filter: { shape: c.filterShape, values: normals(rng, tf.util.sizeFromShape(c.filterShape)) },
  };
}

function attrsFor(c: Case): tf.NamedAttrMap {
  const attrs: Record<string, unknown> = { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat, inputShape: c.xShape };
  if (c.dimRoundingMode !== undefined) attrs.dimRoundingMode = c.dimRoundingMode;
  return attrs as tf.NamedAttrMap;
}

/** The phase decomposition alone, failing instead of falling back. */
const phasesOnly: WasmKernelFunction = (args) => {
  const out = conv2dBackpropInputPhases(args);
  if (out === null) throw new Error('phase decomposition declined');
  return out;
};

/** The phase decomposition takes every NHWC configuration; NCHW goes to the backend's kernel. */
function phasesApply(c: Case): boolean {
  return c.dataFormat === 'NHWC';
}

const caseRng = new Rng('conv2d-backprop-input-cases');
const cases = Array.from({ length: 80 }, (_, i) => randomCase(caseRng, i));

describe('Conv2DBackpropInput on wasm (phase decomposition replacing the backend kernel)', () => {
  beforeAll(initBackends);
  afterAll(reportErrors);

  for (const c of cases) {
    const name = `case ${c.id}: x [${c.xShape}] filter [${c.filterShape}] strides [${c.strides}] ` +
      `pad ${JSON.stringify(c.pad)}${c.dimRoundingMode ? ` ${c.dimRoundingMode}` : ''} ${c.dataFormat}`;
    it(`matches cpu, ${name}`, async () => {
      const inputs = inputsFor(new Rng(`data-${c.id}`), c);
      const cpu = await runKernelOn('cpu', KERNEL, inputs, attrsFor(c));
      const runs = [runKernelOn('wasm', KERNEL, inputs, attrsFor(c))];
      if (phasesApply(c)) runs.push(runFunctionOnWasm(phasesOnly, inputs, attrsFor(c)));
      for (const wasm of await Promise.all(runs)) {
        expect(wasm.shape).toEqual(c.xShape);
        const error = relError(wasm.values, cpu.values);
        noteError(KERNEL, error);
        expect(error).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }

  it('matches cpu on a typical training shape (batch 16, 7x7x16 -> 14x14x8, 3x3, stride 2, same)', async () => {
    const c: Case = { id: -1, xShape: [16, 14, 14, 8], filterShape: [3, 3, 8, 16], strides: [2, 2], pad: 'same', dataFormat: 'NHWC' };
    const inputs = inputsFor(new Rng('typical'), c);
    const cpu = await runKernelOn('cpu', KERNEL, inputs, attrsFor(c));
    const wasm = await runFunctionOnWasm(phasesOnly, inputs, attrsFor(c));
    expect(relError(wasm.values, cpu.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('leaks no tensors, data ids or wasm heap over 100 calls', async () => {
    for (const strides of [[1, 1], [2, 2], [3, 1]] as const) {
      const c: Case = { id: -2, xShape: [4, 9, 9, 3], filterShape: [3, 2, 3, 5], strides: [strides[0], strides[1]], pad: 'same', dataFormat: 'NHWC' };
      const leak = await leakAfterCalls(KERNEL, inputsFor(new Rng('leak'), c), attrsFor(c));
      expect(leak).toEqual({ tensors: 0, bytes: 0, dataIds: 0, heapBytes: 0 });
    }
  });
});
