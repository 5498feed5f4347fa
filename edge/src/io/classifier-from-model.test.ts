import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.ts';
import { classifierFromModel } from './classifier-from-model.ts';
import { thrown } from './fixtures/thrown.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});


/** Conv → GAP → Dense ("features") → Dense, over images of `shape` (null dims allowed). */
function cnn(shape: Array<number | null>, outActivation: 'linear' | 'softmax' = 'linear'): tfl.LayersModel {
  const input = tfl.input({ batchShape: [null, ...shape] });
  const h = tfl.layers.globalAveragePooling2d({}).apply(tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(input));
  const f = tfl.layers.dense({ name: 'features', units: 6, activation: 'relu' }).apply(h);
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 5, activation: outActivation }).apply(f) as tfl.SymbolicTensor });
}

describe('classifierFromModel', () => {
  it('wraps a logits model as is', () => {
    const m = cnn([8, 8, 3]);
    const c = classifierFromModel(m);
    expect(c).toMatchObject({ model: m, inputShape: [8, 8, 3], numClasses: 5, featureLayer: 'features', outputsWereSoftmax: false, preprocessing: { kind: 'unit' } });
    expect(Object.isFrozen(c)).toBe(true);
    m.dispose();
  });

  it('takes the image size from expect.inputShape when the model leaves it open', () => {
    const m = cnn([null, null, 3]);
    expect(thrown(() => classifierFromModel(m)).code).toBe(ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH);
    expect(classifierFromModel(m, { expect: { inputShape: [16, 16, 3] } }).inputShape).toEqual([16, 16, 3]);
    expect(thrown(() => classifierFromModel(m, { expect: { inputShape: [16, 16, 1] } })).code).toBe(ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH);
    m.dispose();
  });

  it('checks the model before rewiring it, so a refused softmax model stays whole', async () => {
    const m = cnn([8, 8, 3], 'softmax');
    expect(thrown(() => classifierFromModel(m, { expect: { numClasses: 10 } })).code).toBe(ErrorCodes.MODEL_OUTPUT_CLASSES_MISMATCH);
    expect(thrown(() => classifierFromModel(m, { preprocessing: { kind: 'zscore' } })).code).toBe(ErrorCodes.MODEL_INVALID_PREPROCESSING);
    expect(thrown(() => classifierFromModel(m, { featureLayer: 'nope' })).code).toBe(ErrorCodes.MODEL_NO_FEATURE_LAYER);
    const x = tf.ones([1, 8, 8, 3]);
    const p = tf.tidy(() => tf.sum(m.predict(x) as tf.Tensor));
    expect((await p.data())[0]).toBeCloseTo(1, 5);
    const c = classifierFromModel(m);
    expect(c.outputsWereSoftmax).toBe(true);
    tf.dispose([x, p]);
    c.model.dispose();
  });

  it('refuses several inputs or outputs and non-vector outputs', () => {
    const a = tfl.input({ shape: [4, 4, 1] });
    const b = tfl.input({ shape: [4, 4, 1] });
    const flat = (t: tfl.SymbolicTensor) => tfl.layers.flatten().apply(t) as tfl.SymbolicTensor;
    const twoIn = tfl.model({ inputs: [a, b], outputs: tfl.layers.dense({ units: 3 }).apply(tfl.layers.concatenate().apply([flat(a), flat(b)])) as tfl.SymbolicTensor });
    expect(thrown(() => classifierFromModel(twoIn)).code).toBe(ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH);
    const d = tfl.layers.dense({ units: 3 }).apply(flat(a)) as tfl.SymbolicTensor;
    const twoOut = tfl.model({ inputs: a, outputs: [d, tfl.layers.dense({ units: 2 }).apply(d) as tfl.SymbolicTensor] });
    expect(thrown(() => classifierFromModel(twoOut)).code).toBe(ErrorCodes.MODEL_OUTPUT_CLASSES_MISMATCH);
    const map = tfl.model({ inputs: a, outputs: tfl.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(a) as tfl.SymbolicTensor });
    expect(thrown(() => classifierFromModel(map)).message).toMatch(/\[null, 4, 4, 3\], not \[batch, classes\]/);
    [twoIn, twoOut, map].forEach((m) => m.dispose());
  });
});
