import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/random.ts';
import {
  initBackends,
  intIn,
  leakAfterCalls,
  noteError,
  normals,
  relError,
  reportErrors,
  runKernelOn,
  useBackend,
  type HostTensor,
} from './test-helpers.ts';

const KERNEL = 'UnsortedSegmentSum';
const TOLERANCE = 1e-4;

interface Case {
  readonly id: number;
  readonly xShape: number[];
  readonly idsRank: number;
  readonly numSegments: number;
  readonly dtype: 'float32' | 'int32';
}

function randomCase(rng: Rng, id: number): Case {
  const rank = intIn(rng, 1, 3);
  const xShape = Array.from({ length: rank }, () => intIn(rng, 1, 7));
  return { id, xShape, idsRank: intIn(rng, 1, Math.min(2, rank)), numSegments: intIn(rng, 1, 10), dtype: rng.next() < 0.25 ? 'int32' : 'float32' };
}

function inputsFor(rng: Rng, c: Case): Record<string, HostTensor> {
  const idsShape = c.xShape.slice(0, c.idsRank);
  const size = tf.util.sizeFromShape(c.xShape);
  // Ids run past both ends: out-of-range rows are dropped.
  const ids = Int32Array.from({ length: tf.util.sizeFromShape(idsShape) }, () => intIn(rng, -2, c.numSegments + 1));
  const values = c.dtype === 'int32' ? Int32Array.from({ length: size }, () => intIn(rng, -50, 50)) : normals(rng, size);
  return { x: { shape: c.xShape, values }, segmentIds: { shape: idsShape, values: ids } };
}

const caseRng = new Rng('unsorted-segment-sum-cases');
const cases = Array.from({ length: 40 }, (_, i) => randomCase(caseRng, i));

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(initBackends);
  afterAll(reportErrors);

  for (const c of cases) {
    it(`matches cpu, case ${c.id}: x [${c.xShape}] ${c.dtype}, ids rank ${c.idsRank}, ${c.numSegments} segments`, async () => {
      const inputs = inputsFor(new Rng(`data-${c.id}`), c);
      const wasm = await runKernelOn('wasm', KERNEL, inputs, { numSegments: c.numSegments });
      // tfjs' cpu kernel only handles rank-1 ids (its broadcast fails otherwise) and returns float32 for
      // int32 data; the reference is cpu on the flattened ids, compared by value. The wasm kernel keeps
      // x's dtype, as TensorFlow does.
      const outer = tf.util.sizeFromShape(c.xShape.slice(0, c.idsRank));
      const flat = {
        x: { shape: [outer, ...c.xShape.slice(c.idsRank)], values: inputs.x.values },
        segmentIds: { shape: [outer], values: inputs.segmentIds.values },
      };
      const cpu = await runKernelOn('cpu', KERNEL, flat, { numSegments: c.numSegments });
      expect(wasm.shape).toEqual([c.numSegments, ...c.xShape.slice(c.idsRank)]);
      expect(wasm.values).toBeInstanceOf(c.dtype === 'int32' ? Int32Array : Float32Array);
      const error = relError(wasm.values, cpu.values);
      noteError(KERNEL, error);
      expect(error).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it("gives gather's gradient as cpu does (axis 0 and 1, repeated indices)", async () => {
    const rng = new Rng('gather-grad');
    const xVals = normals(rng, 6 * 5 * 4);
    const wVals = normals(rng, 6 * 7 * 4);
    const idx = Int32Array.from({ length: 7 }, () => rng.int(5));
    const grads = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor3d(xVals, [6, 5, 4]);
        const w = tf.tensor3d(wVals, [6, 7, 4]);
        const indices = tf.tensor1d(idx, 'int32');
        const f = (t: tf.Tensor) => tf.add(tf.sum(tf.mul(tf.gather(t, indices, 1), w)), tf.sum(tf.square(tf.gather(t, tf.tensor1d([0, 2, 2], 'int32'), 0))));
        return tf.grad(f)(x).dataSync().slice();
      });
    };
    const error = relError(await grads('wasm'), await grads('cpu'));
    noteError('gather gradient', error);
    expect(error).toBeLessThanOrEqual(TOLERANCE);
  });

  it('leaks no tensors, data ids or wasm heap over 100 calls', async () => {
    const c: Case = { id: -1, xShape: [50, 3, 4], idsRank: 1, numSegments: 9, dtype: 'float32' };
    const leak = await leakAfterCalls(KERNEL, inputsFor(new Rng('leak'), c), { numSegments: c.numSegments });
    expect(leak).toEqual({ tensors: 0, bytes: 0, dataIds: 0, heapBytes: 0 });
  });
});
