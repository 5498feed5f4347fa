import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, ModelCompatibilityError, ModelFormatError, type ErrorCode, type TemperError } from '../errors.ts';
import { synthesizeWeights } from './fixtures/synthetic-weights.ts';
import { loadClassifier, type LoadClassifierInput } from './load.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Json = Record<string, any>;
const FIXTURES = ['tfjs-browser-download.json', 'keras2-legacy-sequential.json', 'keras2-functional.json', 'keras3-sequential.json', 'keras3-functional.json', 'keras3-dotkeras.json'];

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

/** A fixture as an upload, optionally edited first; shards are synthesized from the edited manifest. */
function upload(name: string, edit: (json: Json) => void = () => {}): LoadClassifierInput & { shards: Record<string, Uint8Array> } {
  const json = fixture(name);
  edit(json);
  return { modelJson: JSON.stringify(json), shards: { ...synthesizeWeights(json).shards } };
}

/** An in-process model as tfjs `model.save` would upload it. */
async function uploadModel(model: tfl.LayersModel): Promise<LoadClassifierInput> {
  let out: LoadClassifierInput | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const modelJson = JSON.stringify({ format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] });
      out = { modelJson, shards: { 'weights.bin': new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData!)) } };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  model.dispose();
  return out!;
}

/** Loads, expecting a TemperError with `code`; also checks that a failed load leaves no tensors behind. */
async function rejection(input: LoadClassifierInput, code: ErrorCode): Promise<TemperError> {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    const loaded = await loadClassifier(input);
    loaded.classifier.model.dispose();
  } catch (e) {
    error = e;
  }
  expect(tf.memory().numTensors).toBe(before);
  expect(error, `expected ${code}`).toBeDefined();
  expect((error as TemperError).code).toBe(code);
  return error as TemperError;
}

describe('loadClassifier', () => {
  it.each(FIXTURES)('%s: loading and disposing returns tf.memory() to where it started', async (name) => {
    const input = upload(name);
    const before = tf.memory().numTensors;
    const { classifier } = await loadClassifier(input);
    expect(tf.memory().numTensors).toBe(before + classifier.model.weights.length);
    const x = tf.zeros([2, ...classifier.inputShape]);
    tf.dispose(classifier.model.predict(x) as tf.Tensor);
    x.dispose();
    classifier.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports the facts about the model', async () => {
    const input = upload('keras2-functional.json');
    const { classifier, info } = await loadClassifier({ ...input, expect: { inputShape: [8, 8, 3], numClasses: 10 } });
    expect(info).toMatchObject({
      format: 'layers-model',
      producer: 'keras2',
      producerVersion: '2.15.0',
      className: 'Functional',
      inputShape: [8, 8, 3],
      numClasses: 10,
      parameterCount: 3 * 3 * 3 * 8 + 8 + 4 * 8 + 3 * 3 * 8 * 8 + 8 + 8 * 16 + 16 + 16 * 10 + 10,
      featureLayer: 'features',
      outputsWereSoftmax: true,
      preprocessing: { kind: 'unit' },
    });
    expect(classifier).toMatchObject({ inputShape: [8, 8, 3], numClasses: 10, featureLayer: 'features', outputsWereSoftmax: true, preprocessing: { kind: 'unit' } });
    classifier.model.dispose();
  });

  it('hashes model.json bytes and then the shards in manifest order, whatever the upload order', async () => {
    const input = upload('keras2-functional.json');
    const bytes = new TextEncoder().encode(input.modelJson as string);
    const reversed = Object.fromEntries(Object.entries(input.shards).reverse());
    const { classifier, info } = await loadClassifier({ modelJson: bytes, shards: reversed });
    const expected = createHash('sha256').update(bytes).update(input.shards['group1-shard1of2.bin']).update(input.shards['group1-shard2of2.bin']).digest('hex');
    expect(info.sha256).toBe(expected);
    classifier.model.dispose();
  });

  it('accepts per-channel meanStd preprocessing and refuses one that does not fit the channels', async () => {
    const ok = await loadClassifier({ ...upload('keras3-functional.json'), preprocessing: { kind: 'meanStd', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] } });
    expect(ok.info.preprocessing).toEqual({ kind: 'meanStd', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
    ok.classifier.model.dispose();
    await rejection({ ...upload('keras3-functional.json'), preprocessing: { kind: 'meanStd', mean: [0.5, 0.5], std: [1, 1] } }, ErrorCodes.MODEL_INVALID_PREPROCESSING);
  });

  it('warns, when hardening, about layers without second-order gradients', async () => {
    const harden = await loadClassifier(upload('keras2-legacy-sequential.json'));
    expect(harden.info.warnings.join()).toMatch(/MaxPooling2D have no second-order gradients/);
    harden.classifier.model.dispose();
    const evaluate = await loadClassifier({ ...upload('keras2-legacy-sequential.json'), purpose: 'evaluate' });
    expect(evaluate.info.warnings.join()).not.toMatch(/second-order/);
    evaluate.classifier.model.dispose();
  });

  describe('refuses bad uploads with a specific code', () => {
    it('MODEL_NOT_JSON', async () => {
      const e = await rejection({ modelJson: 'PK\u0003\u0004 not a model', shards: {} }, ErrorCodes.MODEL_NOT_JSON);
      expect(e).toBeInstanceOf(ModelFormatError);
    });

    it('MODEL_GRAPH_FORMAT: graph models cannot be hardened', async () => {
      const e = await rejection(upload('graph-model.json'), ErrorCodes.MODEL_GRAPH_FORMAT);
      expect(e).toBeInstanceOf(ModelCompatibilityError);
      expect(e.message).toMatch(/graph models cannot be hardened/);
    });

    it('MODEL_MISSING_SHARD', async () => {
      const input = upload('keras2-functional.json');
      delete input.shards['group1-shard2of2.bin'];
      const e = await rejection(input, ErrorCodes.MODEL_MISSING_SHARD);
      expect(e.message).toContain('"group1-shard2of2.bin"');
    });

    it('MODEL_EXTRA_SHARD', async () => {
      const input = upload('keras2-legacy-sequential.json');
      input.shards['group1-shard1of1.bin'] = new Uint8Array(8);
      const e = await rejection(input, ErrorCodes.MODEL_EXTRA_SHARD);
      expect(e.details).toMatchObject({ extra: ['group1-shard1of1.bin'], listed: ['group1-shard1of1'] });
    });

    it('MODEL_SHARD_SIZE_MISMATCH', async () => {
      const input = upload('keras3-sequential.json');
      input.shards['group1-shard1of1.bin'] = input.shards['group1-shard1of1.bin'].slice(0, -4);
      const e = await rejection(input, ErrorCodes.MODEL_SHARD_SIZE_MISMATCH);
      expect(e.details).toMatchObject({ paths: ['group1-shard1of1.bin'] });
      expect((e.details['expectedBytes'] as number) - (e.details['actualBytes'] as number)).toBe(4);
    });

    it.each(['../group1-shard1of1', 'models/group1-shard1of1', '..\\group1-shard1of1', 'https://cdn.example.com/group1-shard1of1'])(
      'MODEL_UNSAFE_PATH for manifest path %j',
      async (path) => {
        const e = await rejection(upload('keras2-legacy-sequential.json', (j) => (j.weightsManifest[0].paths = [path])), ErrorCodes.MODEL_UNSAFE_PATH);
        expect(e.message).toContain(JSON.stringify(path));
      },
    );

    it('MODEL_UNSUPPORTED_DTYPE for quantized weights', async () => {
      const input = upload('keras2-legacy-sequential.json', (j) => {
        j.weightsManifest[0].weights[4].quantization = { dtype: 'uint8', min: -0.5, scale: 0.004 };
      });
      const e = await rejection(input, ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
      expect(e.message).toMatch(/"dense_2\/kernel" is quantized to uint8/);
    });

    it('MODEL_UNSUPPORTED_DTYPE for an int32 layer weight', async () => {
      const e = await rejection(upload('keras2-legacy-sequential.json', (j) => (j.weightsManifest[0].weights[5].dtype = 'int32')), ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
      expect(e.details).toMatchObject({ weight: 'dense_2/bias', dtype: 'int32' });
    });

    it('MODEL_UNSUPPORTED_DTYPE for a float16 Keras 3 layer', async () => {
      const input = upload('keras3-functional.json', (j) => {
        j.modelTopology.model_config.config.layers[8].config.dtype.config.name = 'float16';
      });
      const e = await rejection(input, ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
      expect(e.message).toMatch(/Layer "dense" has dtype float16/);
    });

    it('MODEL_UNKNOWN_LAYER names every unknown class and its layers', async () => {
      const input = upload('keras2-functional.json', (j) => {
        const layers = j.modelTopology.model_config.config.layers;
        const features = layers.find((l: Json) => l.name === 'features');
        layers.splice(layers.indexOf(features), 0, {
          class_name: 'Lambda',
          config: { name: 'lambda', trainable: true, dtype: 'float32', function: ['4wEAAAAAAAAA', null, null], function_type: 'lambda', module: '__main__', output_shape: null, arguments: {} },
          name: 'lambda',
          inbound_nodes: [[['global_average_pooling2d', 0, 0, {}]]],
        });
        features.inbound_nodes = [[['lambda', 0, 0, {}]]];
        layers[1].class_name = 'CoordinateChannel';
      });
      const e = await rejection(input, ErrorCodes.MODEL_UNKNOWN_LAYER);
      expect(e.message).toMatch(/Lambda \(layer "lambda"\)/);
      expect(e.message).toMatch(/CoordinateChannel \(layer "conv2d"\)/);
      expect(e.details).toMatchObject({ classes: ['CoordinateChannel', 'Lambda'] });
    });

    it('MODEL_INPUT_SHAPE_MISMATCH for images of another size', async () => {
      const e = await rejection({ ...upload('keras2-legacy-sequential.json'), expect: { inputShape: [28, 28, 1] } }, ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH);
      expect(e.message).toMatch(/expects 8x8x1 images but the dataset has 28x28x1 images/);
    });

    it('MODEL_INPUT_SHAPE_MISMATCH for a model over flat vectors', async () => {
      const mlp = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [64], units: 8, activation: 'relu' }), tfl.layers.dense({ units: 10 })] });
      const e = await rejection(await uploadModel(mlp), ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH);
      expect(e.message).toMatch(/\[null, 64\]/);
    });

    it('MODEL_OUTPUT_CLASSES_MISMATCH for another class count', async () => {
      const e = await rejection({ ...upload('keras3-functional.json'), expect: { numClasses: 43 } }, ErrorCodes.MODEL_OUTPUT_CLASSES_MISMATCH);
      expect(e.details).toMatchObject({ modelClasses: 10, expected: 43 });
    });

    it('MODEL_OUTPUT_CLASSES_MISMATCH for a single sigmoid unit', async () => {
      const binary = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [4, 4, 1] }), tfl.layers.dense({ units: 4 }), tfl.layers.dense({ units: 1, activation: 'sigmoid' })] });
      await rejection(await uploadModel(binary), ErrorCodes.MODEL_OUTPUT_CLASSES_MISMATCH);
    });

    it('MODEL_NO_FEATURE_LAYER for an all-convolutional model', async () => {
      const allConv = tfl.sequential({ layers: [tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 10, kernelSize: 3 }), tfl.layers.globalAveragePooling2d({}), tfl.layers.softmax()] });
      await rejection(await uploadModel(allConv), ErrorCodes.MODEL_NO_FEATURE_LAYER);
    });

    it('MODEL_INVALID_TOPOLOGY when the manifest does not match the layers', async () => {
      const e = await rejection(
        upload('keras2-legacy-sequential.json', (j) => (j.weightsManifest[0].weights[4].name = 'dense_9/kernel')),
        ErrorCodes.MODEL_INVALID_TOPOLOGY,
      );
      expect(e.message).toMatch(/no entry for "dense_2\/kernel"/);
    });

    it('MODEL_INVALID_TOPOLOGY when tfjs cannot build a layer from its config', async () => {
      const e = await rejection(
        upload('keras2-legacy-sequential.json', (j) => (j.modelTopology.model_config.config[0].config.padding = 'reflect')),
        ErrorCodes.MODEL_INVALID_TOPOLOGY,
      );
      expect(e.message).toMatch(/TensorFlow.js could not build the model/);
    });
  });
});
