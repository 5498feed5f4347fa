import { describe, expect, it } from 'vitest';
import { etaSeconds } from './eta.ts';
import { duration, epsLabel, pct } from './format.ts';

describe('format', () => {
  it('eps as people write it', () => {
    expect(epsLabel(0.3)).toBe('0.3');
    expect(epsLabel(0.2)).toBe('0.2');
    expect(epsLabel(8 / 255)).toBe('8/255');
    expect(epsLabel(0.0123456)).toBe('0.01235');
  });
  it('percentages and durations, with a dash for what is missing', () => {
    expect(pct(0.4567)).toBe('45.7%');
    expect(pct(null)).toBe('–');
    expect(pct(NaN)).toBe('–');
    expect(duration(59.6)).toBe('1 min 00 s');
    expect(duration(3725)).toBe('1 h 02 min');
    expect(duration(-1)).toBe('–');
  });
});

describe('etaSeconds', () => {
  const start = '2026-01-01T00:00:00.000Z';
  const at = (s: number) => Date.parse(start) + s * 1000;
  it("takes the worker's estimate when it sent one", () => {
    expect(etaSeconds({ status: 'RUNNING', startedAt: start, progress: { etaSeconds: 12, fraction: 0.5 } }, at(100))).toBe(12);
  });
  it('otherwise extrapolates from the time spent and the done fraction', () => {
    expect(etaSeconds({ status: 'RUNNING', startedAt: start, progress: { fraction: 0.25 } }, at(30))).toBeCloseTo(90);
  });
  it('says nothing for finished jobs or before there is anything to go by', () => {
    expect(etaSeconds({ status: 'SUCCEEDED', startedAt: start, progress: { etaSeconds: 5, fraction: 1 } }, at(10))).toBeNull();
    expect(etaSeconds({ status: 'RUNNING', startedAt: start, progress: { fraction: 0 } }, at(10))).toBeNull();
    expect(etaSeconds({ status: 'RUNNING', startedAt: null, progress: null }, at(10))).toBeNull();
  });
});
