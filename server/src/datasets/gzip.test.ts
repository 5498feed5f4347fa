import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetFormatError, ErrorCodes } from '@temper/edge';
import { isGzip, maybeGunzip } from './gzip.ts';
import { expectCode } from './test-helpers.ts';

const payload = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256);
const gz = new Uint8Array(gzipSync(payload));

describe('gzip detection', () => {
  it('detects gzip by its magic bytes, not by name', () => {
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(payload)).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });

  it('passes raw bytes through untouched and inflates gzip', () => {
    expect(maybeGunzip(payload, 'f')).toBe(payload);
    expect(Array.from(maybeGunzip(gz, 'f'))).toEqual(Array.from(payload));
  });

  it('reports a stream cut short as truncated', () => {
    const e = expectCode(() => maybeGunzip(gz.subarray(0, gz.length - 30), 'x.gz'), DatasetFormatError, ErrorCodes.DATASET_TRUNCATED);
    expect(e.message).toContain('x.gz');
  });

  it('reports damaged deflate data or a bad CRC as corrupt', () => {
    const crc = gz.slice();
    crc[crc.length - 6] ^= 0xff;
    expectCode(() => maybeGunzip(crc, 'x.gz'), DatasetFormatError, ErrorCodes.DATASET_CORRUPT);
    const garbage = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]);
    expectCode(() => maybeGunzip(garbage, 'x.gz'), DatasetFormatError, ErrorCodes.DATASET_CORRUPT);
  });
});

describe('gzip bombs', () => {
  it('inflation stops at the cap with DATASET_TOO_LARGE instead of allocating the whole output', () => {
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024)); // 64 MiB of zeros: ~64 KB compressed
    const started = performance.now();
    const e = expectCode(() => maybeGunzip(bomb, 'bomb.gz', 8 * 1024 * 1024), DatasetFormatError, ErrorCodes.DATASET_TOO_LARGE);
    expect(e.details).toMatchObject({ file: 'bomb.gz', maxBytes: 8 * 1024 * 1024 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(maybeGunzip(bomb, 'bomb.gz').length).toBe(64 * 1024 * 1024); // under the default cap it still unpacks
  });
});
