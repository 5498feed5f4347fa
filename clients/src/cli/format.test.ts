import { describe, expect, test } from 'vitest';
import { CliError } from './exit-codes.ts';
import { clip, epsLabel, epsShort, parseEps, parseEpsList, shortTime } from './format.ts';

describe('eps as papers write it', () => {
  test('8/255 parses to the exact fraction; decimals as before', () => {
    expect(parseEps('8/255', '--eps')).toBe(8 / 255);
    expect(parseEps(' 0.3 ', '--eps')).toBe(0.3);
    expect(parseEpsList('2/255, 8/255,0.1', '--eps')).toEqual([2 / 255, 8 / 255, 0.1]);
  });

  test('out of range, malformed or division by zero: a usage error naming both forms', () => {
    for (const bad of ['300/255', '1/0', 'abc', '', '-0.1', '8/']) {
      expect(() => parseEps(bad, '--eps')).toThrow(CliError);
    }
    expect(() => parseEps('2', '--eps')).toThrow(/--eps must be a radius in \[0,1\], as a number \(0\.031\) or a fraction \(8\/255\), got "2"/);
  });

  test('shown both ways when the decimal hides an 8-bit step, as typed otherwise', () => {
    expect(epsLabel(8 / 255)).toBe('0.03137 (8/255)');
    expect(epsLabel(2 / 255)).toBe('0.007843 (2/255)');
    expect(epsLabel(0.1)).toBe('0.1');
    expect(epsLabel(0.2)).toBe('0.2');
    expect(epsLabel(0)).toBe('0');
    expect(epsShort(8 / 255)).toBe('8/255');
    expect(epsShort(0.3)).toBe('0.3');
  });
});

test('narrow-table helpers', () => {
  expect(shortTime('2026-12-03T10:27:17.123Z')).toBe('2026-12-03 10:27');
  expect(clip('abcdef', 4)).toBe('abc…');
  expect(clip('abc', 4)).toBe('abc');
});
