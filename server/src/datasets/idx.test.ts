import { describe, expect, it } from 'vitest';
import { DatasetError, DatasetFormatError, ErrorCodes } from '@temper/edge';
import { decodeIdx, encodeIdx, IDX_IMAGES_MAGIC } from './idx.ts';
import { expectCode, rawIdx } from './test-helpers.ts';

describe('IDX codec', () => {
  it('decodes a hand-built big-endian file', () => {
    const file = rawIdx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const idx = decodeIdx(file, 'f', IDX_IMAGES_MAGIC);
    expect(idx.dims).toEqual([2, 2, 3]);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it('handles dims above 2^31 in the header as unsigned (and then as truncated)', () => {
    const e = expectCode(() => decodeIdx(rawIdx(0x08, [0x80000001], []), 'f', 0x801), DatasetFormatError, ErrorCodes.DATASET_TRUNCATED);
    expect(e.details.dims).toEqual([0x80000001]);
  });

  it('encodes the exact MNIST header layout', () => {
    const out = encodeIdx([1, 2, 2], new Uint8Array([9, 8, 7, 6]));
    expect(Array.from(out)).toEqual([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 9, 8, 7, 6]);
    expect(Array.from(encodeIdx([300], new Uint8Array(300)).subarray(0, 8))).toEqual([0, 0, 8, 1, 0, 0, 1, 44]);
  });

  it('rejects a wrong magic number, saying what was expected and found', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const e = expectCode(() => decodeIdx(png, 'digits.png', IDX_IMAGES_MAGIC), DatasetFormatError, ErrorCodes.DATASET_BAD_MAGIC);
    expect(e.message).toContain('0x00000803');
    expect(e.message).toContain('0x89504E47');
    expect(e.details).toMatchObject({ expectedMagic: '0x00000803', foundMagic: '0x89504E47' });
  });

  it.each([
    [0x09, 'signed byte'],
    [0x0b, 'short'],
    [0x0c, 'int'],
    [0x0d, 'float'],
    [0x0e, 'double'],
  ])('rejects dtype code %i (%s) by name', (dtype, name) => {
    const file = rawIdx(dtype, [1], [0, 0, 0, 0, 0, 0, 0, 0]);
    const e = expectCode(() => decodeIdx(file, 'f', 0x801), DatasetFormatError, ErrorCodes.DATASET_UNSUPPORTED_DTYPE);
    expect(e.message).toContain(name);
    expect(e.details.dtypeName).toContain(name);
  });

  it('rejects an unknown dtype code', () => {
    const e = expectCode(() => decodeIdx(rawIdx(0x07, [1], [0]), 'f', 0x801), DatasetFormatError, ErrorCodes.DATASET_UNSUPPORTED_DTYPE);
    expect(e.message).toContain('unknown IDX dtype code 0x07');
  });

  it('reports truncation with expected and actual byte counts', () => {
    const full = rawIdx(0x08, [3, 2, 2], new Uint8Array(12));
    const e = expectCode(() => decodeIdx(full.subarray(0, full.length - 5), 'f', IDX_IMAGES_MAGIC), DatasetFormatError, ErrorCodes.DATASET_TRUNCATED);
    expect(e.details).toMatchObject({ expectedBytes: 28, actualBytes: 23 });
    expect(e.message).toContain('28');
    expect(e.message).toContain('23');
    // Inside the header too.
    const h = expectCode(() => decodeIdx(full.subarray(0, 9), 'f', IDX_IMAGES_MAGIC), DatasetFormatError, ErrorCodes.DATASET_TRUNCATED);
    expect(h.details).toMatchObject({ expectedBytes: 16, actualBytes: 9 });
    expectCode(() => decodeIdx(new Uint8Array([0, 0]), 'f', IDX_IMAGES_MAGIC), DatasetFormatError, ErrorCodes.DATASET_TRUNCATED);
  });

  it('rejects bytes beyond the declared dims and zero-dimension headers', () => {
    const extra = rawIdx(0x08, [2], [1, 2, 3]);
    const e = expectCode(() => decodeIdx(extra, 'f', 0x801), DatasetFormatError, ErrorCodes.DATASET_BAD_SHAPE);
    expect(e.details).toMatchObject({ expectedBytes: 10, actualBytes: 11 });
    expectCode(() => decodeIdx(rawIdx(0x08, [], []), 'f', 0x801), DatasetFormatError, ErrorCodes.DATASET_BAD_SHAPE);
  });

  it('refuses to encode inconsistent dims', () => {
    expectCode(() => encodeIdx([2, 2], new Uint8Array(3)), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
    expectCode(() => encodeIdx([], new Uint8Array(0)), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
    expectCode(() => encodeIdx([1.5], new Uint8Array(1)), DatasetError, ErrorCodes.DATASET_INVALID_OPTIONS);
  });
});
