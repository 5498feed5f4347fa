import { gunzipSync } from 'node:zlib';
import { DatasetFormatError, ErrorCodes } from '@temper/edge';

/** True when the bytes start with the gzip member magic (RFC 1952: 1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Largest decompressed dataset file: CIFAR-10's training batches unpack to 150 MB and MNIST's to 47 MB.
 * Without a cap a 1 MiB gzip bomb inflates to 1 GiB (and a 4 MiB one to 4 GiB) inside the API process.
 */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/**
 * The bytes themselves, or their decompression when they are gzip. Users hold MNIST-style files
 * both as published (`.gz`) and unpacked, often renamed, so the content decides, not the file name.
 *
 * A stream that ends early (an interrupted download, the common case) is reported as truncated;
 * any other zlib failure (bad CRC, invalid deflate data) as corrupt.
 */
export function maybeGunzip(bytes: Uint8Array, file: string, maxBytes = MAX_INFLATED_BYTES): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    const out = gunzipSync(bytes, { maxOutputLength: maxBytes });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const zcode = (e as { code?: unknown }).code;
    if (zcode === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetFormatError(
        ErrorCodes.DATASET_TOO_LARGE,
        `${file} inflates to more than ${maxBytes} bytes (from ${bytes.length} compressed bytes); the largest dataset file Temper unpacks is ${maxBytes} bytes.`,
        { file, compressedBytes: bytes.length, maxBytes },
        { cause: e },
      );
    }
    const reason = e instanceof Error ? e.message : String(e);
    const details = { file, compressedBytes: bytes.length, zlibCode: zcode, reason };
    if (zcode === 'Z_BUF_ERROR') {
      throw new DatasetFormatError(
        ErrorCodes.DATASET_TRUNCATED,
        `${file} is a truncated gzip stream (${bytes.length} compressed bytes end before the stream does): ${reason}.`,
        details,
        { cause: e },
      );
    }
    throw new DatasetFormatError(
      ErrorCodes.DATASET_CORRUPT,
      `${file} is a corrupt gzip stream: ${reason}.`,
      details,
      { cause: e },
    );
  }
}
