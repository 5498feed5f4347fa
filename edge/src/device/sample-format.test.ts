import { describe, expect, it } from 'vitest';
import { ErrorCodes, TemperError } from '../errors.ts';
import {
  decodeEdgeSample,
  dequantizePixels,
  EDGE_SAMPLE_HEADER_BYTES,
  edgeSampleDataset,
  encodeEdgeSample,
  quantizeDataset,
  quantizePixels,
  type EncodeEdgeSampleInput,
} from './sample-format.ts';

function input(overrides: Partial<EncodeEdgeSampleInput> = {}): EncodeEdgeSampleInput {
  const count = 3;
  const px = 2 * 3 * 1;
  const images = new Float32Array(count * px);
  for (let i = 0; i < images.length; i++) images[i] = (i * 37) % 256 / 255;
  return { height: 2, width: 3, channels: 1, numClasses: 10, images, labels: [7, 0, 9], serverPredictions: [7, 1, 9], ...overrides };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TemperError);
    return (e as TemperError).code;
  }
  return undefined;
}

describe('edge sample format', () => {
  it('round-trips byte-valued images exactly, with labels and server predictions', () => {
    const inp = input();
    const bytes = encodeEdgeSample(inp);
    expect(bytes.length).toBe(EDGE_SAMPLE_HEADER_BYTES + 3 * 6 + 2 * 3 * 2);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('TMPS');
    const s = decodeEdgeSample(bytes);
    expect([s.count, s.height, s.width, s.channels, s.numClasses]).toEqual([3, 2, 3, 1, 10]);
    expect(Array.from(s.labels)).toEqual([7, 0, 9]);
    expect(Array.from(s.serverPredictions!)).toEqual([7, 1, 9]);
    const ds = edgeSampleDataset(s);
    expect(ds.count).toBe(3);
    expect(Array.from(ds.images)).toEqual(Array.from(inp.images as Float32Array));
    // An ArrayBuffer decodes the same, and so does a view into a larger buffer.
    expect(decodeEdgeSample(bytes.slice().buffer).count).toBe(3);
    const padded = new Uint8Array(bytes.length + 5);
    padded.set(bytes, 5);
    expect(Array.from(decodeEdgeSample(padded.subarray(5)).labels)).toEqual([7, 0, 9]);
  });

  it('quantizes other floats to the nearest byte and makes the server predict on what the device sees', () => {
    const q = quantizePixels(new Float32Array([0, 0.5, 1, 0.1234, 1 + 1e-7]));
    expect(Array.from(q)).toEqual([0, 128, 255, 31, 255]);
    const ds = { name: 'x', images: new Float32Array([0.1234, 0.9999]), labels: new Int32Array([0, 1]), count: 2, height: 1, width: 1, channels: 1, numClasses: 2 };
    const qd = quantizeDataset(ds);
    const decoded = edgeSampleDataset(decodeEdgeSample(encodeEdgeSample({ ...ds, images: ds.images })));
    expect(Array.from(decoded.images)).toEqual(Array.from(qd.images));
    expect(Array.from(quantizeDataset(qd).images)).toEqual(Array.from(qd.images));
    expect(dequantizePixels(new Uint8Array([255]))[0]).toBe(1);
  });

  it('omits server predictions when none are given', () => {
    const s = decodeEdgeSample(encodeEdgeSample(input({ serverPredictions: null })));
    expect(s.serverPredictions).toBeNull();
  });

  it('refuses bad encoder input with stable codes', () => {
    expect(codeOf(() => encodeEdgeSample(input({ images: new Float32Array(17) })))).toBe(ErrorCodes.EDGE_SAMPLE_BAD_SHAPE);
    expect(codeOf(() => encodeEdgeSample(input({ serverPredictions: [1] })))).toBe(ErrorCodes.EDGE_SAMPLE_BAD_SHAPE);
    expect(codeOf(() => encodeEdgeSample(input({ labels: [], images: new Float32Array(0) })))).toBe(ErrorCodes.EDGE_SAMPLE_BAD_SHAPE);
    expect(codeOf(() => encodeEdgeSample(input({ numClasses: 1 })))).toBe(ErrorCodes.EDGE_SAMPLE_BAD_SHAPE);
    expect(codeOf(() => encodeEdgeSample(input({ labels: [7, 0, 10] })))).toBe(ErrorCodes.EDGE_SAMPLE_LABEL_OUT_OF_RANGE);
    expect(codeOf(() => encodeEdgeSample(input({ serverPredictions: [7, -1, 9] })))).toBe(ErrorCodes.EDGE_SAMPLE_LABEL_OUT_OF_RANGE);
    const nan = input().images.slice() as Float32Array;
    nan[4] = NaN;
    expect(codeOf(() => encodeEdgeSample(input({ images: nan })))).toBe(ErrorCodes.EDGE_SAMPLE_INVALID_PIXELS);
    expect(codeOf(() => quantizePixels(new Float32Array([1.5])))).toBe(ErrorCodes.EDGE_SAMPLE_INVALID_PIXELS);
  });

  it('refuses bad files with one code per fault', () => {
    const good = encodeEdgeSample(input());
    const edit = (f: (b: Uint8Array, v: DataView) => void) => {
      const b = good.slice();
      f(b, new DataView(b.buffer));
      return b;
    };
    expect(codeOf(() => decodeEdgeSample(new TextEncoder().encode('{"images":[]}')))).toBe(ErrorCodes.EDGE_SAMPLE_BAD_MAGIC);
    expect(codeOf(() => decodeEdgeSample(new Uint8Array(0)))).toBe(ErrorCodes.EDGE_SAMPLE_BAD_MAGIC);
    expect(codeOf(() => decodeEdgeSample(good.subarray(0, 10)))).toBe(ErrorCodes.EDGE_SAMPLE_TRUNCATED);
    expect(codeOf(() => decodeEdgeSample(good.subarray(0, good.length - 1)))).toBe(ErrorCodes.EDGE_SAMPLE_TRUNCATED);
    expect(codeOf(() => decodeEdgeSample(new Uint8Array([...good, 0])))).toBe(ErrorCodes.EDGE_SAMPLE_SIZE_MISMATCH);
    expect(codeOf(() => decodeEdgeSample(edit((_, v) => v.setUint16(4, 2, true))))).toBe(ErrorCodes.EDGE_SAMPLE_UNSUPPORTED_VERSION);
    expect(codeOf(() => decodeEdgeSample(edit((b) => (b[7] = 3))))).toBe(ErrorCodes.EDGE_SAMPLE_UNSUPPORTED_VERSION);
    expect(codeOf(() => decodeEdgeSample(edit((b) => (b[6] = 2))))).toBe(ErrorCodes.EDGE_SAMPLE_UNSUPPORTED_DTYPE);
    expect(codeOf(() => decodeEdgeSample(edit((_, v) => v.setUint32(8, 0, true))))).toBe(ErrorCodes.EDGE_SAMPLE_BAD_SHAPE);
    expect(codeOf(() => decodeEdgeSample(edit((_, v) => v.setUint16(18, 1, true))))).toBe(ErrorCodes.EDGE_SAMPLE_BAD_SHAPE);
    // A count that promises more rows than the file holds.
    expect(codeOf(() => decodeEdgeSample(edit((_, v) => v.setUint32(8, 1_000_000, true))))).toBe(ErrorCodes.EDGE_SAMPLE_TRUNCATED);
    // Label of row 1 set to 10 with 10 classes.
    const labelsAt = EDGE_SAMPLE_HEADER_BYTES + 18;
    expect(codeOf(() => decodeEdgeSample(edit((_, v) => v.setUint16(labelsAt + 2, 10, true))))).toBe(ErrorCodes.EDGE_SAMPLE_LABEL_OUT_OF_RANGE);
    expect(codeOf(() => decodeEdgeSample(edit((_, v) => v.setUint16(labelsAt + 6, 99, true))))).toBe(ErrorCodes.EDGE_SAMPLE_LABEL_OUT_OF_RANGE);
  });
});
