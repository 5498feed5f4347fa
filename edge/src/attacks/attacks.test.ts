import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from '../data/dataset.ts';
import { AbortedError } from '../errors.ts';
import type { Classifier } from '../models/classifier.ts';
import { attackDataset, type AttackProgress } from './driver.ts';
import { ATTACKS, getAttack } from './registry.ts';
import { assertNoLeak, assertValidAttackResult, syntheticDataset, tinyConvClassifier, tinyDenseClassifier } from './testing.ts';
import type { AnyAttackDefinition } from './types.ts';

// The contract every attack shares, checked for each one on a non-square, two-channel input.
const SHAPE = [7, 5, 2] as const;
const CLASSES = 5;
const EPS = 0.15;

let target: Classifier;
let surrogate: Classifier;
let ds: ImageDataset;

/** Small settings per attack so that the whole file stays cheap on a shared 2-core machine. */
function settings(name: string): Record<string, unknown> {
  switch (name) {
    case 'pgd':
      return { steps: 6, restarts: 2 };
    case 'apgd-ce':
    case 'apgd-dlr':
      return { iterations: 8, restarts: 2 };
    case 'apgd-t':
      return { iterations: 6, targetClasses: 3 };
    case 'square':
      return { queries: 40 };
    case 'transfer':
      // An ensemble of an unrelated net and a copy of the target, so that something transfers.
      return { surrogates: [{ name: 'other-net', classifier: surrogate }, { name: 'twin', classifier: target }], steps: 5 };
    default:
      return {};
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  target = tinyDenseClassifier(SHAPE, CLASSES, 3);
  surrogate = tinyDenseClassifier(SHAPE, CLASSES, 4);
  ds = await syntheticDataset(target, 23, 11, 6);
});

describe.each(Object.values(ATTACKS).map((a) => [a.name, a] as [string, AnyAttackDefinition]))('%s', (_name, attack) => {
  it('stays in the threat set, flags consistently, leaks nothing, reports progress', async () => {
    const events: AttackProgress[] = [];
    const result = await assertNoLeak(() =>
      attackDataset(attack, target, ds, { eps: EPS, ...settings(attack.name) }, { batchSize: 10, seed: 5, onProgress: (p) => events.push(p) }),
    );
    assertValidAttackResult(result, ds);
    expect(result.count).toBe(23);
    expect(result.clean.reduce((a, b) => a + b, 0)).toBe(19); // 4 labels flipped on purpose
    expect(result.fooled.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(result.settings.eps).toBe(EPS);
    expect(JSON.parse(JSON.stringify(result.settings))).toEqual(result.settings);
    const last = events[events.length - 1];
    expect(last.samplesDone).toBe(23);
    expect(last.batches).toBe(3);
    expect(events.some((e) => e.step !== undefined)).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i].samplesDone).toBeGreaterThanOrEqual(events[i - 1].samplesDone);
  });

  it('is deterministic for a seed', async () => {
    const run = (seed: number) => attackDataset(attack, target, ds, { eps: EPS, ...settings(attack.name) }, { batchSize: 10, seed });
    const [a, b] = [await run(9), await run(9)];
    expect(Array.from(b.robust)).toEqual(Array.from(a.robust));
    expect(b.adversarial).toEqual(a.adversarial);
  });

  it('cancels through an AbortSignal with AbortedError and no leaks', async () => {
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const run = attackDataset(attack, target, ds, { eps: EPS, ...settings(attack.name) }, {
      batchSize: 10,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects out-of-range settings with ATTACK_INVALID_CONFIG', async () => {
    await expect(attackDataset(attack, target, ds, { eps: 1.5, ...settings(attack.name) })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
    await expect(attackDataset(attack, target, ds, { eps: EPS, ...settings(attack.name), nonsense: 1 } as never)).rejects.toMatchObject({
      code: 'ATTACK_INVALID_CONFIG',
    });
  });

  it('at eps 0 changes nothing', async () => {
    const result = await attackDataset(attack, target, ds, { eps: 0, ...settings(attack.name) }, { batchSize: 23 });
    assertValidAttackResult(result, ds);
    expect(result.maxPerturbation).toBe(0);
    expect(Array.from(result.robust)).toEqual(Array.from(result.clean));
  });
});

describe('driver', () => {
  it('names unknown attacks with ATTACK_UNKNOWN', () => {
    expect(() => getAttack('deepfool')).toThrow(expect.objectContaining({ code: 'ATTACK_UNKNOWN' }));
  });

  it('rejects a dataset of another shape', async () => {
    const other = tinyDenseClassifier([5, 7, 2], CLASSES);
    await expect(attackDataset(ATTACKS.fgsm, other, ds, { eps: 0.1 })).rejects.toMatchObject({ code: 'MODEL_INPUT_SHAPE_MISMATCH' });
  });

  it('attacks only the given rows, in order', async () => {
    const result = await attackDataset(ATTACKS.fgsm, target, ds, { eps: 0.1 }, { indices: [5, 2, 20] });
    assertValidAttackResult(result, ds);
    expect(Array.from(result.indices)).toEqual([5, 2, 20]);
    await expect(attackDataset(ATTACKS.fgsm, target, ds, { eps: 0.1 }, { indices: [23] })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
  });

  it('bounds the batch size', async () => {
    await expect(attackDataset(ATTACKS.fgsm, target, ds, { eps: 0.1 }, { batchSize: 0 })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
    await expect(attackDataset(ATTACKS.fgsm, target, ds, { eps: 0.1 }, { batchSize: 1e6 })).rejects.toMatchObject({ code: 'ATTACK_INVALID_CONFIG' });
  });

  it('gives the same per-sample outcome whatever the batch split for deterministic attacks', async () => {
    const a = await attackDataset(ATTACKS.fgsm, target, ds, { eps: 0.1 }, { batchSize: 4 });
    const b = await attackDataset(ATTACKS.fgsm, target, ds, { eps: 0.1 }, { batchSize: 23 });
    expect(Array.from(a.robust)).toEqual(Array.from(b.robust));
  });

  it('works through convolutions (input gradients through conv2d)', async () => {
    const conv = tinyConvClassifier(SHAPE, CLASSES, 2);
    const convDs = await syntheticDataset(conv, 12, 3);
    for (const name of ['fgsm', 'pgd', 'apgd-ce'] as const) {
      const r = await assertNoLeak(() => attackDataset(ATTACKS[name], conv, convDs, { eps: 0.2, ...settings(name) }, { batchSize: 6 }));
      assertValidAttackResult(r, convDs);
      expect(r.robustAccuracy).toBeLessThan(1);
    }
  });
});
