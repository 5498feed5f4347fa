import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, DatasetFormatError, ErrorCodes } from '@temper/edge';
import type { ImageDataset } from '@temper/edge';
import { readIdxDatasetFiles } from './files.ts';
import { encodeIdxDataset, parseIdxDataset } from './idx-dataset.ts';
import { expectCode, expectCodeAsync, rawIdx } from './test-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'temper-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (path: string) => new Uint8Array(readFileSync(path));

// 3 images of 2×3: pixel (n, y, x) = 10n + 3y + x, plus one 255 to pin the top of the range.
const pixels = Uint8Array.from({ length: 18 }, (_, i) => (i === 17 ? 255 : 10 * Math.floor(i / 6) + (i % 6)));
const imagesFile = rawIdx(0x08, [3, 2, 3], pixels);
const labelsFile = rawIdx(0x08, [3], [7, 0, 9]);

function expectPixels(ds: ImageDataset): void {
  expect(ds).toMatchObject({ count: 3, height: 2, width: 3, channels: 1, numClasses: 10 });
  expect(ds.images).toBeInstanceOf(Float32Array);
  expect(ds.labels).toBeInstanceOf(Int32Array);
  expect(Array.from(ds.images)).toEqual(Array.from(pixels, (b) => Math.fround(b / 255)));
  expect(Array.from(ds.labels)).toEqual([7, 0, 9]);
}

describe('parseIdxDataset', () => {
  it('reads raw and gzip files written to disk, with exact pixels and labels', async () => {
    writeFileSync(join(dir, 'raw-images-idx3-ubyte'), imagesFile);
    writeFileSync(join(dir, 'raw-labels-idx1-ubyte'), labelsFile);
    writeFileSync(join(dir, 'gz-images-idx3-ubyte.gz'), gzipSync(imagesFile));
    // No .gz suffix on purpose: detection is by content.
    writeFileSync(join(dir, 'gz-labels-idx1-ubyte'), gzipSync(labelsFile));

    const raw = parseIdxDataset({
      images: bytes(join(dir, 'raw-images-idx3-ubyte')),
      labels: bytes(join(dir, 'raw-labels-idx1-ubyte')),
      name: 'tiny',
    });
    expect(raw.name).toBe('tiny');
    expectPixels(raw);

    const gz = await readIdxDatasetFiles({
      imagesPath: join(dir, 'gz-images-idx3-ubyte.gz'),
      labelsPath: join(dir, 'gz-labels-idx1-ubyte'),
      name: 'tiny-gz',
    });
    expectPixels(gz);
  });

  it('reads N×H×W×C images as NHWC', () => {
    const px = Uint8Array.from({ length: 2 * 1 * 2 * 3 }, (_, i) => i * 10);
    const ds = parseIdxDataset({ images: rawIdx(0x08, [2, 1, 2, 3], px), labels: rawIdx(0x08, [2], [1, 2]), name: 'rgb' });
    expect(ds).toMatchObject({ count: 2, height: 1, width: 2, channels: 3 });
    expect(ds.images[1 * 6 + 1 * 3 + 2]).toBe(Math.fround(110 / 255));
  });

  it('round-trips through the writer, plain and gzip, via files', async () => {
    const src = parseIdxDataset({ images: imagesFile, labels: labelsFile, name: 'tiny' });
    for (const gzip of [false, true]) {
      const out = encodeIdxDataset(src, { gzip });
      writeFileSync(join(dir, `w-${gzip}-images`), out.images);
      writeFileSync(join(dir, `w-${gzip}-labels`), out.labels);
      const back = await readIdxDatasetFiles({ imagesPath: join(dir, `w-${gzip}-images`), labelsPath: join(dir, `w-${gzip}-labels`) });
      expectPixels(back);
      expect(out.images[0] === 0x1f).toBe(gzip);
    }
    // Uncompressed output is byte-identical to the hand-built MNIST layout.
    const plain = encodeIdxDataset(src);
    expect(Array.from(plain.images)).toEqual(Array.from(imagesFile));
    expect(Array.from(plain.labels)).toEqual(Array.from(labelsFile));
  });

  it('round-trips a 3-channel set through a 4-dim file', () => {
    const rgb: ImageDataset = {
      name: 'rgb', count: 1, height: 1, width: 2, channels: 3, numClasses: 4,
      images: Float32Array.from([0, 1, 2, 3, 4, 5], (b) => b / 255), labels: Int32Array.from([3]),
    };
    const out = encodeIdxDataset(rgb);
    expect(Array.from(out.images.subarray(0, 4))).toEqual([0, 0, 8, 4]);
    const back = parseIdxDataset({ ...out, name: 'rgb', numClasses: 4 });
    expect(Array.from(back.images)).toEqual(Array.from(rgb.images));
  });

  it('takes class names and a class count', () => {
    const ds = parseIdxDataset({ images: imagesFile, labels: labelsFile, name: 'f', classNames: 'abcdefghij'.split('') });
    expect(ds.classNames?.[9]).toBe('j');
    expect(parseIdxDataset({ images: imagesFile, labels: labelsFile, name: 'f', numClasses: 12 }).numClasses).toBe(12);
    expectCode(() => parseIdxDataset({ images: imagesFile, labels: labelsFile, name: 'f', numClasses: 10, classNames: ['a'] }), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
    expectCode(() => parseIdxDataset({ images: imagesFile, labels: labelsFile, name: 'f', numClasses: 0 }), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
  });

  it('names the bad label: index and value', () => {
    const e = expectCode(
      () => parseIdxDataset({ images: imagesFile, labels: rawIdx(0x08, [3], [1, 12, 10]), name: 'f' }),
      DatasetFormatError,
      ErrorCodes.DATASET_LABEL_OUT_OF_RANGE,
    );
    expect(e.details).toMatchObject({ index: 1, value: 12, numClasses: 10, outOfRange: 2 });
    expect(e.message).toContain('index 1');
    expect(e.message).toContain('label 12');
    // A smaller class count is enforced too.
    const small = expectCode(
      () => parseIdxDataset({ images: imagesFile, labels: labelsFile, name: 'f', numClasses: 8 }),
      DatasetFormatError,
      ErrorCodes.DATASET_LABEL_OUT_OF_RANGE,
    );
    expect(small.details).toMatchObject({ index: 2, value: 9 });
  });

  it('rejects image/label count mismatch', () => {
    const e = expectCode(
      () => parseIdxDataset({ images: imagesFile, labels: rawIdx(0x08, [2], [1, 2]), name: 'f' }),
      DatasetFormatError,
      ErrorCodes.DATASET_COUNT_MISMATCH,
    );
    expect(e.details).toMatchObject({ images: 3, labels: 2 });
  });

  it('rejects non-image dims, including swapped files', () => {
    const swapped = expectCode(() => parseIdxDataset({ images: labelsFile, labels: imagesFile, name: 'f' }), DatasetFormatError, ErrorCodes.DATASET_BAD_SHAPE);
    expect(swapped.message).toContain('labels file');
    expectCode(() => parseIdxDataset({ images: rawIdx(0x08, [3, 6], pixels), labels: labelsFile, name: 'f' }), DatasetFormatError, ErrorCodes.DATASET_BAD_SHAPE);
    expectCode(() => parseIdxDataset({ images: rawIdx(0x08, [3, 0, 3], []), labels: labelsFile, name: 'f' }), DatasetFormatError, ErrorCodes.DATASET_BAD_SHAPE);
    expectCode(() => parseIdxDataset({ images: imagesFile, labels: rawIdx(0x08, [3, 1], [1, 2, 3]), name: 'f' }), DatasetFormatError, ErrorCodes.DATASET_BAD_SHAPE);
  });

  it('surfaces file-level errors naming the file', async () => {
    writeFileSync(join(dir, 'trunc-images'), imagesFile.subarray(0, imagesFile.length - 4));
    writeFileSync(join(dir, 'labels'), labelsFile);
    const e = await expectCodeAsync(
      () => readIdxDatasetFiles({ imagesPath: join(dir, 'trunc-images'), labelsPath: join(dir, 'labels') }),
      DatasetFormatError,
      ErrorCodes.DATASET_TRUNCATED,
    );
    expect(e.message).toContain(join(dir, 'trunc-images'));
    expect(e.details).toMatchObject({ expectedBytes: imagesFile.length, actualBytes: imagesFile.length - 4 });

    const float = rawIdx(0x0d, [3], new Uint8Array(12));
    const d = expectCode(() => parseIdxDataset({ images: imagesFile, labels: float, name: 'f' }), DatasetFormatError, ErrorCodes.DATASET_UNSUPPORTED_DTYPE);
    expect(d.message).toContain('float');

    const html = new TextEncoder().encode('<!DOCTYPE html><title>404</title>');
    expectCode(() => parseIdxDataset({ images: html, labels: labelsFile, name: 'f' }), DatasetFormatError, ErrorCodes.DATASET_BAD_MAGIC);
  });

  it('distinguishes a cut-off gzip download from a corrupt one', async () => {
    const gz = gzipSync(imagesFile);
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 10));
    writeFileSync(join(dir, 'labels'), labelsFile);
    await expectCodeAsync(
      () => readIdxDatasetFiles({ imagesPath: join(dir, 'cut.gz'), labelsPath: join(dir, 'labels') }),
      DatasetFormatError,
      ErrorCodes.DATASET_TRUNCATED,
    );
    const bad = Buffer.from(gz);
    bad[bad.length - 8] ^= 0x55; // CRC32
    writeFileSync(join(dir, 'bad.gz'), bad);
    await expectCodeAsync(
      () => readIdxDatasetFiles({ imagesPath: join(dir, 'bad.gz'), labelsPath: join(dir, 'labels') }),
      DatasetFormatError,
      ErrorCodes.DATASET_CORRUPT,
    );
  });

  it('refuses to write labels that do not fit a byte', () => {
    const ds = parseIdxDataset({ images: imagesFile, labels: labelsFile, name: 'f' });
    expectCode(() => encodeIdxDataset({ ...ds, labels: Int32Array.from([1, 300, 2]) }), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
  });
});
