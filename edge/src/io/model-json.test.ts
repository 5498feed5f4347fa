import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, ModelCompatibilityError, ModelFormatError } from '../errors.ts';
import { hasKeras3Markers, parseModelJson } from './model-json.ts';
import { thrown } from './fixtures/thrown.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');


describe('parseModelJson', () => {
  it.each([
    ['tfjs-browser-download.json', 'tfjs', '4.22.0', 'Sequential'],
    ['keras2-legacy-sequential.json', 'keras2', '2.2.2', 'Sequential'],
    ['keras2-functional.json', 'keras2', '2.15.0', 'Functional'],
    ['keras3-sequential.json', 'keras3', '3.13.2', 'Sequential'],
    ['keras3-functional.json', 'keras3', '3.4.1', 'Functional'],
    ['keras3-dotkeras.json', 'keras3', '3.8.0', 'Sequential'],
  ])('%s: producer %s %s, unwraps model_config', (file, producer, version, cls) => {
    const parsed = parseModelJson(fixture(file));
    expect(parsed.producer).toBe(producer);
    expect(parsed.producerVersion).toBe(version);
    expect(parsed.topology['class_name']).toBe(cls);
  });

  it('records that a Keras training_config was present', () => {
    expect(parseModelJson(fixture('keras2-functional.json')).hadTrainingConfig).toBe(true);
    expect(parseModelJson(fixture('tfjs-browser-download.json')).hadTrainingConfig).toBe(false);
  });

  it('keeps the exact bytes it was given for hashing, and accepts a UTF-8 BOM', () => {
    const text = fixture('keras2-legacy-sequential.json');
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    const parsed = parseModelJson(bytes);
    expect(parsed.bytes).toBe(bytes);
    expect(parsed.producer).toBe('keras2');
  });

  it('lets the JSON decide when the version claim and the content disagree', () => {
    const json = JSON.parse(fixture('keras3-functional.json'));
    json.modelTopology.keras_version = '2.15.0';
    expect(parseModelJson(JSON.stringify(json)).producer).toBe('keras3');
  });

  it.each([
    ['garbage text', 'this is not json'],
    ['truncated JSON', fixture('keras2-functional.json').slice(0, 500)],
    ['a JSON array', '[1, 2, 3]'],
    ['a JSON string', '"model"'],
  ])('MODEL_NOT_JSON for %s', (_, input) => {
    const e = thrown(() => parseModelJson(input));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.code).toBe(ErrorCodes.MODEL_NOT_JSON);
  });

  it('MODEL_NOT_JSON for binary data (a weight shard uploaded as model.json)', () => {
    const shard = new Uint8Array(new Float32Array([0.1, -2.5, 3e-7, 1e30]).buffer);
    const e = thrown(() => parseModelJson(shard));
    expect(e.code).toBe(ErrorCodes.MODEL_NOT_JSON);
    expect(e.message).toMatch(/not UTF-8/);
  });

  it('MODEL_GRAPH_FORMAT says graph models cannot be hardened', () => {
    const e = thrown(() => parseModelJson(fixture('graph-model.json'), 'harden'));
    expect(e).toBeInstanceOf(ModelCompatibilityError);
    expect(e.code).toBe(ErrorCodes.MODEL_GRAPH_FORMAT);
    expect(e.message).toMatch(/graph models cannot be hardened/);
    expect(e.details).toMatchObject({ format: 'graph-model', purpose: 'harden' });
  });

  it('MODEL_GRAPH_FORMAT for evaluation too, and for old graph models without a format key', () => {
    const e = thrown(() => parseModelJson(fixture('graph-model.json'), 'evaluate'));
    expect(e.code).toBe(ErrorCodes.MODEL_GRAPH_FORMAT);
    expect(e.message).toMatch(/graph models are not supported/);
    const { format: _, ...noFormat } = JSON.parse(fixture('graph-model.json'));
    expect(thrown(() => parseModelJson(JSON.stringify(noFormat))).code).toBe(ErrorCodes.MODEL_GRAPH_FORMAT);
  });

  it.each([
    ['an unknown format', { format: 'onnx', modelTopology: {}, weightsManifest: [] }, /format "onnx"/],
    ['no modelTopology', { format: 'layers-model', weightsManifest: [] }, /no "modelTopology"/],
    ['a bare Keras config', { class_name: 'Sequential', config: { layers: [] }, keras_version: '2.15.0' }, /bare Keras model config/],
    ['a topology without class_name', { modelTopology: { model_config: { config: {} } }, weightsManifest: [] }, /no model config/],
    ['no weightsManifest', { modelTopology: { class_name: 'Sequential', config: { layers: [] } } }, /no "weightsManifest"/],
  ])('MODEL_INVALID_TOPOLOGY for %s', (_, json, message) => {
    const e = thrown(() => parseModelJson(JSON.stringify(json)));
    expect(e.code).toBe(ErrorCodes.MODEL_INVALID_TOPOLOGY);
    expect(e.message).toMatch(message);
  });
});

describe('hasKeras3Markers', () => {
  it('finds Keras 3 constructs and nothing in Keras 2 or tfjs files', () => {
    const topo = (f: string) => parseModelJson(fixture(f)).topology;
    expect(hasKeras3Markers(topo('keras3-functional.json'))).toBe(true);
    expect(hasKeras3Markers(topo('keras3-sequential.json'))).toBe(true);
    expect(hasKeras3Markers(topo('keras3-dotkeras.json'))).toBe(true);
    expect(hasKeras3Markers(topo('keras2-functional.json'))).toBe(false);
    expect(hasKeras3Markers(topo('keras2-legacy-sequential.json'))).toBe(false);
    expect(hasKeras3Markers(topo('tfjs-browser-download.json'))).toBe(false);
  });
});
