import type { DatasetRecord, ModelRecord, UploadDatasetRequest, UploadModelRequest } from '@temper/schema';
import { ApiErrorCodes, UploadError } from '@temper/schema';
import { DatasetError, ErrorCodes } from '@temper/edge';
import type { Classifier, ImageDataset } from '@temper/edge';
import { builtinDatasetFor, nearChanceCheck } from '../models/upload-warnings.ts';
import { loadClassifier } from '@temper/edge/io';
import { ArtifactStore } from '../artifacts/artifact-store.ts';
import { parseCifar10 } from '../datasets/cifar10.ts';
import { parseIdxDataset } from '../datasets/idx-dataset.ts';
import { validateSplit } from '../datasets/split.ts';
import type { Store } from '../store/store.ts';

async function bytesOf(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/**
 * Writes artifacts, then the row; if the row cannot be written, the artifacts this call created
 * are removed again. Either the whole upload is stored or nothing of it is.
 */
async function storeAll<T>(artifacts: ArtifactStore, blobs: Uint8Array[], insert: (hashes: { hash: string; bytes: number }[]) => Promise<T>): Promise<T> {
  const created: string[] = [];
  try {
    const hashes = [];
    for (const b of blobs) {
      const hash = ArtifactStore.hash(b);
      if (!(await artifacts.has(hash))) created.push(hash);
      hashes.push(await artifacts.put(b));
    }
    return await insert(hashes);
  } catch (e) {
    await Promise.all(created.map((h) => artifacts.remove(h)));
    throw e;
  }
}

/** uploadModel: every check of the foundation's loader runs before anything is stored. */
export async function uploadModel(store: Store, artifacts: ArtifactStore, ownerId: string, r: UploadModelRequest): Promise<ModelRecord> {
  const names = r.weights.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UploadError(ApiErrorCodes.UPLOAD_DUPLICATE_FILE, `Two weight files are named "${dup}".`, { file: dup });
  if (names.includes('model.json')) throw new UploadError(ApiErrorCodes.UPLOAD_DUPLICATE_FILE, 'model.json was uploaded among the weight files.', { file: 'model.json' });
  const modelJson = await bytesOf(r.modelJson);
  const shards: Record<string, Uint8Array> = {};
  for (const f of r.weights) shards[f.name] = await bytesOf(f);
  const { classifier, info } = await loadClassifier({
    modelJson,
    shards,
    ...(r.preprocessing !== undefined && r.preprocessing !== null ? { preprocessing: r.preprocessing } : {}),
    ...(r.featureLayer ? { featureLayer: r.featureLayer } : {}),
    purpose: 'harden',
  });
  // The quick accuracy pass runs while the files are written; only its warning waits for it.
  const sanity = uploadSanityWarning(store, artifacts, classifier, info.inputShape).finally(() => classifier.model.dispose());
  // Awaited inside the insert; when storing fails first, its outcome no longer matters.
  sanity.catch(() => undefined);
  const fileNames = ['model.json', ...Object.keys(shards)];
  return storeAll(artifacts, [modelJson, ...Object.values(shards)], async (hashes) =>
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
      warnings: [...info.warnings, ...(await sanity)],
      createdByJobId: null,
    }),
  );
}

/**
 * The near-chance warning, if the model has a built-in dataset to be checked on. A dataset that cannot be
 * read here (its files missing on this server) skips the check: the upload itself is fine.
 */
async function uploadSanityWarning(store: Store, artifacts: ArtifactStore, classifier: Classifier, inputShape: readonly number[]): Promise<string[]> {
  const dataset = await builtinDatasetFor(store, inputShape, classifier.numClasses);
  if (!dataset) return [];
  let result;
  try {
    result = await nearChanceCheck(artifacts, classifier, dataset);
  } catch (e) {
    if (e instanceof DatasetError) return [];
    throw e;
  }
  return result.warning ? [result.warning] : [];
}

const missing = (what: string, format: string) =>
  new UploadError(ApiErrorCodes.UPLOAD_MISSING_FILE, `A ${format} dataset upload needs ${what}.`, { missing: what, format });

/** uploadDataset: the files must parse and the split must fit before anything is stored. */
export async function uploadDataset(store: Store, artifacts: ArtifactStore, ownerId: string, r: UploadDatasetRequest): Promise<DatasetRecord> {
  let ds: ImageDataset;
  const files: [string, Uint8Array][] = [];
  if (r.format === 'IDX') {
    if (!r.images) throw missing('an images file (input.images)', 'IDX');
    if (!r.labels) throw missing('a labels file (input.labels)', 'IDX');
    if (r.batches?.length || r.meta) throw new UploadError(ApiErrorCodes.UPLOAD_DUPLICATE_FILE, 'An IDX upload takes images and labels only, not CIFAR-10 batches.', { format: 'IDX' });
    const images = await bytesOf(r.images);
    const labels = await bytesOf(r.labels);
    ds = parseIdxDataset({ images, labels, name: r.name, numClasses: r.numClasses ?? undefined, classNames: r.classNames ?? undefined, sources: { images: r.images.name, labels: r.labels.name } });
    files.push(['images', images], ['labels', labels]);
  } else {
    if (!r.batches?.length) throw missing('one or more batch files (input.batches)', 'CIFAR10');
    if (r.images || r.labels) throw new UploadError(ApiErrorCodes.UPLOAD_DUPLICATE_FILE, 'A CIFAR10 upload takes batches (and meta), not IDX images or labels.', { format: 'CIFAR10' });
    const batches = await Promise.all(r.batches.map(bytesOf));
    const meta = r.meta ? await bytesOf(r.meta) : undefined;
    ds = parseCifar10({ batches, meta, name: r.name, sources: r.batches.map((b) => b.name), metaSource: r.meta?.name });
    batches.forEach((b, i) => files.push([`batch${i}`, b]));
    if (meta) files.push(['meta', meta]);
  }
  const testSize = r.testSize ?? Math.max(1, Math.round(ds.count * 0.2));
  const trainSize = r.trainSize ?? ds.count - testSize;
  if (trainSize < 1) throw new DatasetError(ErrorCodes.DATASET_INVALID_SPLIT, `${r.name} has ${ds.count} examples: too few to split into train and test.`, { count: ds.count });
  validateSplit({ trainSize, testSize, seed: 0 }, ds.count, r.name);
  return storeAll(
    artifacts,
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
