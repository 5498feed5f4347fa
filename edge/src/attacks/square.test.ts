import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { attackDataset } from './driver.ts';
import { pyRound, square, squarePSchedule, squareWindowSize } from './square.ts';
import { assertNoLeak, assertValidAttackResult, outputsOnly, syntheticDataset, tinyDenseClassifier } from './testing.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Square schedule and windows', () => {
  it("halves p at AutoAttack's absolute iterations", () => {
    const at = (it: number) => squarePSchedule(it, 0.8, 5000, false);
    expect([0, 10, 11, 50, 51, 200, 201, 500, 501, 1000, 1001, 2000, 2001, 4000, 4001, 6000, 6001, 8000, 8001].map(at)).toEqual([
      0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.00625, 0.00625, 0.003125, 0.003125, 0.8 / 512,
    ]);
    // SquareAttack's own default rescales it by 10000 / n_queries.
    expect(squarePSchedule(6, 0.8, 5000, true)).toBe(0.4);
    expect(squarePSchedule(5, 0.8, 5000, true)).toBe(0.8);
  });

  it('sizes windows as round(sqrt(p h w)), at least 1, at most min(h, w) - 1', () => {
    expect(squareWindowSize(0.8, 28, 28)).toBe(25);
    expect(squareWindowSize(0.8, 32, 32)).toBe(29);
    expect(squareWindowSize(0.8, 28, 20)).toBe(19); // sqrt(448) = 21.2, capped
    expect(squareWindowSize(0.8 / 512, 28, 28)).toBe(1);
    expect(squareWindowSize(0.8, 1, 1)).toBe(1);
    expect([pyRound(2.5), pyRound(3.5), pyRound(2.49), pyRound(2.51)]).toEqual([2, 4, 2, 3]);
  });
});

describe('Square attack', () => {
  it('runs on 28x20 images with only forward passes, one per iteration over the unfooled samples', async () => {
    const base = tinyDenseClassifier([28, 20, 1], 10, 2);
    const ds = await syntheticDataset(base, 12, 5, 5);
    const spy = outputsOnly(base);
    const queries = 30;
    const r = await assertNoLeak(() => attackDataset(square, spy.classifier, ds, { eps: 0.05, queries }, { batchSize: 12 }));
    assertValidAttackResult(r, ds);
    const q = Array.from(r.queries!);
    const clean = r.clean.reduce((a, b) => a + b, 0);
    for (let i = 0; i < r.count; i++) {
      if (!r.clean[i]) expect(q[i]).toBe(0);
      else if (r.robust[i]) expect(q[i]).toBe(queries + 1);
      else expect(q[i]).toBeLessThanOrEqual(queries + 1);
    }
    // Every image the model saw: the driver's clean and verification forwards, plus exactly one per query.
    expect(spy.images()).toBe(r.count + clean + q.reduce((a, b) => a + b, 0));
    // One forward per iteration (plus the initial query, the clean pass and the verification).
    expect(spy.calls()).toBeLessThanOrEqual(queries + 1 + 2);
  });

  it('fools a small model at a large eps within its budget', async () => {
    const c = tinyDenseClassifier([8, 8, 1], 10, 4);
    const ds = await syntheticDataset(c, 20, 6);
    const r = await attackDataset(square, c, ds, { eps: 0.3, queries: 300 });
    assertValidAttackResult(r, ds);
    expect(r.robustAccuracy).toBeLessThanOrEqual(0.1);
    const fooledQueries = Array.from(r.queries!).filter((_, i) => r.fooled[i]);
    expect(Math.min(...fooledQueries)).toBeGreaterThanOrEqual(1);
  });
});
