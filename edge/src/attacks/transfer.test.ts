import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { attackDataset } from './driver.ts';
import { pgd } from './pgd.ts';
import { assertNoLeak, assertValidAttackResult, outputsOnly, syntheticDataset, tinyDenseClassifier } from './testing.ts';
import { transfer } from './transfer.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('transfer attack', () => {
  it('crafts on surrogates only, classifies once with the target, and names the surrogates', async () => {
    const target = tinyDenseClassifier([6, 6, 1], 4, 1);
    const twin = tinyDenseClassifier([6, 6, 1], 4, 1); // same weights, separate model
    const other = tinyDenseClassifier([6, 6, 1], 4, 9);
    const ds = await syntheticDataset(target, 16, 3);
    const spy = outputsOnly(target);
    for (const ensemble of ['logits', 'loss'] as const) {
      const r = await assertNoLeak(() =>
        attackDataset(transfer, spy.classifier, ds, { eps: 0.2, steps: 10, ensemble, surrogates: [{ name: 'twin', classifier: twin }, { name: 'other', classifier: other }] }),
      );
      assertValidAttackResult(r, ds);
      expect(r.settings.surrogates).toEqual(['twin', 'other']);
      expect(r.settings.ensemble).toBe(ensemble);
      expect(r.fooled.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    // Target forwards: the clean pass and one verification per run, never under a gradient tape.
    expect(spy.calls()).toBe(4);
  });

  it('from an exact copy of the target, transfers like white-box PGD without early stopping', async () => {
    const target = tinyDenseClassifier([6, 6, 1], 4, 2);
    const twin = tinyDenseClassifier([6, 6, 1], 4, 2);
    const ds = await syntheticDataset(target, 16, 4);
    const t = await attackDataset(transfer, target, ds, { eps: 0.1, steps: 10, surrogates: [{ name: 'twin', classifier: twin }] }, { seed: 3 });
    const p = await attackDataset(pgd, target, ds, { eps: 0.1, steps: 10 }, { seed: 3 });
    // PGD also counts any misclassified iterate, so it can only do better.
    expect(p.robustAccuracy).toBeLessThanOrEqual(t.robustAccuracy);
    expect(t.robustAccuracy).toBeLessThan(1);
  });

  it('rejects surrogates of another shape and an empty list', async () => {
    const target = tinyDenseClassifier([6, 6, 1], 4, 1);
    const ds = await syntheticDataset(target, 4, 3);
    const wrong = tinyDenseClassifier([6, 6, 1], 5, 1);
    await expect(attackDataset(transfer, target, ds, { eps: 0.1, surrogates: [{ name: 'w', classifier: wrong }] })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
    await expect(attackDataset(transfer, target, ds, { eps: 0.1 })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
  });
});
