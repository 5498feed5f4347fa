import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { toLogitsModel } from './softmax.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const x = () => tf.tensor2d([[0.1, -0.4, 0.9, 0.3], [1, 2, -3, 0.5]]);

async function expectLogitsOf(original: tfl.LayersModel, rewrite: () => tfl.LayersModel): Promise<void> {
  const input = x();
  const probs = original.predict(input) as tf.Tensor;
  const expected = await probs.data();
  const m = rewrite();
  const z = m.predict(input) as tf.Tensor;
  const p = tf.softmax(z);
  expect(Array.from(await p.data()).map((v, i) => Math.abs(v - expected[i]) < 1e-6)).not.toContain(false);
  // Logits, not probabilities: rows do not sum to one.
  const total = tf.sum(z);
  expect(Math.abs((await total.data())[0] - 2)).toBeGreaterThan(1e-3);
  tf.dispose([input, probs, z, p, total]);
}

describe('toLogitsModel', () => {
  it('replaces a final Dense(softmax) by a linear twin sharing its weights, without leaking tensors', async () => {
    const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 5, activation: 'relu' }), tfl.layers.dense({ name: 'out', units: 3, activation: 'softmax' })] });
    const before = tf.memory().numTensors;
    let result: ReturnType<typeof toLogitsModel> | undefined;
    await expectLogitsOf(m, () => (result = toLogitsModel(m)).model);
    expect(result!.outputsWereSoftmax).toBe(true);
    expect(result!.model.layers.at(-1)!.name).toBe('out');
    expect(result!.model.layers.at(-1)!.getConfig()['activation']).toBe('linear');
    expect(result!.model.countParams()).toBe(m.countParams());
    expect(tf.memory().numTensors).toBe(before);
    result!.model.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it.each([
    ['Activation("softmax")', () => tfl.layers.activation({ activation: 'softmax' })],
    ['Softmax()', () => tfl.layers.softmax()],
  ])('cuts a final %s layer off', async (_, make) => {
    const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 }), make()] });
    let result: ReturnType<typeof toLogitsModel> | undefined;
    await expectLogitsOf(m, () => (result = toLogitsModel(m)).model);
    expect(result!.outputsWereSoftmax).toBe(true);
    expect(result!.model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense']);
    result!.model.dispose();
  });

  it('leaves a logits model alone', () => {
    const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 })] });
    const result = toLogitsModel(m);
    expect(result).toEqual({ model: m, outputsWereSoftmax: false, warnings: [] });
    m.dispose();
  });

  it('warns when the output is squashed some other way', () => {
    const m = tfl.sequential({ layers: [tfl.layers.dense({ name: 'out', inputShape: [4], units: 3, activation: 'sigmoid' })] });
    const result = toLogitsModel(m);
    expect(result.outputsWereSoftmax).toBe(false);
    expect(result.warnings.join()).toMatch(/"out" applies sigmoid/);
    m.dispose();
  });
});
