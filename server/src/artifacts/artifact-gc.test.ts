import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NewModel } from '../store/store.ts';
import { Store } from '../store/store.ts';
import { discardUnreferenced, sweepArtifacts } from './artifact-gc.ts';
import { FileArtifactStore, type ArtifactStore } from './artifact-store.ts';
import { DatabaseArtifactStore } from './database-artifact-store.ts';

/** Reference counting across models, datasets and edge checks, and the grace that protects writers in flight. */

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'temper-gc-'));
  store = await Store.open(':memory:');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (s: string) => new TextEncoder().encode(s);
const model = (ownerId: string, files: { name: string; artifact: string }[]): NewModel => ({
  ownerId,
  name: 'm',
  source: 'UPLOADED',
  format: 'layers-model',
  producer: null,
  inputShape: [2, 2, 1],
  numClasses: 2,
  parameterCount: 1,
  sha256: 'x',
  featureLayer: 'f',
  outputsWereSoftmax: false,
  preprocessing: null,
  architecture: null,
  files: files.map((f) => ({ ...f, bytes: 1 })),
  warnings: [],
  createdByJobId: null,
});

describe.each([
  ['files', () => new FileArtifactStore(dir)],
  ['database rows', () => new DatabaseArtifactStore(store.db)],
] as [string, () => ArtifactStore][])('artifacts as %s', (_name, make) => {
  test('deleteModel keeps what a dataset, an edge check or another owner\'s model of the same bytes uses', async () => {
    const artifacts = make();
    const gc = { store, artifacts, graceMs: 0 };
    const alice = await store.ensureOwner('alice');
    const bob = await store.ensureOwner('bob');
    const labels = await artifacts.put(bytes('labels: the same bytes as a shard of bob\'s model'));
    const images = await artifacts.put(bytes('images'));
    const sample = await artifacts.put(bytes('an edge sample'));
    const shared = await artifacts.put(bytes('model.json both owners uploaded'));
    const own = await artifacts.put(bytes('only in bob\'s model'));
    await store.insertDataset({ ownerId: alice.id, name: 'd', source: 'UPLOADED', format: 'IDX', builtinName: null, files: { images: images.hash, labels: labels.hash }, height: 2, width: 2, channels: 1, numClasses: 2, count: 10, classNames: null, trainSize: 8, testSize: 2 });
    const aliceModel = await store.insertModel(model(alice.id, [{ name: 'model.json', artifact: shared.hash }, { name: 'w.bin', artifact: sample.hash }]));
    await store.insertEdgeCheck({ ownerId: alice.id, modelId: aliceModel.id, datasetId: 'd', surrogateIds: [], settings: { eps: 0.1, squareQueries: 1, pgdSteps: 1, seed: 0, attackCount: 1, sampleSize: 1 }, sampleArtifact: sample.hash, modelSha256: 'x' });
    await store.deleteModel(alice.id, aliceModel.id);
    const bobModel = await store.insertModel(model(bob.id, [{ name: 'model.json', artifact: shared.hash }, { name: 'weights.bin', artifact: labels.hash }, { name: 'x.bin', artifact: own.hash }, { name: 's.bin', artifact: sample.hash }]));
    // Alice deleting nothing of hers that bob uses; bob deleting his model: only his own file may go.
    expect(await store.deleteModel(alice.id, bobModel.id)).toEqual([]);
    const orphaned = await store.deleteModel(bob.id, bobModel.id);
    expect(orphaned.sort()).toEqual([shared.hash, own.hash].sort());
    expect(await discardUnreferenced(gc, orphaned)).toBe(2);
    for (const h of [labels, images, sample]) expect(await artifacts.has(h.hash)).toBe(true);
    expect(await artifacts.has(own.hash)).toBe(false);
  });

  test('an unreferenced artifact written within the grace survives a discard; the sweep takes it once the grace is over', async () => {
    const artifacts = make();
    const a = await artifacts.put(bytes('just written'));
    expect(await discardUnreferenced({ store, artifacts, graceMs: 60_000 }, [a.hash])).toBe(0);
    expect(await artifacts.has(a.hash)).toBe(true);
    const kept = await artifacts.put(bytes('referenced'));
    await store.insertModel(model((await store.ensureOwner('o')).id, [{ name: 'model.json', artifact: kept.hash }]));
    await new Promise((r) => setTimeout(r, 5));
    expect(await sweepArtifacts({ store, artifacts, graceMs: 1 })).toEqual({ stored: 2, removed: 1 });
    expect(await artifacts.has(a.hash)).toBe(false);
    expect(await artifacts.has(kept.hash)).toBe(true);
  });

  test('a writer that put its bytes before a delete of the same content, and records them after it, keeps its file', async () => {
    const artifacts = make();
    const gc = { store, artifacts, graceMs: 60_000 };
    const owner = await store.ensureOwner('o');
    const first = await artifacts.put(bytes('model.json'));
    const old = await store.insertModel(model(owner.id, [{ name: 'model.json', artifact: first.hash }]));
    // The writer (an upload, a worker's result) puts the same bytes...
    await artifacts.put(bytes('model.json'));
    // ...the delete of the old record runs to the end in between...
    await discardUnreferenced(gc, await store.deleteModel(owner.id, old.id));
    // ...and the writer records its reference afterwards: the file must still be there.
    await store.insertModel(model(owner.id, [{ name: 'model.json', artifact: first.hash }]));
    expect(await artifacts.has(first.hash)).toBe(true);
  });

  test('writing bytes that exist renews their grace', async () => {
    const artifacts = make();
    const a = await artifacts.put(bytes('old'));
    await new Promise((r) => setTimeout(r, 40));
    // Another upload of the same bytes, just now: a discard must keep them.
    await artifacts.put(bytes('old'));
    expect(await artifacts.discard(a.hash, 30)).toBe(false);
    await new Promise((r) => setTimeout(r, 40));
    expect(await artifacts.discard(a.hash, 30)).toBe(true);
    expect(await artifacts.has(a.hash)).toBe(false);
  });
});

test('the file store\'s discard keeps a file a put touched, and the sweep drops stale temp files', async () => {
  const artifacts = new FileArtifactStore(dir);
  const a = await artifacts.put(bytes('x'));
  const path = artifacts.path(a.hash);
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(path, past, past);
  await artifacts.put(bytes('x'));
  expect(await artifacts.discard(a.hash, 60_000)).toBe(false);
  expect(existsSync(path)).toBe(true);
  utimesSync(path, past, past);
  expect(await artifacts.discard(a.hash, 60_000)).toBe(true);
  expect(existsSync(path)).toBe(false);
  const tmp = `${artifacts.path(a.hash)}.abc.tmp`;
  writeFileSync(tmp, 'partial');
  utimesSync(tmp, past, past);
  await artifacts.storedHashes(60_000);
  expect(existsSync(tmp)).toBe(false);
});
