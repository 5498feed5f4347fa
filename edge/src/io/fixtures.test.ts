import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { logits } from '../models/classifier.ts';
import { featuresAndLogits } from './feature-layer.ts';
import { synthesizeWeights } from './fixtures/synthetic-weights.ts';
import { loadClassifier, type LoadClassifierInput, type ModelInfo } from './load.ts';

/**
 * Each fixture is a model.json shaped exactly like a real tool's output (see fixtures/README.md).
 * Each test loads it with synthetic weights and compares features and logits with the same network
 * built directly with tfjs-layers and given the same weights by hand.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function fixture(name: string): { bytes: Uint8Array; json: unknown } {
  const bytes = new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
  return { bytes, json: JSON.parse(new TextDecoder().decode(bytes)) };
}

function images(shape: [number, number, number], n = 5, seed = 7): tf.Tensor4D {
  let s = seed;
  const data = Float32Array.from({ length: n * shape[0] * shape[1] * shape[2] }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  });
  return tf.tensor4d(data, [n, ...shape]);
}

type Values = Record<string, Float32Array | Int32Array>;

/** Sets a reference layer's weights from synthetic values, by manifest name. */
function setLayer(layer: tfl.layers.Layer, values: Values, names: string[]): void {
  const ws = names.map((n, i) => tf.tensor(values[n] as Float32Array, layer.weights[i].shape as number[]));
  layer.setWeights(ws);
  tf.dispose(ws);
}

interface FixtureCase {
  readonly file: string;
  readonly load?: Partial<LoadClassifierInput>;
  readonly info: Partial<ModelInfo>;
  readonly inputShape: [number, number, number];
  /** The same network written directly with tfjs-layers, outputs [features, logits], weights set from `values`. */
  readonly reference: (values: Values) => tfl.LayersModel;
  /** What the reference model is fed for [0,1] images `x` (the classifier applies its preprocessing itself). */
  readonly referenceInput?: (x: tf.Tensor4D) => tf.Tensor4D;
}

/** `[features, logits]` model from an input and the two tensors. */
const twoHeads = (input: tfl.SymbolicTensor, features: unknown, logitsOut: unknown) =>
  tfl.model({ inputs: input, outputs: [features as tfl.SymbolicTensor, logitsOut as tfl.SymbolicTensor] });

const BN = (prefix: string) => ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => `${prefix}/${w}`);

const CASES: Record<string, FixtureCase> = {
  'tfjs model.save("downloads://…") output: Sequential CNN with BatchNorm, Dropout, softmax Dense': {
    file: 'tfjs-browser-download.json',
    load: { expect: { inputShape: [8, 8, 1], numClasses: 10 } },
    info: { producer: 'tfjs', className: 'Sequential', featureLayer: 'dense_Dense1' },
    inputShape: [8, 8, 1],
    reference: (values) => {
      const inp = tfl.input({ shape: [8, 8, 1] });
      const conv = tfl.layers.conv2d({ kernelSize: 3, filters: 4, activation: 'relu' });
      const bn = tfl.layers.batchNormalization();
      const hidden = tfl.layers.dense({ units: 16, activation: 'relu' });
      const out = tfl.layers.dense({ units: 10 });
      const pooled = tfl.layers.flatten().apply(tfl.layers.maxPooling2d({ poolSize: 2 }).apply(bn.apply(conv.apply(inp))));
      const h = hidden.apply(tfl.layers.dropout({ rate: 0.25 }).apply(pooled));
      const ref = twoHeads(inp, h, out.apply(h));
      setLayer(conv, values, ['conv2d_Conv2D1/kernel', 'conv2d_Conv2D1/bias']);
      setLayer(bn, values, BN('batch_normalization_BatchNormalization1'));
      setLayer(hidden, values, ['dense_Dense1/kernel', 'dense_Dense1/bias']);
      setLayer(out, values, ['dense_Dense2/kernel', 'dense_Dense2/bias']);
      return ref;
    },
  },
  'Keras 2.2 + converter 0.x: no "format" key, Sequential config as a list, shard without .bin': {
    file: 'keras2-legacy-sequential.json',
    info: { producer: 'keras2', producerVersion: '2.2.2', className: 'Sequential', featureLayer: 'dense_1' },
    inputShape: [8, 8, 1],
    reference: (values) => {
      const inp = tfl.input({ shape: [8, 8, 1] });
      const conv = tfl.layers.conv2d({ kernelSize: 3, filters: 4, activation: 'relu' });
      const d1 = tfl.layers.dense({ units: 16, activation: 'relu' });
      const d2 = tfl.layers.dense({ units: 10 });
      const h = d1.apply(tfl.layers.flatten().apply(tfl.layers.maxPooling2d({ poolSize: 2 }).apply(conv.apply(inp))));
      const ref = twoHeads(inp, h, d2.apply(h));
      setLayer(conv, values, ['conv2d_1/kernel', 'conv2d_1/bias']);
      setLayer(d1, values, ['dense_1/kernel', 'dense_1/bias']);
      setLayer(d2, values, ['dense_2/kernel', 'dense_2/bias']);
      return ref;
    },
  },
  'tf.keras 2.15 Functional: InputLayer, BN axis [3], L2 regularizers, residual Add, final Activation(softmax), two shards': {
    file: 'keras2-functional.json',
    load: { expect: { inputShape: [8, 8, 3], numClasses: 10 } },
    info: { producer: 'keras2', className: 'Functional', featureLayer: 'features' },
    inputShape: [8, 8, 3],
    reference: (values) => {
      const inp = tfl.input({ shape: [8, 8, 3] });
      const c0 = tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' });
      const bn = tfl.layers.batchNormalization({ axis: 3 });
      const c1 = tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' });
      const feat = tfl.layers.dense({ units: 16, activation: 'relu' });
      const out = tfl.layers.dense({ units: 10 });
      const r = tfl.layers.reLU().apply(bn.apply(c0.apply(inp))) as tfl.SymbolicTensor;
      const added = tfl.layers.add().apply([r, c1.apply(r) as tfl.SymbolicTensor]);
      const f = feat.apply(tfl.layers.globalAveragePooling2d({}).apply(added));
      const ref = twoHeads(inp, f, out.apply(f));
      setLayer(c0, values, ['conv2d/kernel', 'conv2d/bias']);
      setLayer(bn, values, BN('batch_normalization'));
      setLayer(c1, values, ['conv2d_1/kernel', 'conv2d_1/bias']);
      setLayer(feat, values, ['features/kernel', 'features/bias']);
      setLayer(out, values, ['dense/kernel', 'dense/bias']);
      return ref;
    },
  },
  'Keras 3.13 Sequential via HDF5: batch_shape, DTypePolicy, Rescaling, BN, "sequential/…" weight names': {
    file: 'keras3-sequential.json',
    load: { preprocessing: { kind: 'byte' } },
    info: { producer: 'keras3', producerVersion: '3.13.2', className: 'Sequential', featureLayer: 'dense', preprocessing: { kind: 'byte' } },
    inputShape: [8, 8, 3],
    // The model divides by 255 itself, so the classifier's byte preprocessing must hand it x * 255.
    referenceInput: (x) => tf.mul(x, 255) as tf.Tensor4D,
    reference: (values) => {
      const inp = tfl.input({ shape: [8, 8, 3] });
      const conv = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' });
      const bn = tfl.layers.batchNormalization();
      const d = tfl.layers.dense({ units: 16, activation: 'relu' });
      const out = tfl.layers.dense({ units: 10 });
      const scaled = tfl.layers.rescaling({ scale: 1 / 255 }).apply(inp);
      const h = d.apply(tfl.layers.flatten().apply(tfl.layers.maxPooling2d({ poolSize: 2 }).apply(bn.apply(conv.apply(scaled)))));
      const ref = twoHeads(inp, h, out.apply(h));
      setLayer(conv, values, ['sequential/conv2d/kernel', 'sequential/conv2d/bias']);
      setLayer(bn, values, BN('sequential/batch_normalization'));
      setLayer(d, values, ['sequential/dense/kernel', 'sequential/dense/bias']);
      setLayer(out, values, ['sequential/dense_1/kernel', 'sequential/dense_1/bias']);
      return ref;
    },
  },
  'Keras 3.4 Functional: __keras_tensor__ inbound nodes, Add of two tensors, final Softmax layer': {
    file: 'keras3-functional.json',
    load: { expect: { inputShape: [8, 8, 3], numClasses: 10 } },
    info: { producer: 'keras3', className: 'Functional', featureLayer: 'global_average_pooling2d' },
    inputShape: [8, 8, 3],
    reference: (values) => {
      const inp = tfl.input({ shape: [8, 8, 3] });
      const c0 = tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' });
      const bn = tfl.layers.batchNormalization();
      const c1 = tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' });
      const out = tfl.layers.dense({ units: 10 });
      const a = tfl.layers.activation({ activation: 'relu' }).apply(bn.apply(c0.apply(inp))) as tfl.SymbolicTensor;
      const g = tfl.layers.globalAveragePooling2d({}).apply(tfl.layers.add().apply([a, c1.apply(a) as tfl.SymbolicTensor]));
      const ref = twoHeads(inp, g, out.apply(g));
      setLayer(c0, values, ['conv2d/kernel', 'conv2d/bias']);
      setLayer(bn, values, BN('batch_normalization'));
      setLayer(c1, values, ['conv2d_1/kernel', 'conv2d_1/bias']);
      setLayer(out, values, ['dense/kernel', 'dense/bias']);
      return ref;
    },
  },
  'Keras 3.8 .keras via --input_format keras_keras: "layers/dense/vars/0" names by class counter, optimizer state ignored': {
    file: 'keras3-dotkeras.json',
    info: { producer: 'keras3', producerVersion: '3.8.0', featureLayer: 'features' },
    inputShape: [8, 8, 1],
    reference: (values) => {
      const inp = tfl.input({ shape: [8, 8, 1] });
      const conv = tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' });
      const feat = tfl.layers.dense({ units: 32, activation: 'relu' });
      const out = tfl.layers.dense({ units: 10 });
      const f = feat.apply(tfl.layers.flatten().apply(conv.apply(inp)));
      const ref = twoHeads(inp, f, out.apply(f));
      // The layer named "features" is the first Dense, so Keras 3 stored it as layers/dense; "logits" as layers/dense_1.
      setLayer(conv, values, ['layers/conv2d/vars/0', 'layers/conv2d/vars/1']);
      setLayer(feat, values, ['layers/dense/vars/0', 'layers/dense/vars/1']);
      setLayer(out, values, ['layers/dense_1/vars/0', 'layers/dense_1/vars/1']);
      return ref;
    },
  },
};

/** Max |a - b| relative to max |b|, computed without leaking intermediates. */
async function relativeError(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [diff, scale] = tf.tidy(() => [tf.max(tf.abs(tf.sub(a, b))), tf.max(tf.abs(b))]);
  const out = (await diff.data())[0] / Math.max(1, (await scale.data())[0]);
  tf.dispose([diff, scale]);
  return out;
}

describe('real-format fixtures load and predict like a tfjs-layers reference', () => {
  it.each(Object.entries(CASES))('%s', async (_, c) => {
    const { bytes, json } = fixture(c.file);
    const { shards, values } = synthesizeWeights(json);
    const loaded = await loadClassifier({ modelJson: bytes, shards, ...c.load });
    expect(loaded.info).toMatchObject({ ...c.info, inputShape: c.inputShape, numClasses: 10, outputsWereSoftmax: true });

    const reference = c.reference(values);
    const x = images(c.inputShape);
    const refInput = c.referenceInput ? c.referenceInput(x) : x;
    const { features, logits: z } = featuresAndLogits(loaded.classifier, x);
    const plain = logits(loaded.classifier, x);
    const [refFeatures, refLogits] = reference.predict(refInput) as tf.Tensor[];
    const flatRefFeatures = tf.reshape(refFeatures, [refFeatures.shape[0], -1]);
    expect(Array.from(await z.data())).toEqual(Array.from(await plain.data()));
    expect(features.shape).toEqual(flatRefFeatures.shape);
    expect(await relativeError(features, flatRefFeatures)).toBeLessThan(1e-5);
    expect(z.shape).toEqual(refLogits.shape);
    expect(await relativeError(z, refLogits)).toBeLessThan(1e-5);

    tf.dispose([x, refInput, features, z, plain, refFeatures, refLogits, flatRefFeatures]);
    reference.dispose();
    loaded.classifier.model.dispose();
  });

  it('warns when a model that rescales by 1/255 is loaded with the default [0,1] preprocessing, not with byte', async () => {
    const { bytes, json } = fixture('keras3-sequential.json');
    const { shards } = synthesizeWeights(json);
    const unit = await loadClassifier({ modelJson: bytes, shards });
    expect(unit.info.preprocessing).toEqual({ kind: 'unit' });
    expect(unit.info.warnings.join('\n')).toMatch(/Rescaling.*byte/);
    const byte = await loadClassifier({ modelJson: bytes, shards, preprocessing: { kind: 'byte' } });
    expect(byte.info.warnings.join('\n')).not.toMatch(/Rescaling/);
    unit.classifier.model.dispose();
    byte.classifier.model.dispose();
  });

  it('reports optimizer state shipped in the manifest as unused', async () => {
    const { bytes, json } = fixture('keras3-dotkeras.json');
    const loaded = await loadClassifier({ modelJson: bytes, shards: synthesizeWeights(json).shards });
    expect(loaded.info.warnings.join('\n')).toMatch(/14 manifest weights are not used by the model and were ignored: optimizer\/vars\/0/);
    loaded.classifier.model.dispose();
  });
});
