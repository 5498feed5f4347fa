import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import type { StepLoss } from '../../training/stepper.ts';
import { crossEntropy } from '../losses.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { MONITOR_SPECS, num } from '../params.ts';
import { gaussianNoise, LOGIT_PAIRING_OPTIMIZER, NOISE_STD_SPEC } from './clp.ts';

/**
 * Logit squeezing (Kannan et al. 2018; seed 003), docs/methods.md: CE + lambda * mean_b ||f(x_b)||_2,
 * with Gaussian noise augmentation (clipped to [0,1]). Known to look robust under weak attacks
 * (Mosbach et al. 2018: MNIST LSQ 70.6% -> 5.0%): runHardening reports PGD-20 next to the ensemble.
 */
export interface LsqConfig extends CommonParams {
  readonly lambda: number;
  readonly noiseStd: number;
}

export function lsqLoss(z: tf.Tensor2D, y: tf.Tensor1D, lambda: number): StepLoss {
  return tf.tidy(() => {
    const ce = crossEntropy(z, y);
    const norm = tf.mean(tf.sqrt(tf.sum(tf.square(z), 1))) as tf.Scalar;
    return { loss: tf.add(ce, tf.mul(lambda, norm)) as tf.Scalar, terms: { ce, logitNorm: norm } };
  });
}

export const lsq: MethodDefinition<LsqConfig> = {
  name: 'lsq',
  title: 'Logit squeezing',
  reference: 'Kannan, Kurakin, Goodfellow 2018',
  needsTeacher: false,
  attackBatchNorm: 'no attack',
  params: {
    ...LOGIT_PAIRING_OPTIMIZER,
    ...MONITOR_SPECS,
    lambda: { default: 0.05, source: 'not in docs/methods.md; Temper choice 0.05', check: num({ min: 0, max: 1e6 }) },
    noiseStd: NOISE_STD_SPEC,
  },
  async create({ student, config }) {
    return {
      student,
      step(b, ctx) {
        const xn = gaussianNoise(b.x, config.noiseStd, ctx.rng);
        try {
          return ctx.minimize(() => lsqLoss(logits(student, xn, true), b.y, config.lambda)).terms;
        } finally {
          xn.dispose();
        }
      },
      dispose() {},
    };
  },
};
