import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeCifar10 } from '../datasets/cifar10.ts';
import { tinyIdxDataset, tinyModelFiles, UPLOAD_DATASET, UPLOAD_MODEL } from './testing/fixtures.ts';
import { gqlMultipart, multipart, startTestServer } from './testing/server.ts';

/** Every bad upload from the foundation issue, through yoga.fetch with real FormData. */

let server: Awaited<ReturnType<typeof startTestServer>>;
let model: { modelJson: string; weightsBin: Uint8Array };
let idx: { images: Uint8Array; labels: Uint8Array };

beforeAll(async () => {
  server = await startTestServer();
  model = await tinyModelFiles();
  idx = await tinyIdxDataset(100);
});
afterAll(() => server.dispose());

function artifactFiles(): string[] {
  const root = join(server.dataDir, 'artifacts');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}
const countRows = async (table: 'models' | 'datasets') => Number((await server.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

type Files = Record<string, { name: string; bytes: Uint8Array | string }>;
const json = () => JSON.parse(model.modelJson) as Record<string, any>;
const upload = (modelJson: string | Uint8Array, weights: { name: string; bytes: Uint8Array }[], extra: Record<string, unknown> = {}) => {
  const files: Files = { 'input.modelJson': { name: 'model.json', bytes: modelJson } };
  weights.forEach((w, i) => (files[`input.weights.${i}`] = w));
  return gqlMultipart(server.yoga, server.token, multipart(UPLOAD_MODEL, { input: { name: 'm', modelJson: null, weights: weights.map(() => null), ...extra } }, files));
};
const weights = () => [{ name: 'weights.bin', bytes: model.weightsBin }];

const BAD_MODELS: [string, string, () => ReturnType<typeof upload>][] = [
  ['MODEL_NOT_JSON', 'ModelFormatError', () => upload(model.weightsBin, weights())],
  ['MODEL_GRAPH_FORMAT', 'ModelCompatibilityError', () => upload(readFileSync(createRequire(import.meta.url).resolve('@temper/edge/fixtures/graph-model.json'), 'utf8'), [])],
  ['MODEL_MISSING_SHARD', 'ModelFormatError', () => upload(model.modelJson, [])],
  ['MODEL_EXTRA_SHARD', 'ModelFormatError', () => upload(model.modelJson, [...weights(), { name: 'extra.bin', bytes: new Uint8Array(8) }])],
  ['MODEL_SHARD_SIZE_MISMATCH', 'ModelFormatError', () => upload(model.modelJson, [{ name: 'weights.bin', bytes: model.weightsBin.slice(0, 100) }])],
  ['MODEL_UNSAFE_PATH', 'ModelFormatError', () => { const j = json(); j.weightsManifest[0].paths = ['../weights.bin']; return upload(JSON.stringify(j), weights()); }],
  ['MODEL_UNSUPPORTED_DTYPE', 'ModelFormatError', () => { const j = json(); j.weightsManifest[0].weights[0].dtype = 'complex64'; return upload(JSON.stringify(j), weights()); }],
  ['MODEL_INVALID_TOPOLOGY', 'ModelFormatError', () => { const j = json(); delete j.modelTopology; return upload(JSON.stringify(j), weights()); }],
  ['MODEL_UNKNOWN_LAYER', 'ModelFormatError', () => { const j = json(); const layers = (j.modelTopology.model_config ?? j.modelTopology).config.layers; layers[1].class_name = 'FancyLayer'; return upload(JSON.stringify(j), weights()); }],
  ['MODEL_INVALID_PREPROCESSING', 'ModelFormatError', () => upload(model.modelJson, weights(), { preprocessing: { mean: 'gray' } })],
  ['MODEL_NO_FEATURE_LAYER', 'ModelCompatibilityError', () => upload(model.modelJson, weights(), { featureLayer: 'no-such-layer' })],
  ['UPLOAD_DUPLICATE_FILE', 'UploadError', () => upload(model.modelJson, [...weights(), ...weights()])],
];

const uploadDataset = (input: Record<string, unknown>, files: Files) =>
  gqlMultipart(server.yoga, server.token, multipart(UPLOAD_DATASET, { input: { name: 'd', format: 'IDX', ...input } }, files));
const idxFiles = (images: Uint8Array, labels: Uint8Array): Files => ({ 'input.images': { name: 'images.idx', bytes: images }, 'input.labels': { name: 'labels.idx', bytes: labels } });

const BAD_DATASETS: [string, string, () => ReturnType<typeof uploadDataset>][] = [
  ['DATASET_BAD_MAGIC', 'DatasetFormatError', () => uploadDataset({}, idxFiles(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), idx.labels))],
  ['DATASET_TRUNCATED', 'DatasetFormatError', () => uploadDataset({}, idxFiles(idx.images.slice(0, 1000), idx.labels))],
  ['DATASET_COUNT_MISMATCH', 'DatasetFormatError', () => uploadDataset({}, idxFiles(idx.images, (() => { const l = Buffer.from(idx.labels.slice(0, 8 + 50)); l.writeUInt32BE(50, 4); return new Uint8Array(l); })()))],
  ['DATASET_LABEL_OUT_OF_RANGE', 'DatasetFormatError', () => uploadDataset({ numClasses: 5 }, idxFiles(idx.images, idx.labels))],
  ['DATASET_INVALID_SPLIT', 'DatasetError', () => uploadDataset({ trainSize: 90, testSize: 20 }, idxFiles(idx.images, idx.labels))],
  ['UPLOAD_MISSING_FILE', 'UploadError', () => uploadDataset({}, { 'input.images': { name: 'images.idx', bytes: idx.images } })],
  ['DATASET_TRUNCATED', 'DatasetFormatError', () => uploadDataset({ format: 'CIFAR10' }, { 'input.batches.0': { name: 'data_batch_1.bin', bytes: new Uint8Array(3073 * 2 + 5) } })],
];

describe('uploadModel', () => {
  test.each(BAD_MODELS)('%s surfaces as a %s result and stores nothing', async (code, typename, run) => {
    const r = await run();
    expect(r.errors).toBeUndefined();
    expect(r.data!.uploadModel).toMatchObject({ __typename: typename, code });
    expect(artifactFiles()).toEqual([]);
    expect(await countRows('models')).toBe(0);
  });

  test('a good upload is stored content-addressed and described', async () => {
    const r = await upload(model.modelJson, weights());
    const m = r.data!.uploadModel;
    expect(m.__typename).toBe('MutationUploadModelSuccess');
    expect(m.data).toMatchObject({ name: 'm', inputShape: [28, 28, 1], numClasses: 10, featureLayer: 'features' });
    expect(m.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(artifactFiles()).toHaveLength(2);
    // The same bytes again: a second model, the same two artifacts.
    await upload(model.modelJson, weights());
    expect(artifactFiles()).toHaveLength(2);
    expect(await countRows('models')).toBe(2);
  });
});

describe('uploadDataset', () => {
  test.each(BAD_DATASETS)('%s surfaces as a %s result and stores nothing', async (code, typename, run) => {
    const before = artifactFiles().length;
    const datasets = await countRows('datasets');
    const r = await run();
    expect(r.errors).toBeUndefined();
    expect(r.data!.uploadDataset).toMatchObject({ __typename: typename, code });
    expect(artifactFiles()).toHaveLength(before);
    expect(await countRows('datasets')).toBe(datasets);
  });

  test('IDX and CIFAR-10 uploads parse and split', async () => {
    const a = await uploadDataset({}, idxFiles(idx.images, idx.labels));
    expect(a.data!.uploadDataset.data).toMatchObject({ count: 100, trainSize: 80, testSize: 20, inputShape: [28, 28, 1], numClasses: 10 });
    const images = new Float32Array(20 * 32 * 32 * 3).map((_, i) => (i % 255) / 255);
    const labels = Int32Array.from({ length: 20 }, (_, i) => i % 10);
    const batch = encodeCifar10({ name: 'c', images, labels, count: 20, height: 32, width: 32, channels: 3, numClasses: 10 });
    const b = await uploadDataset({ format: 'CIFAR10', testSize: 10 }, { 'input.batches.0': { name: 'data_batch_1.bin', bytes: batch } });
    expect(b.data!.uploadDataset.data).toMatchObject({ count: 20, trainSize: 10, testSize: 10, inputShape: [32, 32, 3] });
  });
});

test('a body over the limit is refused with 413 before it is read', async () => {
  const small = await startTestServer({ bodyLimitBytes: 64 * 1024 });
  try {
    const form = multipart(UPLOAD_MODEL, { input: { name: 'big', modelJson: null, weights: [null] } }, { 'input.modelJson': { name: 'model.json', bytes: model.modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: new Uint8Array(200 * 1024) } });
    const body = new Response(form);
    const bytes = new Uint8Array(await body.arrayBuffer());
    const res = await small.yoga.fetch('http://temper.test/graphql', { method: 'POST', headers: { authorization: `Bearer ${small.token}`, 'content-type': body.headers.get('content-type')!, 'content-length': String(bytes.byteLength) }, body: bytes });
    expect(res.status).toBe(413);
  } finally {
    await small.dispose();
  }
});

test('a chunked body (no declared length) is cut off with 413 once it passes the limit', async () => {
  const small = await startTestServer({ bodyLimitBytes: 64 * 1024 });
  try {
    const json = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(100 * 1024) } });
    const chunks = [json.slice(0, 50_000), json.slice(50_000)].map((c) => new TextEncoder().encode(c));
    const body = new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) });
    const res = await small.yoga.fetch('http://temper.test/graphql', { method: 'POST', headers: { authorization: `Bearer ${small.token}`, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    const ok = await small.yoga.fetch('http://temper.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Blob([JSON.stringify({ query: '{ __typename }' })]).stream(), duplex: 'half' } as RequestInit);
    expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
  } finally {
    await small.dispose();
  }
});

test('the default body limit fits a 100 MB model (yoga alone would stop at its own defaults)', () => {
  expect(server.config.bodyLimitBytes).toBeGreaterThanOrEqual(110 * 1024 * 1024);
});
