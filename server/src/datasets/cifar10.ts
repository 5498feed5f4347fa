import { gzipSync } from 'node:zlib';
import { DatasetError, DatasetFormatError, ErrorCodes } from '@temper/edge';
import type { ImageDataset } from '@temper/edge';
import { checkLabelRange } from './classes.ts';
import { maybeGunzip } from './gzip.ts';
import { byteToUnit, unitToByte } from './pixels.ts';

/**
 * CIFAR-10's binary version: headerless files of 3073-byte records, one label byte then a
 * 32×32 image stored channel-planar (1024 red, 1024 green, 1024 blue bytes, each row-major).
 */

export const CIFAR10_SIDE = 32;
export const CIFAR10_PLANE = CIFAR10_SIDE * CIFAR10_SIDE;
export const CIFAR10_RECORD_BYTES = 1 + 3 * CIFAR10_PLANE;
/** The order of batches.meta.txt in the official archive; used when no meta file is given. */
export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

export interface ParseCifar10Options {
  /** data_batch_1.bin … data_batch_5.bin and/or test_batch.bin, in the order their records should appear. */
  readonly batches: readonly Uint8Array[];
  readonly name: string;
  /** Contents of batches.meta.txt (one class name a line); the standard names otherwise. */
  readonly meta?: Uint8Array | string;
  /** How error messages name each batch, e.g. its path. */
  readonly sources?: readonly string[];
  /** How error messages name the meta file. */
  readonly metaSource?: string;
}

/** One line per class, as batches.meta.txt holds them; blank lines (the file ends with some) are dropped. */
export function parseCifar10Meta(meta: Uint8Array | string, file = 'batches.meta.txt'): string[] {
  const text = typeof meta === 'string' ? meta : new TextDecoder().decode(meta);
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== CIFAR10_CLASS_NAMES.length) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_COUNT_MISMATCH,
      `${file} names ${names.length} classes; CIFAR-10 has ${CIFAR10_CLASS_NAMES.length}.`,
      { file, classNames: names.length, numClasses: CIFAR10_CLASS_NAMES.length },
    );
  }
  return names;
}

function isTar(bytes: Uint8Array): boolean {
  // POSIX tar puts "ustar" at offset 257 of its first header block.
  return bytes.length >= 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar';
}

/** CIFAR-10 binary batches, concatenated, as an ImageDataset (32×32×3 HWC float32 in [0,1]). */
export function parseCifar10(options: ParseCifar10Options): ImageDataset {
  if (options.batches.length === 0) {
    throw new DatasetError(ErrorCodes.DATASET_INVALID_OPTIONS, 'parseCifar10 needs at least one batch file.');
  }
  const classNames = options.meta !== undefined ? parseCifar10Meta(options.meta, options.metaSource) : [...CIFAR10_CLASS_NAMES];
  const numClasses = CIFAR10_CLASS_NAMES.length;

  const batches = options.batches.map((raw, b) => {
    const file = options.sources?.[b] ?? `batch ${b}`;
    const bytes = maybeGunzip(raw, file);
    if (isTar(bytes)) {
      // The official download is cifar-10-binary.tar.gz; users pass it whole surprisingly often.
      throw new DatasetFormatError(
        ErrorCodes.DATASET_BAD_MAGIC,
        `${file} is a tar archive; expected a raw CIFAR-10 batch (extract data_batch_*.bin / test_batch.bin first).`,
        { file, expected: 'headerless 3073-byte records', found: 'tar archive' },
      );
    }
    if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
      const expectedBytes = Math.max(1, Math.ceil(bytes.length / CIFAR10_RECORD_BYTES)) * CIFAR10_RECORD_BYTES;
      throw new DatasetFormatError(
        ErrorCodes.DATASET_TRUNCATED,
        `${file} is truncated: CIFAR-10 batches are whole ${CIFAR10_RECORD_BYTES}-byte records, ` +
          `so ${bytes.length} bytes should be ${expectedBytes}.`,
        { file, expectedBytes, actualBytes: bytes.length, recordBytes: CIFAR10_RECORD_BYTES },
      );
    }
    const records = bytes.length / CIFAR10_RECORD_BYTES;
    const labels = new Uint8Array(records);
    for (let r = 0; r < records; r++) labels[r] = bytes[r * CIFAR10_RECORD_BYTES];
    checkLabelRange(labels, numClasses, file);
    return { bytes, records, labels };
  });

  const count = batches.reduce((n, b) => n + b.records, 0);
  const images = new Float32Array(count * 3 * CIFAR10_PLANE);
  const labels = new Int32Array(count);
  let row = 0;
  for (const batch of batches) {
    for (let r = 0; r < batch.records; r++, row++) {
      const rec = r * CIFAR10_RECORD_BYTES + 1;
      const out = row * 3 * CIFAR10_PLANE;
      labels[row] = batch.labels[r];
      for (let c = 0; c < 3; c++) {
        const plane = rec + c * CIFAR10_PLANE;
        for (let p = 0; p < CIFAR10_PLANE; p++) images[out + p * 3 + c] = byteToUnit(batch.bytes[plane + p]);
      }
    }
  }
  return {
    name: options.name,
    images,
    labels,
    count,
    height: CIFAR10_SIDE,
    width: CIFAR10_SIDE,
    channels: 3,
    numClasses,
    classNames,
  };
}

/** A 32×32×3 ImageDataset as one CIFAR-10 binary batch (pixels quantized to bytes). */
export function encodeCifar10(ds: ImageDataset, options: { gzip?: boolean } = {}): Uint8Array {
  if (ds.height !== CIFAR10_SIDE || ds.width !== CIFAR10_SIDE || ds.channels !== 3) {
    throw new DatasetError(
      ErrorCodes.DATASET_INVALID_OPTIONS,
      `CIFAR-10 records hold 32×32×3 images; ${ds.name} is ${ds.height}×${ds.width}×${ds.channels}.`,
      { name: ds.name, height: ds.height, width: ds.width, channels: ds.channels },
    );
  }
  if (ds.images.length < ds.count * 3 * CIFAR10_PLANE) {
    throw new DatasetError(
      ErrorCodes.DATASET_INVALID_OPTIONS,
      `${ds.name} declares ${ds.count} images but holds ${ds.images.length} values.`,
      { name: ds.name },
    );
  }
  const out = new Uint8Array(ds.count * CIFAR10_RECORD_BYTES);
  for (let i = 0; i < ds.count; i++) {
    const y = ds.labels[i];
    if (!(y >= 0 && y < CIFAR10_CLASS_NAMES.length)) {
      throw new DatasetError(ErrorCodes.DATASET_INVALID_OPTIONS, `Label ${y} at index ${i} is not a CIFAR-10 class.`, {
        index: i,
        value: y,
      });
    }
    const rec = i * CIFAR10_RECORD_BYTES;
    const src = i * 3 * CIFAR10_PLANE;
    out[rec] = y;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < CIFAR10_PLANE; p++) out[rec + 1 + c * CIFAR10_PLANE + p] = unitToByte(ds.images[src + p * 3 + c]);
    }
  }
  return options.gzip ? new Uint8Array(gzipSync(out)) : out;
}

/** batches.meta.txt content for the given names, with the official file's trailing newline. */
export function encodeCifar10Meta(classNames: readonly string[] = CIFAR10_CLASS_NAMES): string {
  return `${classNames.join('\n')}\n`;
}
