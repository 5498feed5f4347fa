import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.ts';
import { cloneJson, type JsonObject } from './json.ts';
import { rewriteKeras3Topology } from './keras3-topology.ts';
import { modelLayers } from './layer-walk.ts';
import { thrown } from './fixtures/thrown.ts';

const topology = (file: string): JsonObject =>
  JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')).modelTopology.model_config;
const byName = (model: JsonObject) => Object.fromEntries(modelLayers(model).map((l) => [(l['config'] as JsonObject)['name'], l]));
const kt = (layer: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [layer, 0, 0] } });

function functional(layers: JsonObject[], extra: JsonObject = {}): JsonObject {
  return { class_name: 'Functional', config: { name: 'functional', layers, input_layers: [['in', 0, 0]], output_layers: [['out', 0, 0]], ...extra } };
}
const input = { class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', name: 'in' }, name: 'in', inbound_nodes: [] };
const dense = (name: string, nodes: unknown[]) => ({ class_name: 'Dense', config: { name, units: 2 }, name, inbound_nodes: nodes });


describe('rewriteKeras3Topology', () => {
  it('rewrites the Keras 3 Functional fixture into the Keras 2 form tfjs-layers reads', () => {
    const model = topology('keras3-functional.json');
    rewriteKeras3Topology(model);
    const layers = byName(model);
    expect(layers['input_layer']['config']).toEqual({ batch_input_shape: [null, 8, 8, 3], dtype: 'float32', sparse: false, name: 'input_layer' });
    expect(layers['conv2d']['inbound_nodes']).toEqual([[['input_layer', 0, 0, {}]]]);
    // `mask: None` kwargs carry nothing and are dropped.
    expect(layers['batch_normalization']['inbound_nodes']).toEqual([[['conv2d', 0, 0, {}]]]);
    // Add is called with one list argument holding two tensors: one node with two inputs.
    expect(layers['add']['inbound_nodes']).toEqual([[['activation', 0, 0, {}], ['conv2d_1', 0, 0, {}]]]);
    expect((model['config'] as JsonObject)['output_layers']).toEqual([['softmax', 0, 0]]);
    expect(JSON.stringify(model)).not.toContain('__keras_tensor__');
  });

  it('drops build_config and compile_config of a .keras config', () => {
    const model = topology('keras3-dotkeras.json');
    expect(model['compile_config']).toBeDefined();
    rewriteKeras3Topology(model);
    expect(JSON.stringify(model)).not.toMatch(/build_config|compile_config/);
  });

  it('leaves Keras 2 topologies as they are', () => {
    const model = topology('keras2-functional.json');
    const before = cloneJson(model);
    rewriteKeras3Topology(model);
    expect(model).toEqual(before);
  });

  it('keeps non-tensor kwargs such as training=False (a frozen base model call)', () => {
    const model = functional([input, dense('out', [{ args: [kt('in')], kwargs: { training: false, mask: null } }])]);
    rewriteKeras3Topology(model);
    expect(byName(model)['out']['inbound_nodes']).toEqual([[['in', 0, 0, { training: false }]]]);
  });

  it('wraps the flattened single-input nodes and flat input/output triples of early converters (tfjs#1688)', () => {
    const model = functional([{ ...input, config: { batch_input_shape: [null, 4], name: 'in' } }, dense('out', [['in', 0, 0, {}]])], {
      input_layers: ['in', 0, 0],
      output_layers: { logits: ['out', 0, 0] },
    });
    rewriteKeras3Topology(model);
    expect(byName(model)['out']['inbound_nodes']).toEqual([[['in', 0, 0, {}]]]);
    expect((model['config'] as JsonObject)['input_layers']).toEqual([['in', 0, 0]]);
    expect((model['config'] as JsonObject)['output_layers']).toEqual([['out', 0, 0]]);
  });

  it('rewrites nested models too', () => {
    const inner = functional([input, dense('out', [{ args: [kt('in')], kwargs: {} }])]);
    const model = functional([input, { ...inner, name: 'functional', inbound_nodes: [{ args: [kt('in')], kwargs: {} }] }]);
    rewriteKeras3Topology(model);
    const nested = byName(model)['functional'];
    expect(nested['inbound_nodes']).toEqual([[['in', 0, 0, {}]]]);
    expect(byName(nested)['out']['inbound_nodes']).toEqual([[['in', 0, 0, {}]]]);
  });

  it.each([
    ['a tensor passed as a keyword argument', { args: [kt('in')], kwargs: { mask: kt('in') } }, /keyword argument "mask"/],
    ['a constant positional argument', { args: [kt('in'), 2], kwargs: {} }, /non-tensor positional argument 2/],
    ['no tensor at all', { args: [], kwargs: {} }, /no tensor inputs/],
    ['a tensor without keras_history', { args: [{ class_name: '__keras_tensor__', config: { shape: [null, 4] } }], kwargs: {} }, /keras_history/],
  ])('MODEL_INVALID_TOPOLOGY for %s, naming the layer', (_, node, message) => {
    const e = thrown(() => rewriteKeras3Topology(functional([input, dense('out', [node])])));
    expect(e.code).toBe(ErrorCodes.MODEL_INVALID_TOPOLOGY);
    expect(e.message).toMatch(/Layer "out"/);
    expect(e.message).toMatch(message);
  });

  it('MODEL_INVALID_TOPOLOGY for input_layers that are not tensor references', () => {
    const e = thrown(() => rewriteKeras3Topology(functional([input], { input_layers: [['in', 'zero', 0]] })));
    expect(e.code).toBe(ErrorCodes.MODEL_INVALID_TOPOLOGY);
  });
});
