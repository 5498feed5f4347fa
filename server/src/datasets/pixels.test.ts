import { describe, expect, it } from 'vitest';
import { byteToUnit, bytesToUnit, unitToByte } from './pixels.ts';

describe('pixels', () => {
  it('decodes bytes as float32(b/255) and round-trips every byte', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const f = bytesToUnit(all);
    for (let b = 0; b < 256; b++) {
      expect(f[b]).toBe(Math.fround(b / 255));
      expect(byteToUnit(b)).toBe(f[b]);
      expect(unitToByte(f[b])).toBe(b);
    }
  });

  it('clamps out-of-contract values', () => {
    expect(unitToByte(-0.5)).toBe(0);
    expect(unitToByte(Number.NaN)).toBe(0);
    expect(unitToByte(1.7)).toBe(255);
    expect(unitToByte(0.5)).toBe(128);
  });
});
