import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.ts';
import { assignWeights, toSnakeCase } from './weight-names.ts';
import { thrown } from './fixtures/thrown.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const models: tfl.LayersModel[] = [];
afterEach(() => models.splice(0).forEach((m) => m.dispose()));

/** input → conv ("stem") → bn → flatten → dense ("features") → dense ("logits") */
function cnn(): tfl.LayersModel {
  const m = tfl.sequential({
    name: 'sequential',
    layers: [
      tfl.layers.conv2d({ name: 'stem', inputShape: [4, 4, 1], filters: 2, kernelSize: 3 }),
      tfl.layers.batchNormalization({ name: 'bn' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ name: 'features', units: 3 }),
      tfl.layers.dense({ name: 'logits', units: 2 }),
    ],
  });
  models.push(m);
  return m;
}
const shapes: Record<string, number[]> = {
  'stem/kernel': [3, 3, 1, 2], 'stem/bias': [2],
  'bn/gamma': [2], 'bn/beta': [2], 'bn/moving_mean': [2], 'bn/moving_variance': [2],
  'features/kernel': [8, 3], 'features/bias': [3], 'logits/kernel': [3, 2], 'logits/bias': [2],
};
const spec = (name: string, shape: number[], extra: Partial<tf.io.WeightsManifestEntry> = {}): tf.io.WeightsManifestEntry => ({ name, shape, dtype: 'float32', ...extra });
/** The model's weights, by original name, in the order assignWeights must return them. */
const modelOrder = (m: tfl.LayersModel) => m.weights.map((w) => w.originalName);


describe('toSnakeCase (Keras naming.to_snake_case)', () => {
  it.each([
    ['Dense', 'dense'], ['Conv2D', 'conv2d'], ['BatchNormalization', 'batch_normalization'],
    ['DepthwiseConv2D', 'depthwise_conv2d'], ['SeparableConv2D', 'separable_conv2d'], ['ReLU', 're_lu'], ['Functional', 'functional'],
  ])('%s → %s', (cls, snake) => expect(toSnakeCase(cls)).toBe(snake));
});

describe('assignWeights', () => {
  it('exact: tfjs and Keras 2 names, in any manifest order (Keras 2 writes layers alphabetically)', () => {
    const m = cnn();
    const specs = Object.keys(shapes).sort().map((n) => spec(n, shapes[n]));
    const a = assignWeights(m, specs);
    expect(a.scheme).toBe('exact');
    expect(a.specIndex.map((i) => specs[i].name)).toEqual(modelOrder(m));
    expect(a.unused).toEqual([]);
  });

  it('suffix: Keras 3 HDF5 variable paths "sequential/dense/kernel"', () => {
    const m = cnn();
    const specs = Object.keys(shapes).map((n) => spec(`sequential/${n}`, shapes[n]));
    const a = assignWeights(m, specs);
    expect(a.scheme).toBe('suffix');
    expect(a.specIndex.map((i) => specs[i].name)).toEqual(modelOrder(m).map((n) => `sequential/${n}`));
  });

  it('suffix: mixed prefixes, as when a pre-built base model sits inside a Keras 3 Sequential', () => {
    const m = cnn();
    const specs = Object.keys(shapes).map((n) => spec(n.startsWith('logits') ? `sequential/${n}` : n, shapes[n]));
    expect(assignWeights(m, specs).scheme).toBe('suffix');
  });

  it('does not guess when two manifest names end with the same weight name', () => {
    const specs = [...Object.keys(shapes).map((n) => spec(`sequential/${n}`, shapes[n])), spec('other/logits/bias', [2])];
    const e = thrown(() => assignWeights(cnn(), specs));
    expect(e.code).toBe(ErrorCodes.MODEL_INVALID_TOPOLOGY);
    expect(e.message).toMatch(/several entries could be "logits\/bias"/);
  });

  it('keras3-vars: "layers/<class>_<k>/vars/<i>" by class counter, not layer name; optimizer state unused', () => {
    const m = cnn();
    const vars: Array<[string, string]> = [
      ['layers/conv2d/vars/0', 'stem/kernel'], ['layers/conv2d/vars/1', 'stem/bias'],
      ['layers/batch_normalization/vars/0', 'bn/gamma'], ['layers/batch_normalization/vars/1', 'bn/beta'],
      ['layers/batch_normalization/vars/2', 'bn/moving_mean'], ['layers/batch_normalization/vars/3', 'bn/moving_variance'],
      ['layers/dense/vars/0', 'features/kernel'], ['layers/dense/vars/1', 'features/bias'],
      ['layers/dense_1/vars/0', 'logits/kernel'], ['layers/dense_1/vars/1', 'logits/bias'],
    ];
    const specs = [...vars.map(([v, n]) => spec(v, shapes[n])), spec('optimizer/vars/0', [], { dtype: 'int32' }), spec('optimizer/vars/1', [])];
    const a = assignWeights(m, specs);
    expect(a.scheme).toBe('keras3-vars');
    const expected = Object.fromEntries(vars.map(([v, n]) => [n, v]));
    expect(a.specIndex.map((i) => specs[i].name)).toEqual(modelOrder(m).map((n) => expected[n]));
    expect(a.unused).toEqual(['optimizer/vars/0', 'optimizer/vars/1']);
  });

  it('keras-vars-by-name: the tf.keras 2.13 .keras layout addressed by layer names', () => {
    const m = cnn();
    const specs = Object.keys(shapes).map((n) => {
      const [layer, w] = n.split('/');
      const index = { kernel: 0, bias: 1, gamma: 0, beta: 1, moving_mean: 2, moving_variance: 3 }[w]!;
      return spec(`_layer_checkpoint_dependencies/${layer}/vars/${index}`, shapes[n]);
    });
    expect(assignWeights(m, specs).scheme).toBe('keras-vars-by-name');
  });

  it('follows nested models: "layers/sequential/layers/dense/vars/0"', () => {
    const inner = tfl.sequential({ name: 'backbone', layers: [tfl.layers.dense({ name: 'hidden', inputShape: [4], units: 3 })] });
    const input = tfl.input({ shape: [4] });
    const out = tfl.layers.dense({ name: 'head', units: 2 }).apply(inner.apply(input)) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: input, outputs: out });
    models.push(m);
    const specs = [spec('layers/sequential/layers/dense/vars/0', [4, 3]), spec('layers/sequential/layers/dense/vars/1', [3]), spec('layers/dense/vars/0', [3, 2]), spec('layers/dense/vars/1', [2])];
    const a = assignWeights(m, specs);
    expect(a.scheme).toBe('keras3-vars');
    expect(a.specIndex).toEqual([0, 1, 2, 3]);
  });

  it('MODEL_INVALID_TOPOLOGY names weights the manifest lacks', () => {
    const specs = Object.keys(shapes).filter((n) => !n.startsWith('logits')).map((n) => spec(n, shapes[n]));
    const e = thrown(() => assignWeights(cnn(), specs));
    expect(e.code).toBe(ErrorCodes.MODEL_INVALID_TOPOLOGY);
    expect(e.message).toMatch(/no entry for "logits\/kernel" \[3,2\]/);
  });

  it('MODEL_INVALID_TOPOLOGY names a weight stored with another shape', () => {
    const specs = Object.keys(shapes).map((n) => spec(n, n === 'logits/kernel' ? [3, 5] : shapes[n]));
    const e = thrown(() => assignWeights(cnn(), specs));
    expect(e.code).toBe(ErrorCodes.MODEL_INVALID_TOPOLOGY);
    expect(e.message).toMatch(/"logits\/kernel" is \[3,5\] but layer weight "logits\/kernel" is \[3,2\]/);
  });
});
