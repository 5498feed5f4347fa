/**
 * 8-bit pixel ↔ [0,1] float conversion shared by every byte-based format, so that decoding is
 * exactly `float32(b / 255)` everywhere and an encode → decode round trip is lossless.
 */

const BYTE_TO_UNIT = (() => {
  const lut = new Float32Array(256);
  for (let b = 0; b < 256; b++) lut[b] = b / 255;
  return lut;
})();

export function byteToUnit(b: number): number {
  return BYTE_TO_UNIT[b];
}

/** `out[i] = src[i] / 255` as float32. */
export function bytesToUnit(src: Uint8Array, out: Float32Array = new Float32Array(src.length)): Float32Array {
  for (let i = 0; i < src.length; i++) out[i] = BYTE_TO_UNIT[src[i]];
  return out;
}

/**
 * The nearest byte to `v * 255`. Values outside [0,1] (or NaN) break the ImageDataset contract;
 * they are clamped rather than rejected so an export of a slightly off-range augmentation still works.
 */
export function unitToByte(v: number): number {
  if (!(v > 0)) return 0;
  if (v >= 1) return 255;
  return Math.round(v * 255);
}
