import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImageDataset } from '@temper/edge';
import { parseCifar10 } from './cifar10.ts';
import { parseIdxDataset } from './idx-dataset.ts';

async function readBytes(path: string): Promise<Uint8Array> {
  const buf = await readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** An IDX image/label file pair from disk (raw or .gz); errors name the paths. */
export async function readIdxDatasetFiles(options: {
  imagesPath: string;
  labelsPath: string;
  name?: string;
  numClasses?: number;
  classNames?: readonly string[];
}): Promise<ImageDataset> {
  const [images, labels] = await Promise.all([readBytes(options.imagesPath), readBytes(options.labelsPath)]);
  return parseIdxDataset({
    images,
    labels,
    name: options.name ?? basename(options.imagesPath),
    numClasses: options.numClasses,
    classNames: options.classNames,
    sources: { images: options.imagesPath, labels: options.labelsPath },
  });
}

/** CIFAR-10 binary batch files from disk, concatenated in the given order; errors name the paths. */
export async function readCifar10Files(options: {
  batchPaths: readonly string[];
  metaPath?: string;
  name?: string;
}): Promise<ImageDataset> {
  const [meta, ...batches] = await Promise.all([
    options.metaPath ? readBytes(options.metaPath) : Promise.resolve(undefined),
    ...options.batchPaths.map(readBytes),
  ]);
  return parseCifar10({
    batches: batches as Uint8Array[],
    meta,
    name: options.name ?? 'cifar10',
    sources: options.batchPaths,
    metaSource: options.metaPath,
  });
}
