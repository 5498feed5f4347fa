import { describe, expect, it } from 'vitest';
import { warmedEps } from './pgd-at.ts';

describe('PGD-AT eps warm-up', () => {
  it('ramps linearly to eps over the warm-up steps, then holds it', () => {
    expect(warmedEps(0.3, 0, 100)).toBeCloseTo(0.003, 12);
    expect(warmedEps(0.3, 49, 100)).toBeCloseTo(0.15, 12);
    expect(warmedEps(0.3, 99, 100)).toBe(0.3);
    expect(warmedEps(0.3, 5000, 100)).toBe(0.3);
  });

  it('is off with no warm-up steps (Madry: eps from the first step)', () => {
    expect(warmedEps(0.3, 0, 0)).toBe(0.3);
  });
});
