import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.ts';
import { cloneJson, type JsonObject } from './json.ts';
import { layerName, modelLayers } from './layer-walk.ts';
import { normalizeTopology } from './normalize-topology.ts';
import { thrown } from './fixtures/thrown.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const topology = (file: string): JsonObject =>
  JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')).modelTopology.model_config;
const config = (model: JsonObject, name: string) => modelLayers(model).find((l) => layerName(l) === name)!['config'] as JsonObject;

function sequential(layers: JsonObject[], extra: JsonObject = {}): JsonObject {
  return { class_name: 'Sequential', config: { name: 'sequential', layers, ...extra } };
}
const inputLayer = (dtype: unknown = 'float32') => ({ class_name: 'InputLayer', config: { batch_shape: [null, 8, 8, 3], dtype, name: 'input_layer' } });
const withDtype = (cls: string, dtype: unknown, extra: JsonObject = {}) => ({ class_name: cls, config: { name: 'layer', dtype, ...extra } });


async function buildsInTfjs(model: JsonObject): Promise<string> {
  try {
    const m = await tfl.models.modelFromJSON({ modelTopology: model } as never);
    m.dispose();
    return 'ok';
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

describe('normalizeTopology', () => {
  it.each([
    ['keras3-functional.json', 'An InputLayer should be passed either a `batchInputShape` or an `inputShape`.'],
    ['keras3-sequential.json', 'An InputLayer should be passed either a `batchInputShape` or an `inputShape`.'],
    ['keras3-dotkeras.json', 'An InputLayer should be passed either a `batchInputShape` or an `inputShape`.'],
    ['keras2-functional.json', 'Unknown regularizer: L2. This may be due to one of the following reasons:'],
  ])('%s fails in tfjs-layers 4.22 as published ("%s") and builds once normalized', async (file, tfjsError) => {
    const raw = topology(file);
    expect(await buildsInTfjs(raw)).toBe(tfjsError);
    expect(await buildsInTfjs(normalizeTopology(raw).topology)).toBe('ok');
  });

  it('does not modify its input', () => {
    const raw = topology('keras3-functional.json');
    const before = cloneJson(raw);
    normalizeTopology(raw);
    expect(raw).toEqual(before);
  });

  it('turns DTypePolicy objects into dtype strings and drops module/registered_name everywhere', () => {
    const { topology: t, warnings } = normalizeTopology(topology('keras3-sequential.json'));
    expect(config(t, 'conv2d')['dtype']).toBe('float32');
    expect((t['config'] as JsonObject)['dtype']).toBe('float32');
    expect(JSON.stringify(t)).not.toMatch(/"module"|"registered_name"|DTypePolicy/);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['Keras 3', { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' }, registered_name: null }],
    ['Keras 2', { class_name: 'Policy', config: { name: 'mixed_bfloat16' } }],
    ['Keras 3.0 string', 'mixed_float16'],
  ])('computes %s mixed-precision layers in float32, with a warning', (_, policy) => {
    const { topology: t, warnings } = normalizeTopology(sequential([inputLayer(), withDtype('Dense', policy, { units: 2 })]));
    expect(config(t, 'layer')['dtype']).toBe('float32');
    expect(warnings.join()).toMatch(/Layer "layer" was trained with the mixed_\w+ policy/);
  });

  it.each([
    ['a float16 policy', { class_name: 'DTypePolicy', config: { name: 'float16' } }],
    ['an int8 quantized policy', { class_name: 'QuantizedDTypePolicy', config: { mode: 'int8', source_name: 'float32' } }],
    ['float64', 'float64'],
    ['bfloat16', 'bfloat16'],
  ])('MODEL_UNSUPPORTED_DTYPE for a layer with %s, naming it', (_, dtype) => {
    const e = thrown(() => normalizeTopology(sequential([inputLayer(), withDtype('Dense', dtype, { units: 2 })])));
    expect(e.code).toBe(ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
    expect(e.message).toMatch(/Layer "layer"/);
  });

  it('feeds a uint8-declared input float32, with a warning', () => {
    const { topology: t, warnings } = normalizeTopology(sequential([inputLayer('uint8'), withDtype('Flatten', 'float32')]));
    expect(config(t, 'input_layer')['dtype']).toBe('float32');
    expect(warnings.join()).toMatch(/Input "input_layer" was declared uint8/);
  });

  it('rewrites tf.keras list axes, L1/L2 regularizers and the silu activation name', () => {
    const model = sequential([
      inputLayer(),
      { class_name: 'BatchNormalization', config: { name: 'bn', axis: [3] } },
      { class_name: 'Dense', config: { name: 'd', units: 2, activation: 'silu', kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null } } },
      { class_name: 'Dense', config: { name: 'e', units: 2, bias_regularizer: { class_name: 'L1', config: { l1: 0.5 } } } },
    ]);
    const { topology: t } = normalizeTopology(model);
    expect(config(t, 'bn')['axis']).toBe(3);
    expect(config(t, 'd')['activation']).toBe('swish');
    expect(config(t, 'd')['kernel_regularizer']).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
    expect(config(t, 'e')['bias_regularizer']).toEqual({ class_name: 'L1L2', config: { l1: 0.5, l2: 0 } });
  });

  it('moves a Sequential build_input_shape onto the first layer', () => {
    const { topology: t } = normalizeTopology(sequential([{ class_name: 'Flatten', config: { name: 'flatten' } }], { build_input_shape: [null, 4, 4, 1] }));
    expect(config(t, 'flatten')['batch_input_shape']).toEqual([null, 4, 4, 1]);
  });

  it.each([
    ['a grouped convolution', { class_name: 'Conv2D', config: { name: 'c', filters: 4, kernel_size: [3, 3], groups: 2 } }, /groups=2/],
    ['keepdims pooling', { class_name: 'GlobalAveragePooling2D', config: { name: 'c', keepdims: true } }, /keepdims/],
    ['a leaky ReLU layer', { class_name: 'ReLU', config: { name: 'c', negative_slope: 0.1, threshold: 0 } }, /negative_slope/],
    ['BN over two axes', { class_name: 'BatchNormalization', config: { name: 'c', axis: [1, 3] } }, /several axes/],
  ])('MODEL_INVALID_TOPOLOGY for %s tfjs would compute differently', (_, layer, message) => {
    const e = thrown(() => normalizeTopology(sequential([inputLayer(), layer])));
    expect(e.code).toBe(ErrorCodes.MODEL_INVALID_TOPOLOGY);
    expect(e.message).toMatch(/Layer "c"/);
    expect(e.message).toMatch(message);
  });
});
