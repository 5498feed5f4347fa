import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError, ErrorCodes } from '@temper/edge';
import type { ImageDataset } from '@temper/edge';
import { loadMnist } from './mnist.ts';
import { listDatasets, loadDataset } from './registry.ts';
import { expectCodeAsync } from './test-helpers.ts';

const PX = 784;

function rowHashes(ds: ImageDataset): string[] {
  const out: string[] = [];
  for (let i = 0; i < ds.count; i++) {
    const row = ds.images.subarray(i * PX, (i + 1) * PX);
    out.push(`${ds.labels[i]}:${createHash('sha1').update(new Uint8Array(row.buffer, row.byteOffset, row.byteLength)).digest('hex')}`);
  }
  return out;
}

function classCounts(ds: ImageDataset): number[] {
  const c = new Array<number>(10).fill(0);
  for (const y of ds.labels) c[y]++;
  return c;
}

describe('mnist', () => {
  it('holds the package digits as NHWC float32 [0,1] with int32 labels', async () => {
    const full = await loadMnist();
    expect(full).toMatchObject({ name: 'mnist', count: 10_000, height: 28, width: 28, channels: 1, numClasses: 10 });
    expect(full.images).toBeInstanceOf(Float32Array);
    expect(full.labels).toBeInstanceOf(Int32Array);
    expect(full.images.length).toBe(10_000 * PX);
    // Spot-check against the JSON itself: first and last 7s.
    const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
    const sevens = (JSON.parse(readFileSync(join(dir, '7.json'), 'utf8')) as { data: number[] }).data;
    const first7 = Array.from(full.labels).indexOf(7);
    expect(Array.from(full.images.subarray(first7 * PX, (first7 + 1) * PX))).toEqual(sevens.slice(0, PX).map(Math.fround));
    expect(classCounts(full)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let min = 1;
    let max = 0;
    for (const v of full.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
    expect(await loadMnist()).toBe(full);
  });

  it('splits 8,000/2,000 by default: disjoint, covering all 10,000, stratified within one', async () => {
    const full = await loadMnist();
    const split = await loadDataset('mnist');
    expect(split.seed).toBe(0);
    expect(split.train.count).toBe(8_000);
    expect(split.test.count).toBe(2_000);
    expect(split.train.images.length).toBe(8_000 * PX);
    const all = [...rowHashes(split.train), ...rowHashes(split.test)].sort();
    expect(all).toEqual(rowHashes(full).sort());
    const total = classCounts(full);
    const tr = classCounts(split.train);
    const te = classCounts(split.test);
    total.forEach((n, c) => {
      expect(Math.abs(tr[c] - n * 0.8)).toBeLessThanOrEqual(1);
      expect(Math.abs(te[c] - n * 0.2)).toBeLessThanOrEqual(1);
    });
  });

  it('is deterministic per seed and takes custom sizes', async () => {
    const a = await loadDataset('mnist', { seed: 7, trainSize: 1000, testSize: 500 });
    const b = await loadDataset('mnist', { seed: 7, trainSize: 1000, testSize: 500 });
    const c = await loadDataset('mnist', { seed: 8, trainSize: 1000, testSize: 500 });
    expect(a.seed).toBe(7);
    expect(rowHashes(a.train)).toEqual(rowHashes(b.train));
    expect(rowHashes(a.test)).toEqual(rowHashes(b.test));
    expect(rowHashes(a.train)).not.toEqual(rowHashes(c.train));
    const trainSet = new Set(rowHashes(a.train));
    expect(rowHashes(a.test).some((h) => trainSet.has(h))).toBe(false);
    const te = classCounts(a.test);
    classCounts(await loadMnist()).forEach((n, c) => expect(Math.abs(te[c] - (n * 500) / 10_000)).toBeLessThan(1));
  });

  it('rejects bad split requests and unknown names', async () => {
    await expectCodeAsync(() => loadDataset('mnist', { trainSize: 9_000, testSize: 2_000 }), DatasetError, ErrorCodes.DATASET_INVALID_SPLIT);
    await expectCodeAsync(() => loadDataset('mnist', { trainSize: 0 }), DatasetError, ErrorCodes.DATASET_INVALID_SPLIT);
    await expectCodeAsync(() => loadDataset('mnist', { testSize: -5 }), DatasetError, ErrorCodes.DATASET_INVALID_SPLIT);
    const e = await expectCodeAsync(() => loadDataset('cifar100'), DatasetError, ErrorCodes.DATASET_UNKNOWN);
    expect(e.message).toContain('mnist');
    await expectCodeAsync(() => loadDataset('toString'), DatasetError, ErrorCodes.DATASET_UNKNOWN);
    expect(listDatasets().map((d) => d.name)).toEqual(['mnist', 'mnist-full']);
  });
});
