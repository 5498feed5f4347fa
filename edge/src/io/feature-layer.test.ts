import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.ts';
import { logits } from '../models/classifier.ts';
import { classifierFromModel } from './classifier-from-model.ts';
import { featureModel, featuresAndLogits, findFeatureLayer } from './feature-layer.ts';
import { thrown } from './fixtures/thrown.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});



describe('findFeatureLayer', () => {
  it('prefers a layer named "features"', () => {
    const m = tfl.sequential({ layers: [tfl.layers.flatten({ name: 'features', inputShape: [4, 4, 1] }), tfl.layers.dense({ name: 'hidden', units: 8 }), tfl.layers.dense({ units: 3 })] });
    expect(findFeatureLayer(m)).toBe('features');
    m.dispose();
  });

  it('else takes the layer feeding the last Dense, looking through Dropout', () => {
    const m = tfl.sequential({
      layers: [tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3 }), tfl.layers.globalAveragePooling2d({ name: 'gap' }), tfl.layers.dropout({ rate: 0.5 }), tfl.layers.dense({ units: 3 })],
    });
    expect(findFeatureLayer(m)).toBe('gap');
    m.dispose();
  });

  it('honours an explicit layer name, and MODEL_NO_FEATURE_LAYER when it does not exist', () => {
    const m = tfl.sequential({ layers: [tfl.layers.dense({ name: 'a', inputShape: [4], units: 8 }), tfl.layers.dense({ name: 'b', units: 3 })] });
    expect(findFeatureLayer(m, 'a')).toBe('a');
    const e = thrown(() => findFeatureLayer(m, 'penultimate'));
    expect(e.code).toBe(ErrorCodes.MODEL_NO_FEATURE_LAYER);
    expect(e.message).toMatch(/no layer named "penultimate"/);
    m.dispose();
  });

  it('MODEL_NO_FEATURE_LAYER for an all-convolutional model without a "features" layer', () => {
    const m = tfl.sequential({ layers: [tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3 }), tfl.layers.globalAveragePooling2d({})] });
    const e = thrown(() => findFeatureLayer(m));
    expect(e.code).toBe(ErrorCodes.MODEL_NO_FEATURE_LAYER);
    expect(e.message).toMatch(/no Dense layer/);
    m.dispose();
  });

  it('MODEL_NO_FEATURE_LAYER when the last Dense reads the input itself', () => {
    const input = tfl.input({ shape: [4] });
    const m = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(input) as tfl.SymbolicTensor });
    expect(thrown(() => findFeatureLayer(m)).code).toBe(ErrorCodes.MODEL_NO_FEATURE_LAYER);
    m.dispose();
  });
});

describe('featureModel / featuresAndLogits', () => {
  it('outputs [features, logits] from the classifier weights, creates no tensors, and is cached', async () => {
    const m = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [5, 5, 2], filters: 4, kernelSize: 3, activation: 'relu' }),
        tfl.layers.flatten({ name: 'features' }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const c = classifierFromModel(m, { preprocessing: { kind: 'byte' } });
    const before = tf.memory().numTensors;
    const fm = featureModel(c);
    expect(featureModel(c)).toBe(fm);
    expect(fm.outputs.map((o) => o.shape)).toEqual([[null, 36], [null, 3]]);
    expect(tf.memory().numTensors).toBe(before);

    const x = tf.randomUniform([2, 5, 5, 2]);
    const { features, logits: z } = featuresAndLogits(c, x);
    const direct = logits(c, x);
    expect(Array.from(await z.data())).toEqual(Array.from(await direct.data()));
    const [kernel, bias] = c.model.getLayer(c.model.layers[1].name).getWeights();
    const expectedFeatures = tf.tidy(() => tf.reshape(tf.relu(tf.add(tf.conv2d(tf.mul(x, 255) as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'valid'), bias)), [2, 36]));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(features, expectedFeatures))));
    expect((await diff.data())[0]).toBeLessThan(1e-3);
    tf.dispose([x, features, z, direct, expectedFeatures, diff]);
    expect(tf.memory().numTensors).toBe(before);
    c.model.dispose();
  });
});
