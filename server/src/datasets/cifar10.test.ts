import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, DatasetFormatError, ErrorCodes } from '@temper/edge';
import { CIFAR10_CLASS_NAMES, encodeCifar10, encodeCifar10Meta, parseCifar10 } from './cifar10.ts';
import { readCifar10Files } from './files.ts';
import { expectCode, expectCodeAsync } from './test-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'temper-cifar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A record built by hand from the spec: label, then R, G, B planes; R(y,x) = (y+x)%256, G = 100, B = (7r+x)%256. */
function record(label: number, r: number): Uint8Array {
  const rec = new Uint8Array(3073);
  rec[0] = label;
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      rec[1 + y * 32 + x] = (y + x) % 256;
      rec[1 + 1024 + y * 32 + x] = 100;
      rec[1 + 2048 + y * 32 + x] = (7 * r + x) % 256;
    }
  }
  return rec;
}

function batch(labels: number[], first = 0): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((y, i) => out.set(record(y, first + i), i * 3073));
  return out;
}

const hwc = (row: number, y: number, x: number, c: number) => row * 3072 + (y * 32 + x) * 3 + c;

describe('parseCifar10', () => {
  it('converts channel-planar records to HWC float32 /255 across several batch files', async () => {
    writeFileSync(join(dir, 'data_batch_1.bin'), batch([3, 9]));
    writeFileSync(join(dir, 'data_batch_2.bin'), batch([0], 2));
    const ds = await readCifar10Files({ batchPaths: [join(dir, 'data_batch_1.bin'), join(dir, 'data_batch_2.bin')] });
    expect(ds).toMatchObject({ name: 'cifar10', count: 3, height: 32, width: 32, channels: 3, numClasses: 10 });
    expect(ds.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(Array.from(ds.labels)).toEqual([3, 9, 0]);
    expect(ds.images.length).toBe(3 * 3072);
    for (const [row, y, x] of [[0, 0, 0], [0, 5, 17], [1, 31, 31], [2, 12, 3]]) {
      expect(ds.images[hwc(row, y, x, 0)]).toBe(Math.fround(((y + x) % 256) / 255));
      expect(ds.images[hwc(row, y, x, 1)]).toBe(Math.fround(100 / 255));
      expect(ds.images[hwc(row, y, x, 2)]).toBe(Math.fround(((7 * row + x) % 256) / 255));
    }
  });

  it('reads class names from batches.meta.txt and accepts gzip batches', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    writeFileSync(join(dir, 'batches.meta.txt'), `${names.join('\n')}\n\n`);
    writeFileSync(join(dir, 'test_batch.bin.gz'), gzipSync(batch([4])));
    const ds = await readCifar10Files({ batchPaths: [join(dir, 'test_batch.bin.gz')], metaPath: join(dir, 'batches.meta.txt'), name: 'c10-test' });
    expect(ds.name).toBe('c10-test');
    expect(ds.classNames).toEqual(names);
    expect(ds.labels[0]).toBe(4);
    const e = expectCode(() => parseCifar10({ batches: [batch([1])], name: 'c', meta: 'a\nb\n' }), DatasetFormatError, ErrorCodes.DATASET_COUNT_MISMATCH);
    expect(e.details).toMatchObject({ classNames: 2, numClasses: 10 });
  });

  it('round-trips through the writer byte-for-byte', async () => {
    const src = batch([5, 1, 8]);
    const ds = parseCifar10({ batches: [src], name: 'c' });
    expect(Array.from(encodeCifar10(ds))).toEqual(Array.from(src));
    writeFileSync(join(dir, 'written.bin.gz'), encodeCifar10(ds, { gzip: true }));
    writeFileSync(join(dir, 'written.meta.txt'), encodeCifar10Meta());
    const back = await readCifar10Files({ batchPaths: [join(dir, 'written.bin.gz')], metaPath: join(dir, 'written.meta.txt') });
    expect(Array.from(back.images)).toEqual(Array.from(ds.images));
    expect(Array.from(back.labels)).toEqual([5, 1, 8]);
  });

  it('calls a size that is not a multiple of 3073 truncated, naming the file', async () => {
    const b = batch([1, 2]);
    writeFileSync(join(dir, 'cut.bin'), b.subarray(0, b.length - 100));
    const e = await expectCodeAsync(() => readCifar10Files({ batchPaths: [join(dir, 'cut.bin')] }), DatasetFormatError, ErrorCodes.DATASET_TRUNCATED);
    expect(e.details).toMatchObject({ expectedBytes: 6146, actualBytes: 6046 });
    expect(e.message).toContain('cut.bin');
    expectCode(() => parseCifar10({ batches: [new Uint8Array(0)], name: 'c' }), DatasetFormatError, ErrorCodes.DATASET_TRUNCATED);
  });

  it('names the out-of-range label by file, index and value', () => {
    const e = expectCode(() => parseCifar10({ batches: [batch([1]), batch([2, 0, 10])], name: 'c' }), DatasetFormatError, ErrorCodes.DATASET_LABEL_OUT_OF_RANGE);
    expect(e.details).toMatchObject({ file: 'batch 1', index: 2, value: 10 });
  });

  it('spots the whole tar archive and an empty batch list', () => {
    const tar = new Uint8Array(3073 * 2);
    tar.set(new TextEncoder().encode('ustar'), 257);
    expectCode(() => parseCifar10({ batches: [tar], name: 'c' }), DatasetFormatError, ErrorCodes.DATASET_BAD_MAGIC);
    expectCode(() => parseCifar10({ batches: [], name: 'c' }), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
  });

  it('refuses to write what CIFAR-10 cannot hold', () => {
    const ds = parseCifar10({ batches: [batch([1])], name: 'c' });
    expectCode(() => encodeCifar10({ ...ds, height: 28, width: 28, channels: 1 }), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
    expectCode(() => encodeCifar10({ ...ds, labels: Int32Array.from([10]) }), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
  });
});
