import type { DatasetRecord, ModelRecord, UploadDatasetRequest, UploadModelRequest } from '@temper/schema';
import { ApiErrorCodes, UploadError } from '@temper/schema';
import { DatasetError, ErrorCodes, ModelFormatError } from '@temper/edge';
import { discardUnreferenced, type ArtifactGcOptions } from '../artifacts/artifact-gc.ts';
import { ArtifactStore } from '../artifacts/artifact-store.ts';
import { validateSplit } from '../datasets/split.ts';
import { builtinCheckHeads } from '../models/upload-warnings.ts';
import type { ParsePool } from '../parsing/parse-pool.ts';
import type { DatasetShape } from '../parsing/parse-tasks.ts';
import type { Store } from '../store/store.ts';

/** What an upload needs: the store, the artifacts (with their discard rules) and the parse threads. */
export interface UploadDeps {
  readonly store: Store;
  readonly gc: ArtifactGcOptions;
  readonly parse: ParsePool;
}

/**
 * The largest model.json accepted. Topologies are kilobytes (the weights live in the shards); the
 * cap bounds the heap JSON.parse needs far below the parse thread's, because a V8 heap limit hit
 * inside one huge allocation aborts the whole process, not just the thread.
 */
export const MODEL_JSON_MAX_BYTES = 16 * 1024 * 1024;

async function bytesOf(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/**
 * Writes artifacts, then the row with its artifact references (one transaction). If the row
 * cannot be written, the artifacts this call created are discarded again, under the same rules as
 * a delete: another upload of the same bytes that is under way keeps them.
 */
async function storeAll<T>(gc: ArtifactGcOptions, blobs: Uint8Array[], insert: (hashes: { hash: string; bytes: number }[]) => Promise<T>): Promise<T> {
  const created: string[] = [];
  try {
    const hashes = [];
    for (const b of blobs) {
      const hash = ArtifactStore.hash(b);
      if (!(await gc.artifacts.has(hash))) created.push(hash);
      hashes.push(await gc.artifacts.put(b));
    }
    return await insert(hashes);
  } catch (e) {
    await discardUnreferenced(gc, created).catch(() => {});
    throw e;
  }
}

/** uploadModel: every check of the foundation's loader runs before anything is stored. */
export async function uploadModel({ store, gc, parse }: UploadDeps, ownerId: string, r: UploadModelRequest): Promise<ModelRecord> {
  const names = r.weights.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UploadError(ApiErrorCodes.UPLOAD_DUPLICATE_FILE, `Two weight files are named "${dup}".`, { file: dup });
  if (names.includes('model.json')) throw new UploadError(ApiErrorCodes.UPLOAD_DUPLICATE_FILE, 'model.json was uploaded among the weight files.', { file: 'model.json' });
  if (r.modelJson.size > MODEL_JSON_MAX_BYTES) {
    throw new ModelFormatError(ErrorCodes.MODEL_TOO_COMPLEX, `model.json is ${r.modelJson.size} bytes; the largest accepted is ${MODEL_JSON_MAX_BYTES} (weights belong in the shards).`, { bytes: r.modelJson.size, maxBytes: MODEL_JSON_MAX_BYTES });
  }
  const modelJson = await bytesOf(r.modelJson);
  const shards: Record<string, Uint8Array> = {};
  for (const f of r.weights) shards[f.name] = await bytesOf(f);
  const info = await parse.run({
    kind: 'model',
    modelJson,
    shards,
    // The near-chance check (models/upload-warnings.ts) runs in the same thread, on the model just built.
    checkHeads: await builtinCheckHeads(store, gc.artifacts),
    ...(r.preprocessing !== undefined && r.preprocessing !== null ? { preprocessing: r.preprocessing } : {}),
    ...(r.featureLayer ? { featureLayer: r.featureLayer } : {}),
  });
  const fileNames = ['model.json', ...Object.keys(shards)];
  return storeAll(gc, [modelJson, ...Object.values(shards)], (hashes) =>
    store.insertModel({
      ownerId,
      name: r.name.trim(),
      source: 'UPLOADED',
      format: info.format,
      producer: info.producer,
      inputShape: [...info.inputShape],
      numClasses: info.numClasses,
      parameterCount: info.parameterCount,
      sha256: info.sha256,
      featureLayer: info.featureLayer,
      outputsWereSoftmax: info.outputsWereSoftmax,
      preprocessing: info.preprocessing,
      architecture: null,
      files: hashes.map((h, i) => ({ name: fileNames[i], artifact: h.hash, bytes: h.bytes })),
      warnings: [...info.warnings],
      createdByJobId: null,
    }),
  );
}

const missing = (what: string, format: string) =>
  new UploadError(ApiErrorCodes.UPLOAD_MISSING_FILE, `A ${format} dataset upload needs ${what}.`, { missing: what, format });

/** uploadDataset: the files must parse and the split must fit before anything is stored. */
export async function uploadDataset({ store, gc, parse }: UploadDeps, ownerId: string, r: UploadDatasetRequest): Promise<DatasetRecord> {
  let ds: DatasetShape;
  const files: [string, Uint8Array][] = [];
  if (r.format === 'IDX') {
    if (!r.images) throw missing('an images file (input.images)', 'IDX');
    if (!r.labels) throw missing('a labels file (input.labels)', 'IDX');
    if (r.batches?.length || r.meta) throw new UploadError(ApiErrorCodes.UPLOAD_DUPLICATE_FILE, 'An IDX upload takes images and labels only, not CIFAR-10 batches.', { format: 'IDX' });
    const images = await bytesOf(r.images);
    const labels = await bytesOf(r.labels);
    ds = await parse.run({ kind: 'idx', images, labels, name: r.name, numClasses: r.numClasses ?? undefined, classNames: r.classNames ?? undefined, sources: { images: r.images.name, labels: r.labels.name } });
    files.push(['images', images], ['labels', labels]);
  } else {
    if (!r.batches?.length) throw missing('one or more batch files (input.batches)', 'CIFAR10');
    if (r.images || r.labels) throw new UploadError(ApiErrorCodes.UPLOAD_DUPLICATE_FILE, 'A CIFAR10 upload takes batches (and meta), not IDX images or labels.', { format: 'CIFAR10' });
    const batches = await Promise.all(r.batches.map(bytesOf));
    const meta = r.meta ? await bytesOf(r.meta) : undefined;
    ds = await parse.run({ kind: 'cifar10', batches, meta, name: r.name, sources: r.batches.map((b) => b.name), metaSource: r.meta?.name });
    batches.forEach((b, i) => files.push([`batch${i}`, b]));
    if (meta) files.push(['meta', meta]);
  }
  const testSize = r.testSize ?? Math.max(1, Math.round(ds.count * 0.2));
  const trainSize = r.trainSize ?? ds.count - testSize;
  if (trainSize < 1) throw new DatasetError(ErrorCodes.DATASET_INVALID_SPLIT, `${r.name} has ${ds.count} examples: too few to split into train and test.`, { count: ds.count });
  validateSplit({ trainSize, testSize, seed: 0 }, ds.count, r.name);
  return storeAll(
    gc,
    files.map(([, b]) => b),
    (hashes) =>
      store.insertDataset({
        ownerId,
        name: r.name.trim(),
        source: 'UPLOADED',
        format: r.format,
        builtinName: null,
        files: Object.fromEntries(files.map(([role], i) => [role, hashes[i].hash])),
        height: ds.height,
        width: ds.width,
        channels: ds.channels,
        numClasses: ds.numClasses,
        count: ds.count,
        classNames: ds.classNames ? [...ds.classNames] : null,
        trainSize,
        testSize,
      }),
  );
}
