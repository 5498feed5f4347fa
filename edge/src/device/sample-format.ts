import type { ImageDataset } from '../data/dataset.ts';
import { DatasetFormatError, ErrorCodes, type ErrorCode } from '../errors.ts';

/**
 * The edge check's sample: one compact binary file instead of JSON arrays (a 1,000-image MNIST sample
 * is 0.8 MB here against ~10 MB of JSON numbers), holding the images, their labels and the server's
 * clean predictions for the agreement check.
 *
 * Pixels are quantized to bytes: byte = round(x * 255), decoded as byte / 255. That is lossless for
 * datasets stored as bytes (MNIST, Fashion-MNIST, CIFAR-10: every pixel is already k / 255), and a
 * 1/510 rounding for anything else. The server must therefore compute its predictions on the decoded
 * images (`quantizeDataset`), never on the originals, so that both sides classify identical inputs.
 *
 * Layout, little-endian (v1):
 *
 * | offset | size | field                                                        |
 * |--------|------|--------------------------------------------------------------|
 * | 0      | 4    | magic "TMPS" (54 4D 50 53)                                   |
 * | 4      | 2    | version, uint16 = 1                                          |
 * | 6      | 1    | pixel dtype, uint8: 1 = uint8 (the only one in v1)           |
 * | 7      | 1    | flags: bit 0 = server predictions present; others 0          |
 * | 8      | 4    | count, uint32 >= 1                                           |
 * | 12     | 2    | height, uint16 >= 1                                          |
 * | 14     | 2    | width, uint16 >= 1                                           |
 * | 16     | 2    | channels, uint16 >= 1                                        |
 * | 18     | 2    | numClasses, uint16 >= 2                                      |
 * | 20     | 4    | reserved, 0                                                  |
 * | 24     | N    | pixels: count*height*width*channels bytes, NHWC              |
 * | 24+N   | 2c   | labels: count uint16                                         |
 * | ...    | 2c   | server predictions: count uint16 (only when flag bit 0 set)  |
 *
 * Nothing may follow. Every way a file can be wrong has its own EDGE_SAMPLE_* code.
 */

export const EDGE_SAMPLE_MAGIC = 'TMPS';
export const EDGE_SAMPLE_VERSION = 1;
export const EDGE_SAMPLE_HEADER_BYTES = 24;
export const EDGE_SAMPLE_DTYPE_UINT8 = 1;
const FLAG_PREDICTIONS = 1;
/** Height, width, channels and numClasses are uint16 fields. */
const MAX_DIM = 0xffff;

export interface EdgeSample {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  /** NHWC bytes as sent: round(x * 255). */
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  /** The server's clean predicted class per row, or null when the file carries none. */
  readonly serverPredictions: Int32Array | null;
}

export interface EncodeEdgeSampleInput {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  /** Either [0,1] floats (quantized here) or bytes already quantized. */
  readonly images: Float32Array | Uint8Array;
  readonly labels: ArrayLike<number>;
  /** The server's clean predictions on the *quantized* images (see quantizeDataset). */
  readonly serverPredictions?: ArrayLike<number> | null;
}

function sampleError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): DatasetFormatError {
  return new DatasetFormatError(code, message, details);
}

/** round(x * 255) per pixel; NaN or values outside [0,1] (beyond float noise) are refused. */
export function quantizePixels(images: Float32Array): Uint8Array {
  const out = new Uint8Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const v = images[i];
    if (!(v >= -1e-6 && v <= 1 + 1e-6)) {
      throw sampleError(ErrorCodes.EDGE_SAMPLE_INVALID_PIXELS, `Pixel ${i} is ${v}; sample images must be in [0,1].`, { index: i, value: v });
    }
    out[i] = Math.round(Math.min(Math.max(v, 0), 1) * 255);
  }
  return out;
}

/** byte / 255 as float32: the one decoding both the device and the server use. */
export function dequantizePixels(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}

/** The dataset with its pixels snapped to the byte grid: what the device will see after decoding. */
export function quantizeDataset(ds: ImageDataset): ImageDataset {
  return { ...ds, images: dequantizePixels(quantizePixels(ds.images)) };
}

function checkShape(h: number, w: number, c: number, numClasses: number, count: number): void {
  const dims = { height: h, width: w, channels: c, numClasses, count };
  const okDim = (v: number) => Number.isInteger(v) && v >= 1 && v <= MAX_DIM;
  if (!okDim(h) || !okDim(w) || !okDim(c) || !okDim(numClasses) || numClasses < 2 || !Number.isInteger(count) || count < 1 || count > 0xffffffff) {
    throw sampleError(
      ErrorCodes.EDGE_SAMPLE_BAD_SHAPE,
      `A sample needs count >= 1, height/width/channels in 1..${MAX_DIM} and 2..${MAX_DIM} classes; got ${JSON.stringify(dims)}.`,
      dims,
    );
  }
}

function checkClasses(values: ArrayLike<number>, numClasses: number, what: 'label' | 'prediction'): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v < numClasses)) {
      throw sampleError(ErrorCodes.EDGE_SAMPLE_LABEL_OUT_OF_RANGE, `Row ${i} has ${what} ${v}, outside 0..${numClasses - 1}.`, { row: i, value: v, what, numClasses });
    }
  }
}

export function encodeEdgeSample(input: EncodeEdgeSampleInput): Uint8Array {
  const { height: h, width: w, channels: c, numClasses } = input;
  const count = input.labels.length;
  checkShape(h, w, c, numClasses, count);
  const px = h * w * c;
  if (input.images.length !== count * px) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_BAD_SHAPE, `${count} labels need ${count * px} pixel values (${h}x${w}x${c} each); got ${input.images.length}.`, {
      count,
      expected: count * px,
      actual: input.images.length,
    });
  }
  const preds = input.serverPredictions ?? null;
  if (preds && preds.length !== count) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_BAD_SHAPE, `${count} labels but ${preds.length} server predictions.`, { count, predictions: preds.length });
  }
  checkClasses(input.labels, numClasses, 'label');
  if (preds) checkClasses(preds, numClasses, 'prediction');
  const pixels = input.images instanceof Uint8Array ? input.images : quantizePixels(input.images);

  const total = EDGE_SAMPLE_HEADER_BYTES + count * px + 2 * count * (preds ? 2 : 1);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = EDGE_SAMPLE_MAGIC.charCodeAt(i);
  view.setUint16(4, EDGE_SAMPLE_VERSION, true);
  out[6] = EDGE_SAMPLE_DTYPE_UINT8;
  out[7] = preds ? FLAG_PREDICTIONS : 0;
  view.setUint32(8, count, true);
  view.setUint16(12, h, true);
  view.setUint16(14, w, true);
  view.setUint16(16, c, true);
  view.setUint16(18, numClasses, true);
  out.set(pixels, EDGE_SAMPLE_HEADER_BYTES);
  let off = EDGE_SAMPLE_HEADER_BYTES + count * px;
  for (let i = 0; i < count; i++, off += 2) view.setUint16(off, input.labels[i], true);
  if (preds) for (let i = 0; i < count; i++, off += 2) view.setUint16(off, preds[i], true);
  return out;
}

export function decodeEdgeSample(data: Uint8Array | ArrayBuffer): EdgeSample {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < 4 || String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) !== EDGE_SAMPLE_MAGIC) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_BAD_MAGIC, `Not a Temper edge sample: the file does not start with "${EDGE_SAMPLE_MAGIC}".`, {
      start: Array.from(bytes.subarray(0, 4)),
    });
  }
  if (bytes.length < EDGE_SAMPLE_HEADER_BYTES) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_TRUNCATED, `The sample's header needs ${EDGE_SAMPLE_HEADER_BYTES} bytes; the file has ${bytes.length}.`, {
      expected: EDGE_SAMPLE_HEADER_BYTES,
      actual: bytes.length,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== EDGE_SAMPLE_VERSION) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_UNSUPPORTED_VERSION, `Sample format version ${version} is not supported (this build reads ${EDGE_SAMPLE_VERSION}).`, {
      version,
      supported: [EDGE_SAMPLE_VERSION],
    });
  }
  const dtype = bytes[6];
  if (dtype !== EDGE_SAMPLE_DTYPE_UINT8) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_UNSUPPORTED_DTYPE, `Sample pixel dtype ${dtype} is not supported (1 = uint8).`, { dtype });
  }
  const flags = bytes[7];
  if ((flags & ~FLAG_PREDICTIONS) !== 0 || view.getUint32(20, true) !== 0) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_UNSUPPORTED_VERSION, `The sample sets header flags or reserved bytes that version ${EDGE_SAMPLE_VERSION} does not define.`, {
      flags,
    });
  }
  const count = view.getUint32(8, true);
  const h = view.getUint16(12, true);
  const w = view.getUint16(14, true);
  const c = view.getUint16(16, true);
  const numClasses = view.getUint16(18, true);
  checkShape(h, w, c, numClasses, count);
  const hasPreds = (flags & FLAG_PREDICTIONS) !== 0;
  const px = h * w * c;
  const expected = EDGE_SAMPLE_HEADER_BYTES + count * px + 2 * count * (hasPreds ? 2 : 1);
  if (bytes.length < expected) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_TRUNCATED, `The sample's header promises ${expected} bytes (${count} images of ${h}x${w}x${c}); the file has ${bytes.length}.`, {
      expected,
      actual: bytes.length,
    });
  }
  if (bytes.length > expected) {
    throw sampleError(ErrorCodes.EDGE_SAMPLE_SIZE_MISMATCH, `The sample has ${bytes.length - expected} bytes after its last row.`, { expected, actual: bytes.length });
  }
  const pixels = bytes.slice(EDGE_SAMPLE_HEADER_BYTES, EDGE_SAMPLE_HEADER_BYTES + count * px);
  let off = EDGE_SAMPLE_HEADER_BYTES + count * px;
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++, off += 2) labels[i] = view.getUint16(off, true);
  checkClasses(labels, numClasses, 'label');
  let serverPredictions: Int32Array | null = null;
  if (hasPreds) {
    serverPredictions = new Int32Array(count);
    for (let i = 0; i < count; i++, off += 2) serverPredictions[i] = view.getUint16(off, true);
    checkClasses(serverPredictions, numClasses, 'prediction');
  }
  return { count, height: h, width: w, channels: c, numClasses, pixels, labels, serverPredictions };
}

/** The sample as an ImageDataset of [0,1] floats (byte / 255), for the attacks and evaluation. */
export function edgeSampleDataset(sample: EdgeSample, name = 'edge-sample'): ImageDataset {
  return {
    name,
    images: dequantizePixels(sample.pixels),
    labels: sample.labels,
    count: sample.count,
    height: sample.height,
    width: sample.width,
    channels: sample.channels,
    numClasses: sample.numClasses,
  };
}
