import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, type ErrorCode, type TemperError } from '../errors.ts';
import { synthesizeWeights } from './fixtures/synthetic-weights.ts';
import { loadClassifier } from './load.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Json = Record<string, any>;

/** keras2-functional.json, edited; its shards are synthesized from the unedited manifest (the attack keeps real weights). */
function functional(edit: (layers: Json[], config: Json) => void): { modelJson: string; shards: Record<string, Uint8Array> } {
  const json = JSON.parse(readFileSync(new URL('./fixtures/keras2-functional.json', import.meta.url), 'utf8'));
  const shards = { ...synthesizeWeights(json).shards };
  const config = json.modelTopology.model_config.config;
  edit(config.layers, config);
  return { modelJson: JSON.stringify(json), shards };
}

/**
 * Each of these made tfjs-layers' Container.fromConfig loop forever (or allocate hundreds of MB) in
 * the API process. The check must answer fast, with a typed error; a hang fails on the race's timer.
 */
async function refusedFast(input: { modelJson: string; shards: Record<string, Uint8Array> }, code: ErrorCode): Promise<TemperError> {
  const started = performance.now();
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('loadClassifier did not answer within 2 s')), 2000));
  const outcome = await Promise.race([loadClassifier(input).then(() => null, (e: unknown) => e), timer]);
  expect(outcome, `expected ${code}`).not.toBeNull();
  expect((outcome as TemperError).code).toBe(code);
  expect(performance.now() - started).toBeLessThan(2000);
  return outcome as TemperError;
}

describe('topology soundness: what used to hang or explode the API', () => {
  it('an inbound node naming a layer that does not exist', async () => {
    const e = await refusedFast(functional((layers) => (layers.at(-1)!.inbound_nodes = [[['nonexistent', 0, 0, {}]]])), ErrorCodes.MODEL_INVALID_TOPOLOGY);
    expect(e.message).toMatch(/"nonexistent", which is not a layer/);
  });

  it('two layers that feed each other', async () => {
    const e = await refusedFast(
      functional((layers) => {
        const conv = layers.find((l) => l.name === 'conv2d_1')!;
        const add = layers.find((l) => l.name === 'add')!;
        conv.inbound_nodes = [[['add', 0, 0, {}]]];
        add.inbound_nodes = [[['re_lu', 0, 0, {}], ['conv2d_1', 0, 0, {}]]];
      }),
      ErrorCodes.MODEL_INVALID_TOPOLOGY,
    );
    expect(e.message).toMatch(/cycle/);
  });

  // Found by test/hostile.test.ts's fuzz: each ran into the parse thread's time budget.
  it('a layer that is not an input and takes no input (inbound_nodes [] or an empty call)', async () => {
    await refusedFast(functional((layers) => (layers[1].inbound_nodes = [])), ErrorCodes.MODEL_INVALID_TOPOLOGY);
    await refusedFast(functional((layers) => (layers[1].inbound_nodes = [[]])), ErrorCodes.MODEL_INVALID_TOPOLOGY);
    const e = await refusedFast(functional((layers) => (layers[0].class_name = 'Concatenate')), ErrorCodes.MODEL_INVALID_TOPOLOGY);
    expect(e.message).toContain('only an InputLayer');
  });

  it('a layer without its top-level name (the name tfjs resolves inbound nodes by)', async () => {
    await refusedFast(functional((layers) => delete layers[1].name), ErrorCodes.MODEL_INVALID_TOPOLOGY);
  });

  it('a node index the layer never produced', async () => {
    await refusedFast(functional((layers) => (layers.at(-1)!.inbound_nodes = [[['dense', 3, 0, {}]]])), ErrorCodes.MODEL_INVALID_TOPOLOGY);
  });

  it('an output layer that does not exist', async () => {
    await refusedFast(functional((_, config) => (config.output_layers = [['ghost', 0, 0]])), ErrorCodes.MODEL_INVALID_TOPOLOGY);
  });

  it('a Dense layer far larger than the weights uploaded with it', async () => {
    const e = await refusedFast(functional((layers) => (layers.find((l) => l.name === 'features')!.config.units = 200_000)), ErrorCodes.MODEL_TOO_COMPLEX);
    expect(e.details).toMatchObject({ key: 'units', value: 200_000 });
  });

  it('the unedited model still loads', async () => {
    const loaded = await loadClassifier(functional(() => {}));
    loaded.classifier.model.dispose();
  });
});

describe('weights that load but mean nothing', () => {
  it('NaN and infinite weights load with a warning that counts them and names their layers', async () => {
    const input = functional(() => {});
    const shard = Object.keys(input.shards)[0];
    const bytes = new Uint8Array(input.shards[shard]);
    const view = new Float32Array(bytes.buffer, bytes.byteOffset, 3);
    view[0] = Number.NaN;
    view[1] = Number.POSITIVE_INFINITY;
    const loaded = await loadClassifier({ ...input, shards: { ...input.shards, [shard]: bytes } });
    loaded.classifier.model.dispose();
    expect(loaded.info.warnings.join('\n')).toMatch(/2 weight values are NaN or infinite \(in [\w/]+\)/);
  });
});
