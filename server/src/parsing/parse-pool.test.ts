import { afterAll, expect, test } from 'vitest';
import { ModelFormatError } from '@temper/edge';
import { tinyModelFiles } from '../api/testing/fixtures.ts';
import { ParsePool } from './parse-pool.ts';

/** The parse threads: typed errors cross back as their classes, and a budget overrun ends the thread, not the caller. */

const pools: ParsePool[] = [];
const pool = (o: Partial<ConstructorParameters<typeof ParsePool>[0]> = {}) => {
  const p = new ParsePool({ threads: 1, timeoutMs: 60_000, memoryMb: 512, ...o });
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

test('a valid model comes back described; a bad one as the ModelFormatError the loader threw', async () => {
  const p = pool();
  const { modelJson, weightsBin } = await tinyModelFiles(1);
  const info = await p.run({ kind: 'model', modelJson: new TextEncoder().encode(modelJson), shards: { 'weights.bin': weightsBin } });
  expect(info).toMatchObject({ inputShape: [28, 28, 1], numClasses: 10, featureLayer: 'features' });
  const bad = await p.run({ kind: 'model', modelJson: new TextEncoder().encode('{"modelTopology":'), shards: {} }).catch((e) => e);
  expect(bad).toBeInstanceOf(ModelFormatError);
  expect(bad.code).toBe('MODEL_NOT_JSON');
});

test('a check that runs past the time budget is MODEL_TOO_COMPLEX, and the next one runs on a fresh thread', async () => {
  const p = pool({ timeoutMs: 1 });
  const { modelJson, weightsBin } = await tinyModelFiles(1);
  const task = { kind: 'model' as const, modelJson: new TextEncoder().encode(modelJson), shards: { 'weights.bin': weightsBin } };
  const e = await p.run(task).catch((x) => x);
  expect(e).toBeInstanceOf(ModelFormatError);
  expect(e).toMatchObject({ code: 'MODEL_TOO_COMPLEX', details: { limit: 'TEMPER_PARSE_TIMEOUT_S' } });
  (p.options as { timeoutMs: number }).timeoutMs = 60_000;
  expect((await p.run(task)).numClasses).toBe(10);
});

test('a check that needs more heap than the budget is MODEL_TOO_COMPLEX, not a crash of the API', async () => {
  const p = pool({ memoryMb: 64 });
  // 1.5 million small objects in one JSON array: 15 MB of bytes, over 100 MB of heap once parsed.
  const huge = new TextEncoder().encode(`{"format":"layers-model","modelTopology":{"junk":[${'{"k":[1]},'.repeat(1_500_000)}1]},"weightsManifest":[]}`);
  const e = await p.run({ kind: 'model', modelJson: huge, shards: {} }).catch((x) => x);
  expect(e).toMatchObject({ code: 'MODEL_TOO_COMPLEX', details: { limit: 'TEMPER_PARSE_MEMORY_MB' } });
}, 60_000);
