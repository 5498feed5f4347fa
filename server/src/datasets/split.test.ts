import { describe, expect, it } from 'vitest';
import { DatasetError, ErrorCodes } from '@temper/edge';
import type { ImageDataset } from '@temper/edge';
import { stratifiedSplit, stratifiedSplitIndices } from './split.ts';
import { expectCode } from './test-helpers.ts';

/** Imbalanced toy set: class c has sizes[c] rows; each 1×1×1 image holds its own row id / 1000. */
function toy(sizes: number[]): ImageDataset {
  const labels: number[] = [];
  sizes.forEach((n, c) => labels.push(...Array<number>(n).fill(c)));
  return {
    name: 'toy', count: labels.length, height: 1, width: 1, channels: 1, numClasses: sizes.length,
    images: Float32Array.from(labels, (_, i) => i / 1000), labels: Int32Array.from(labels),
  };
}

function classCounts(labels: ArrayLike<number>, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

describe('stratifiedSplit', () => {
  const sizes = [500, 30, 7, 0, 263, 1];
  const ds = toy(sizes);

  it('is disjoint, proportional within one per class, and carries the rows it names', () => {
    for (const [trainSize, testSize] of [[600, 200], [400, 401], [1, 1], [10, 791], [700, 101]]) {
      const { train, test } = stratifiedSplitIndices(ds.labels, ds.numClasses, { trainSize, testSize, seed: 3 });
      expect(train.length).toBe(trainSize);
      expect(test.length).toBe(testSize);
      const seen = new Set([...train, ...test]);
      expect(seen.size).toBe(trainSize + testSize);
      const trainCounts = classCounts(Array.from(train, (i) => ds.labels[i]), sizes.length);
      const testCounts = classCounts(Array.from(test, (i) => ds.labels[i]), sizes.length);
      sizes.forEach((n, c) => {
        expect(Math.abs(trainCounts[c] - (n * trainSize) / ds.count)).toBeLessThan(1);
        expect(Math.abs(testCounts[c] - (n * testSize) / ds.count)).toBeLessThan(1);
      });
    }
    const split = stratifiedSplit(ds, { trainSize: 600, testSize: 200, seed: 3 });
    const idx = stratifiedSplitIndices(ds.labels, ds.numClasses, { trainSize: 600, testSize: 200, seed: 3 });
    expect(split.seed).toBe(3);
    expect(split.train.name).toBe('toy/train');
    expect(Array.from(split.train.images)).toEqual(Array.from(idx.train, (i) => Math.fround(i / 1000)));
    expect(Array.from(split.test.labels)).toEqual(Array.from(idx.test, (i) => ds.labels[i]));
  });

  it('uses the whole set when the sizes add up to it', () => {
    const { train, test } = stratifiedSplitIndices(ds.labels, ds.numClasses, { trainSize: 640, testSize: 161, seed: 1 });
    expect(new Set([...train, ...test]).size).toBe(ds.count);
  });

  it('is a pure function of the seed', () => {
    const opts = { trainSize: 300, testSize: 100 };
    const a = stratifiedSplitIndices(ds.labels, ds.numClasses, { ...opts, seed: 42 });
    const b = stratifiedSplitIndices(ds.labels, ds.numClasses, { ...opts, seed: 42 });
    const c = stratifiedSplitIndices(ds.labels, ds.numClasses, { ...opts, seed: 43 });
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.train)).not.toEqual(Array.from(c.train));
  });

  it('shuffles classes together instead of leaving them in blocks', () => {
    const { test } = stratifiedSplitIndices(ds.labels, ds.numClasses, { trainSize: 400, testSize: 400, seed: 9 });
    const labels = Array.from(test, (i) => ds.labels[i]);
    expect(labels).not.toEqual([...labels].sort((x, y) => x - y));
  });

  it('rejects sizes that are non-positive, fractional or exceed the data', () => {
    for (const bad of [
      { trainSize: 0, testSize: 10 },
      { trainSize: 10, testSize: -1 },
      { trainSize: 10.5, testSize: 10 },
      { trainSize: Number.NaN, testSize: 10 },
      { trainSize: 700, testSize: 102 },
    ]) {
      expectCode(() => stratifiedSplit(ds, { ...bad, seed: 0 }), DatasetError, ErrorCodes.DATASET_INVALID_SPLIT);
    }
    const e = expectCode(() => stratifiedSplit(ds, { trainSize: 800, testSize: 800, seed: 0 }), DatasetError, ErrorCodes.DATASET_INVALID_SPLIT);
    expect(e.details).toMatchObject({ available: 801 });
    expectCode(() => stratifiedSplit(ds, { trainSize: 1, testSize: 1, seed: Number.POSITIVE_INFINITY }), DatasetError, ErrorCodes.DATASET_INVALID_SPLIT);
  });
});
