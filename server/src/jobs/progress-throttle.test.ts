import { expect, test } from 'vitest';
import { ProgressThrottle } from './progress-throttle.ts';

test('ProgressThrottle drops reports closer than its interval unless forced', () => {
  let now = 1000;
  const t = new ProgressThrottle(250, () => now);
  expect(t.admit()).toBe(true);
  now += 100;
  expect(t.admit()).toBe(false);
  expect(t.admit(true)).toBe(true);
  now += 249;
  expect(t.admit()).toBe(false);
  now += 1;
  expect(t.admit()).toBe(true);
});
