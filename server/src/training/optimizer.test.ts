import * as tf from '@tensorflow/tfjs-core';
// Registers tfjs-core's gradients (tfjs-core alone leaves the registry empty).
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTestBackend } from '../compute/test-backend.ts';
import { type OptimizerConfig, ScheduledOptimizer, scheduledLearningRate } from './optimizer.ts';

beforeAll(async () => {
  await initTestBackend();
});

describe('schedules', () => {
  it('cosine, piecewise and cyclic (Wong et al.: 0 -> peak at 2/5 of the run -> 0)', () => {
    expect(scheduledLearningRate(0.1, { kind: 'cosine' }, 0, 100, 0)).toBeCloseTo(0.1, 12);
    expect(scheduledLearningRate(0.1, { kind: 'cosine' }, 50, 100, 0)).toBeCloseTo(0.05, 12);
    expect(scheduledLearningRate(0.1, { kind: 'cosine' }, 100, 100, 0)).toBeCloseTo(0, 12);
    const pw = { kind: 'piecewise', milestones: [2, 3], factor: 0.1 } as const;
    expect([0, 1.9, 2, 2.5, 3].map((e) => scheduledLearningRate(0.1, pw, 0, 1, e))).toEqual([0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1]);
    // Step i is scheduled at t = (i + 1) / total, as the released code advances t before setting the rate.
    expect(scheduledLearningRate(5e-3, { kind: 'cyclic' }, 39, 100, 0)).toBeCloseTo(5e-3, 12);
    expect(scheduledLearningRate(5e-3, { kind: 'cyclic' }, 19, 100, 0)).toBeCloseTo(2.5e-3, 12);
    expect(scheduledLearningRate(5e-3, { kind: 'cyclic' }, 69, 100, 0)).toBeCloseTo(2.5e-3, 12);
    expect(scheduledLearningRate(5e-3, { kind: 'cyclic' }, 99, 100, 0)).toBeCloseTo(0, 12);
  });
});

describe('ScheduledOptimizer state', () => {
  const configs: OptimizerConfig[] = [
    { kind: 'adam', learningRate: 1e-2, weightDecay: 1e-3 },
    { kind: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4 },
    { kind: 'sgd', learningRate: 0.1 },
  ];
  for (const config of configs) {
    it(`${config.kind}${'momentum' in config && config.momentum ? ' with momentum' : ''}: 3 steps + save + fresh optimizer + 2 steps equals 5 steps, bit for bit`, async () => {
      const target = tf.tensor1d([0.3, -1.2, 2.5]);
      const run = async (split: boolean) => {
        const init = tf.tensor1d([1, 2, 3]);
        const w = tf.variable(init);
        init.dispose();
        let opt = new ScheduledOptimizer(config);
        const step = (i: number) => {
          opt.setLearningRate(config.learningRate * (1 - i / 10));
          const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar, [w]);
          opt.apply(grads, [w]);
          value.dispose();
        };
        for (let i = 0; i < 3; i++) step(i);
        if (split) {
          const state = await opt.getState();
          opt.dispose();
          opt = new ScheduledOptimizer(config);
          await opt.setState(state);
          tf.dispose([...state.weights.map((s) => s.tensor), ...(state.accBeta ?? [])]);
        }
        for (let i = 3; i < 5; i++) step(i);
        const out = Array.from(w.dataSync());
        opt.dispose();
        w.dispose();
        return out;
      };
      const before = tf.memory().numTensors;
      const straight = await run(false);
      const resumed = await run(true);
      expect(new Uint8Array(Float32Array.from(resumed).buffer)).toEqual(new Uint8Array(Float32Array.from(straight).buffer));
      expect(tf.memory().numTensors).toBe(before);
      target.dispose();
    });
  }
});
