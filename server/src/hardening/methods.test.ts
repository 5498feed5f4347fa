/**
 * Every method through the shared loop on 128 real MNIST digits with a tiny MLP:
 * - a short run lowers the method's loss (epoch mean of the first epoch vs the last);
 * - resuming from a checkpoint gives bit-identical weights to an uninterrupted run with the same
 *   seed (2 epochs straight vs 1 epoch, abort, fresh objects, resume), method state included
 *   (Free AT's delta, IGAM's head, discriminator and its optimizer, RRM's projection layer).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSplit, Classifier } from '@temper/edge';
import { initTestBackend } from '../compute/test-backend.ts';
import { MemoryCheckpointStore } from './memory-checkpoint-store.ts';
import type { HardeningMethodName } from './contract.ts';
import { methodNames } from './registry.ts';
import { trainHardening } from './run.ts';
import { disposeStudents, sameWeights, TINY_METHOD_PARAMS as PARAMS, tinyMlp, tinyMnist } from './test-helpers.ts';

let data: DatasetSplit;
let teacher: Classifier;

beforeAll(async () => {
  await initTestBackend();
  data = await tinyMnist();
  // Feature width 32 against the students' 16: RRM adds its projection layer.
  teacher = tinyMlp(99, 32);
});

function job(method: HardeningMethodName, epochs: number, student: Classifier) {
  return {
    method,
    student,
    teacher,
    data,
    eps: 0.1,
    epochs: method === 'free-at' ? epochs * 2 : epochs, // counted in replays: 2 replays per pass
    batchSize: 64,
    seed: 11,
    params: { ...PARAMS[method], monitorSize: 16, monitorPgdSteps: 2 },
  };
}

describe.each(methodNames())('%s', (method) => {
  it('a short run lowers its loss', async () => {
    const before = tf.memory().numTensors;
    const student = tinyMlp(5);
    const r = await trainHardening(job(method, 6, student));
    const losses = r.training.epochTerms.map((t) => t.loss);
    expect(losses).toHaveLength(6);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[5], `epoch losses ${losses.map((l) => l.toFixed(4)).join(', ')}`).toBeLessThan(losses[0]);
    disposeStudents(student, r.student);
    // No tensors left behind beyond the disposed models'.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('resuming from a checkpoint gives bit-identical weights', async () => {
    const straight = await trainHardening(job(method, 2, tinyMlp(5)), { checkpoints: new MemoryCheckpointStore() });

    const controller = new AbortController();
    const store = new MemoryCheckpointStore(() => controller.abort());
    const first = tinyMlp(5);
    await expect(trainHardening(job(method, 2, first), { checkpoints: store, signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(store.latest?.epoch).toBe(1);
    first.model.dispose();

    const resumed = await trainHardening(job(method, 2, tinyMlp(5)), { checkpoints: store });
    expect(resumed.training.resumedFromEpoch).toBe(1);
    expect(resumed.training.steps).toBe(2); // one epoch of 2 minibatches
    expect(store.latest?.epoch).toBe(2);
    expect(sameWeights(straight.student, resumed.student)).toBe(true);
    straight.student.model.dispose();
    resumed.student.model.dispose();
  });

  it('resuming from a checkpoint taken within an epoch gives bit-identical weights', async () => {
    const straight = await trainHardening(job(method, 2, tinyMlp(5)));

    // Asked for checkpoints as often as possible: the first comes after the first minibatch.
    const controller = new AbortController();
    const store = new MemoryCheckpointStore(() => controller.abort(), 1e-9);
    const first = tinyMlp(5);
    await expect(trainHardening(job(method, 2, first), { checkpoints: store, signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(store.latest?.epoch).toBe(0);
    first.model.dispose();

    const resumed = await trainHardening(job(method, 2, tinyMlp(5)), { checkpoints: store });
    expect(resumed.training.resumedFromEpoch).toBe(0);
    expect(sameWeights(straight.student, resumed.student)).toBe(true);
    straight.student.model.dispose();
    resumed.student.model.dispose();
  });
});
