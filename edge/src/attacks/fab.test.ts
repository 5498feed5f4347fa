import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModelOf, linearRobustness } from '../evaluation/linear-oracle.ts';
import { Rng } from '../util/random.ts';
import { attackDataset } from './driver.ts';
import { fab } from './fab.ts';
import { fabT } from './fab-t.ts';
import { projectionLinf } from './fab-core.ts';
import { getAttack } from './registry.ts';
import { assertNoLeak, assertValidAttackResult, linearClassifier, syntheticDataset } from './testing.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (v: ArrayLike<number>) => Math.max(...Array.from(v, Math.abs));

describe('FAB projection onto a hyperplane within [0,1] (projection_linf)', () => {
  it('without active box constraints: d = -(w.t - b) / ||w||_1 * sign(w), the minimal L-inf step', () => {
    const t = Float32Array.of(0.5, 0.5, 0.5);
    const w = Float32Array.of(1, -2, 0.5);
    const b = 0.3; // w.t = -0.25
    const d = new Float32Array(3);
    projectionLinf(t, w, b, d);
    const lambda = (b - dot(w, t)) / 3.5;
    for (let i = 0; i < 3; i++) expect(d[i]).toBeCloseTo(lambda * Math.sign(w[i]), 6);
    expect(dot(w, Array.from(t, (v, i) => v + d[i]))).toBeCloseTo(b, 5);
  });

  it('lands on the hyperplane inside the box, never beyond the smallest feasible L-inf radius', () => {
    const rng = new Rng('proj');
    for (let trial = 0; trial < 200; trial++) {
      const D = 2 + (trial % 20);
      const t = Float32Array.from({ length: D }, () => rng.next());
      const w = Float32Array.from({ length: D }, () => 2 * rng.next() - 1);
      const target = Float32Array.from({ length: D }, () => rng.next()); // a point of the box on the plane
      const b = dot(w, target);
      const d = new Float32Array(D);
      projectionLinf(t, w, b, d);
      const p = Array.from(t, (v, i) => v + d[i]);
      for (const v of p) {
        expect(v).toBeGreaterThanOrEqual(-1e-6);
        expect(v).toBeLessThanOrEqual(1 + 1e-6);
      }
      expect(dot(w, p)).toBeCloseTo(b, 4);
      // `target` is feasible, so the minimal step is no longer than the step to it.
      expect(maxAbs(d)).toBeLessThanOrEqual(maxAbs(Array.from(t, (v, i) => target[i] - v)) + 1e-6);
    }
  });
});

describe('FAB-T and FAB', () => {
  it('are registered under the names AutoAttack uses and validate their settings', () => {
    expect(getAttack('fab-t')).toBe(fabT);
    expect(getAttack('fab')).toBe(fab);
    expect(() => fabT.resolve({ eps: 0.1, iterations: 0 })).toThrow(expect.objectContaining({ code: 'ATTACK_INVALID_CONFIG' }));
    expect(() => fabT.resolve({ eps: 0.1, eta: 0.5 })).toThrow(expect.objectContaining({ code: 'ATTACK_INVALID_CONFIG' }));
    expect(() => fab.resolve({ eps: 0.1, iters: 3 } as never)).toThrow(expect.objectContaining({ code: 'ATTACK_INVALID_CONFIG' }));
    expect(fabT.describe(fabT.resolve({ eps: 0.1 }))).toEqual({ iterations: 100, restarts: 1, alphaMax: 0.1, eta: 1.05, beta: 0.9, targetClasses: 9, loss: 'targeted-logit-difference' });
  });

  it('on a linear model reach the exact robust accuracy (the boundary is the hyperplane FAB linearizes), and are sound', async () => {
    const c = linearClassifier([6, 6, 1], 10, 3);
    const ds = await syntheticDataset(c, 40, 5, 9);
    const model = linearModelOf(c);
    for (const eps of [0.02, 0.05]) {
      const exact = linearRobustness(model, ds, eps);
      const exactCount = exact.robust.reduce((a, b) => a + b, 0);
      for (const attack of [fabT, fab]) {
        const r = await assertNoLeak(() => attackDataset(attack, c, ds, { eps }, { seed: 2 }));
        assertValidAttackResult(r, ds);
        const robust = r.robust.reduce((a, b) => a + b, 0);
        for (let i = 0; i < r.count; i++) if (r.fooled[i]) expect(exact.minMargin[i]).toBeLessThan(1e-4);
        expect(robust, `${attack.name} at ${eps}`).toBeGreaterThanOrEqual(exactCount);
        expect(robust - exactCount, `${attack.name} at ${eps}`).toBeLessThanOrEqual(1);
        // Every fooled point says at which iteration its adversarial was found.
        for (let i = 0; i < r.count; i++) if (r.fooled[i]) expect(r.steps![i]).toBeGreaterThanOrEqual(0);
        expect(exactCount).toBeLessThan(exact.clean.reduce((a, b) => a + b, 0)); // some points do fall
      }
    }
    c.model.dispose();
  });
});
