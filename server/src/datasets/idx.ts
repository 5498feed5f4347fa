import { DatasetError, DatasetFormatError, ErrorCodes } from '@temper/edge';

/**
 * The IDX container (LeCun's MNIST format, also used by Fashion-MNIST, KMNIST, EMNIST):
 * a big-endian int32 magic `00 00 <dtype> <ndims>`, then `ndims` big-endian uint32 sizes,
 * then the elements in row-major order, big-endian.
 */

/** IDX element type codes and their names. Only `ubyte` is decoded: every image set we serve ships as bytes. */
export const IDX_DTYPES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short (int16)',
  0x0c: 'int (int32)',
  0x0d: 'float (float32)',
  0x0e: 'double (float64)',
};

export const IDX_UBYTE = 0x08;
/** Magic numbers of the two MNIST files: ubyte N×H×W images and ubyte N labels. */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxArray {
  readonly dtype: typeof IDX_UBYTE;
  readonly dims: readonly number[];
  /** A view into the input bytes (no copy). */
  readonly data: Uint8Array;
}

export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

function hex8(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * Decodes one IDX file. `expectedMagic` only shapes the error message: the caller knows whether
 * it wanted an images or a labels file, and says so when the bytes are not IDX at all.
 */
export function decodeIdx(bytes: Uint8Array, file: string, expectedMagic: number): IdxArray {
  if (bytes.length < 4) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_TRUNCATED,
      `${file} is truncated: an IDX header needs at least 4 bytes, the file has ${bytes.length}.`,
      { file, expectedBytes: 4, actualBytes: bytes.length },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_BAD_MAGIC,
      `${file} is not an IDX file: expected magic number ${hex32(expectedMagic)}, found ${hex32(magic)}.`,
      { file, expectedMagic: hex32(expectedMagic), foundMagic: hex32(magic) },
    );
  }
  const dtype = bytes[2];
  const ndims = bytes[3];
  if (dtype !== IDX_UBYTE) {
    const dtypeName = IDX_DTYPES[dtype];
    const what = dtypeName ? `IDX dtype ${hex8(dtype)} (${dtypeName})` : `unknown IDX dtype code ${hex8(dtype)}`;
    throw new DatasetFormatError(
      ErrorCodes.DATASET_UNSUPPORTED_DTYPE,
      `${file} has ${what}; only ${hex8(IDX_UBYTE)} (unsigned byte) is supported.`,
      { file, dtype: hex8(dtype), dtypeName: dtypeName ?? null, magic: hex32(magic) },
    );
  }
  if (ndims === 0) {
    throw new DatasetFormatError(ErrorCodes.DATASET_BAD_SHAPE, `${file} declares 0 dimensions.`, {
      file,
      dims: [],
    });
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_TRUNCATED,
      `${file} is truncated: its ${ndims}-dimension IDX header needs ${headerBytes} bytes, the file has ${bytes.length}.`,
      { file, expectedBytes: headerBytes, actualBytes: bytes.length },
    );
  }
  const dims: number[] = [];
  let elements = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    elements *= size;
  }
  // Doubles stay exact up to 2^53; beyond that the product is still far above any real file size.
  const expectedBytes = headerBytes + elements;
  if (bytes.length < expectedBytes) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_TRUNCATED,
      `${file} is truncated: header declares dims [${dims.join(', ')}], which need ${expectedBytes} bytes; ` +
        `the file has ${bytes.length}.`,
      { file, dims, expectedBytes, actualBytes: bytes.length },
    );
  }
  if (bytes.length > expectedBytes) {
    // Extra bytes mean the header and the payload disagree (two files concatenated, a wrong
    // header): reading the declared prefix would silently drop or misalign data.
    throw new DatasetFormatError(
      ErrorCodes.DATASET_BAD_SHAPE,
      `${file} has ${bytes.length - expectedBytes} bytes beyond what its header dims [${dims.join(', ')}] ` +
        `declare (${expectedBytes} bytes expected, ${bytes.length} found).`,
      { file, dims, expectedBytes, actualBytes: bytes.length },
    );
  }
  return { dtype: IDX_UBYTE, dims, data: bytes.subarray(headerBytes, expectedBytes) };
}

/** An unsigned-byte IDX file holding `data` with the given dims. */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  if (dims.length < 1 || dims.length > 255) {
    throw new DatasetError(ErrorCodes.DATASET_INVALID_OPTIONS, `IDX needs 1 to 255 dimensions, got ${dims.length}.`, {
      dims,
    });
  }
  let elements = 1;
  for (const size of dims) {
    if (!Number.isInteger(size) || size < 0 || size > 0xffffffff) {
      throw new DatasetError(ErrorCodes.DATASET_INVALID_OPTIONS, `IDX dimension ${size} is not a uint32.`, { dims });
    }
    elements *= size;
  }
  if (elements !== data.length) {
    throw new DatasetError(
      ErrorCodes.DATASET_INVALID_OPTIONS,
      `IDX dims [${dims.join(', ')}] hold ${elements} elements but ${data.length} were given.`,
      { dims, elements: data.length },
    );
  }
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, (IDX_UBYTE << 8) | dims.length, false);
  dims.forEach((size, d) => view.setUint32(4 + 4 * d, size, false));
  out.set(data, headerBytes);
  return out;
}
