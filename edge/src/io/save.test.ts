import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { logits, type Classifier } from '../models/classifier.ts';
import { classifierFromModel } from './classifier-from-model.ts';
import { featuresAndLogits } from './feature-layer.ts';
import { synthesizeWeights } from './fixtures/synthetic-weights.ts';
import { loadClassifier } from './load.ts';
import { saveClassifier, WEIGHTS_FILE_NAME } from './save.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function loadFixture(name: string, preprocessing?: unknown): Promise<Classifier> {
  const json = JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
  const { classifier } = await loadClassifier({ modelJson: JSON.stringify(json), shards: synthesizeWeights(json, 3).shards, preprocessing });
  return classifier;
}

async function expectIdenticalPredictions(a: Classifier, b: Classifier): Promise<void> {
  const x = tf.randomUniform([4, ...a.inputShape], 0, 1, 'float32', 11);
  const [za, zb] = [logits(a, x), logits(b, x)];
  expect(Array.from(await zb.data())).toEqual(Array.from(await za.data()));
  const [fa, fb] = [featuresAndLogits(a, x), featuresAndLogits(b, x)];
  expect(Array.from(await fb.features.data())).toEqual(Array.from(await fa.features.data()));
  tf.dispose([x, za, zb, fa.features, fa.logits, fb.features, fb.logits]);
}

describe('saveClassifier', () => {
  it('writes one weights.bin, a plain manifest path and the Temper metadata', async () => {
    const c = await loadFixture('keras3-sequential.json', { kind: 'byte' });
    const before = tf.memory().numTensors;
    const saved = await saveClassifier(c);
    expect(tf.memory().numTensors).toBe(before);
    const json = JSON.parse(saved.modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual([WEIGHTS_FILE_NAME]);
    const specs = json.weightsManifest[0].weights as Array<{ shape: number[] }>;
    expect(saved.weightsBin.byteLength).toBe(4 * specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0));
    expect(json.userDefinedMetadata.temper).toEqual({
      formatVersion: 1,
      preprocessing: { kind: 'byte' },
      inputShape: [8, 8, 3],
      numClasses: 10,
      featureLayer: 'dense',
      outputsWereSoftmax: true,
    });
    // The saved model is the logits twin: no softmax left anywhere in it.
    expect(JSON.stringify(json.modelTopology)).not.toMatch(/softmax/i);
    c.model.dispose();
  });

  it.each([
    ['tfjs-browser-download.json', undefined],
    ['keras2-legacy-sequential.json', undefined],
    ['keras2-functional.json', { kind: 'meanStd', mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] }],
    ['keras3-sequential.json', { kind: 'byte' }],
    ['keras3-functional.json', undefined],
    ['keras3-dotkeras.json', undefined],
  ])('load(save(%s)) predicts identically and restores the classifier facts', async (name, preprocessing) => {
    const c = await loadFixture(name, preprocessing);
    const saved = await saveClassifier(c);
    const before = tf.memory().numTensors;
    const { classifier: back, info } = await loadClassifier({ modelJson: saved.modelJson, shards: { [WEIGHTS_FILE_NAME]: saved.weightsBin } });
    expect(info.producer).toBe('tfjs');
    expect(back).toMatchObject({
      preprocessing: c.preprocessing,
      inputShape: c.inputShape,
      numClasses: c.numClasses,
      featureLayer: c.featureLayer,
      outputsWereSoftmax: true,
    });
    await expectIdenticalPredictions(c, back);
    // Saving is deterministic and loses nothing: a second round trip writes the same weights.
    expect((await saveClassifier(back)).weightsBin).toEqual(saved.weightsBin);
    back.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    c.model.dispose();
  });

  it('round-trips an in-process model whose BatchNorm statistics were moved by training', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, useBias: false }),
        tfl.layers.batchNormalization({ momentum: 0.5 }),
        tfl.layers.activation({ activation: 'relu' }),
        tfl.layers.flatten({ name: 'features' }),
        tfl.layers.dense({ units: 4 }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([8, 6, 6, 2], 2, 3, 'float32', 5);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4);
    await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    tf.dispose([xs, ys]);
    const movingMean = await model.layers[1].getWeights()[2].data();
    expect(Array.from(movingMean).some((v) => v !== 0)).toBe(true);

    const c = classifierFromModel(model, { preprocessing: { kind: 'unit' } });
    expect(c).toMatchObject({ featureLayer: 'features', outputsWereSoftmax: false, numClasses: 4 });
    const saved = await saveClassifier(c);
    const { classifier: back, info } = await loadClassifier({ modelJson: saved.modelJson, shards: { 'weights.bin': saved.weightsBin } });
    expect(info.outputsWereSoftmax).toBe(false);
    expect(info.className).toBe('Sequential');
    await expectIdenticalPredictions(c, back);
    back.model.dispose();
    c.model.dispose();
  });
});
