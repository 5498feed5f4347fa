import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import type { Rng } from '@temper/edge';
import type { StepLoss } from '../../training/stepper.ts';
import { crossEntropy, meanSquaredDifference } from '../losses.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { MONITOR_SPECS, num, optimizerSpecs, TEMPER_ADAM, type DefaultsContext } from '../params.ts';

/**
 * CLP, clean logit pairing (Kannan et al. 2018; seed 003), docs/methods.md: CE on the batch plus
 * lambda * mean (f(x_i) - f(x_j))^2 over pairs made of the batch's two halves (the batch is freshly
 * shuffled, so the pairs are random), with Gaussian noise augmentation (clipped to [0,1]).
 * The mean is over (B/2) x C elements, as tf.losses.mean_squared_error in the released code.
 * Known to look robust under weak attacks and to fall under strong ones (Mosbach et al. 2018:
 * MNIST CLP 62.4% -> 4.1%): runHardening reports PGD-20 next to the ensemble.
 */
export interface ClpConfig extends CommonParams {
  readonly lambda: number;
  readonly noiseStd: number;
}

export const NOISE_STD_SPEC = {
  default: (c: DefaultsContext) => (c.family === 'mnist' ? 0.5 : 0.06),
  source: (c: DefaultsContext) => `not in docs/methods.md ("usually with Gaussian noise augmentation"); Temper's choice sigma ${c.family === 'mnist' ? '0.5 (MNIST)' : '0.06 (CIFAR)'}`,
  check: num({ min: 0, max: 10 }),
};

export const LOGIT_PAIRING_OPTIMIZER = optimizerSpecs(() => ({ ...TEMPER_ADAM, source: `${TEMPER_ADAM.source}; docs/methods.md gives no optimizer for CLP / logit squeezing` }));

/** x + N(0, sigma), clipped to [0,1]; x itself when sigma is 0. */
export function gaussianNoise(x: tf.Tensor4D, std: number, rng: Rng): tf.Tensor4D {
  if (std === 0) return tf.clone(x);
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, std, 'float32', rng.seedForTf())), 0, 1) as tf.Tensor4D);
}

export function clpLoss(z: tf.Tensor2D, y: tf.Tensor1D, lambda: number): StepLoss {
  return tf.tidy(() => {
    const ce = crossEntropy(z, y);
    const half = Math.floor(z.shape[0] / 2);
    const pair =
      half === 0 ? tf.scalar(0) : meanSquaredDifference(tf.slice(z, [0, 0], [half, -1]) as tf.Tensor2D, tf.slice(z, [half, 0], [half, -1]) as tf.Tensor2D);
    return { loss: tf.add(ce, tf.mul(lambda, pair)) as tf.Scalar, terms: { ce, pair } };
  });
}

export const clp: MethodDefinition<ClpConfig> = {
  name: 'clp',
  title: 'CLP (clean logit pairing)',
  reference: 'Kannan, Kurakin, Goodfellow 2018',
  needsTeacher: false,
  attackBatchNorm: 'no attack',
  params: {
    ...LOGIT_PAIRING_OPTIMIZER,
    ...MONITOR_SPECS,
    lambda: { default: 0.5, source: "not in docs/methods.md; ALP's lambda 0.5", check: num({ min: 0, max: 1e6 }) },
    noiseStd: NOISE_STD_SPEC,
  },
  async create({ student, config }) {
    return {
      student,
      step(b, ctx) {
        const xn = gaussianNoise(b.x, config.noiseStd, ctx.rng);
        try {
          return ctx.minimize(() => clpLoss(logits(student, xn, true), b.y, config.lambda)).terms;
        } finally {
          xn.dispose();
        }
      },
      dispose() {},
    };
  },
};
