import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearClassifier, syntheticDataset, tinyDenseClassifier } from '../attacks/testing.ts';
import { logits, type Classifier } from '../models/classifier.ts';
import type { Preprocessing } from '../models/preprocessing.ts';
import { Rng } from '../util/random.ts';
import { linearModelOf, linearRobustness, type LinearModel } from './linear-oracle.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function z(lin: LinearModel, x: ArrayLike<number>): number[] {
  return Array.from({ length: lin.numClasses }, (_, k) => {
    let s = lin.bias[k];
    for (let i = 0; i < lin.inputSize; i++) s += x[i] * lin.kernel[i * lin.numClasses + k];
    return s;
  });
}

describe('linear oracle', () => {
  it('matches brute force over every vertex of the ball ∩ box', async () => {
    const c = linearClassifier([2, 3, 1], 4, 3);
    const ds = await syntheticDataset(c, 40, 9, 7);
    const lin = linearModelOf(c);
    for (const eps of [0, 0.03, 0.1, 0.25]) {
      const exact = linearRobustness(lin, ds, eps);
      for (let j = 0; j < ds.count; j++) {
        const x = ds.images.subarray(j * 6, j * 6 + 6);
        const y = ds.labels[j];
        let worst = Infinity;
        for (let v = 0; v < 64; v++) {
          // Each margin is linear in x, so its minimum over the box is at a vertex.
          const xv = Array.from(x, (xi, i) => ((v >> i) & 1 ? Math.min(xi + eps, 1) : Math.max(xi - eps, 0)));
          const zv = z(lin, xv);
          for (let k = 0; k < 4; k++) if (k !== y) worst = Math.min(worst, zv[y] - zv[k]);
        }
        expect(exact.minMargin[j]).toBeCloseTo(worst, 9);
        expect(exact.robust[j]).toBe(worst > 0 ? 1 : 0);
      }
    }
  });

  it('folds byte and mean/std preprocessing into W and b', async () => {
    const base = linearClassifier([3, 2, 2], 3, 5);
    const rng = new Rng(1);
    const xs = Float32Array.from({ length: 5 * 12 }, () => rng.next());
    const preps: Preprocessing[] = [{ kind: 'unit' }, { kind: 'byte' }, { kind: 'meanStd', mean: [0.4, 0.6], std: [0.2, 0.3] }, { kind: 'meanStd', mean: [0.5], std: [0.25] }];
    for (const preprocessing of preps) {
      const c: Classifier = { ...base, preprocessing };
      const lin = linearModelOf(c);
      const tfz = logits(c, tf.tensor4d(xs, [5, 3, 2, 2])).arraySync();
      for (let j = 0; j < 5; j++) {
        const mine = z(lin, xs.subarray(j * 12, j * 12 + 12));
        for (let k = 0; k < 3; k++) expect(mine[k]).toBeCloseTo(tfz[j][k], 3);
      }
    }
  });

  it('refuses models that are not linear', () => {
    expect(() => linearModelOf(tinyDenseClassifier([2, 2, 1], 3))).toThrow(expect.objectContaining({ code: 'ATTACK_INVALID_CONFIG' }));
  });
});
