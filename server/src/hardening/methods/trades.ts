import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import type { StepLoss } from '../../training/stepper.ts';
import { crossEntropy, klSum } from '../losses.ts';
import { signedAscent } from '../inner.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { MONITOR_SPECS, num, optimizerSpecs, type Recipe, type RecipeFamily } from '../params.ts';

/**
 * TRADES (Zhang et al. 2019), docs/methods.md "Baselines": the attack maximizes KL_sum(f(x) || f(x'))
 * from x + 0.001 N(0,1) with the model in inference mode; the loss is
 * CE(f(x), y) + beta * KL_sum(f(x) || f(x')) / B with f(x) not detached, both forwards in training mode.
 *
 * Departure: the released code runs model(x_natural) twice in training mode (once for the CE, once
 * inside the KL); one forward serves both here. Values are identical; batch-norm moving statistics
 * get one update instead of two.
 */
export interface TradesConfig extends CommonParams {
  readonly beta: number;
  readonly steps: number;
  readonly stepSize: number;
}

export function tradesRecipe(family: RecipeFamily): Recipe {
  return family === 'mnist'
    ? { optimizer: 'sgd', lr: 0.01, momentum: 0.9, schedule: 'piecewise', milestoneFractions: [0.55, 0.75, 0.9], lrFactor: 0.1, source: 'TRADES MNIST code: SGD 0.01, momentum 0.9, x0.1 at epochs 55, 75, 90 of 100' }
    : { optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 2e-4, schedule: 'piecewise', milestoneFractions: [0.75, 0.9], lrFactor: 0.1, source: 'TRADES CIFAR code: SGD 0.1, momentum 0.9, wd 2e-4, x0.1 at epochs 75, 90 of 100' };
}

/** CE(zNat, y) + beta * KL_sum(zNat || zAdv) / B. */
export function tradesLoss(zNat: tf.Tensor2D, zAdv: tf.Tensor2D, y: tf.Tensor1D, beta: number): StepLoss {
  return tf.tidy(() => {
    const ce = crossEntropy(zNat, y);
    const kl = tf.div(klSum(zNat, zAdv), zNat.shape[0]) as tf.Scalar;
    return { loss: tf.add(ce, tf.mul(beta, kl)) as tf.Scalar, terms: { ce, kl } };
  });
}

export const trades: MethodDefinition<TradesConfig> = {
  name: 'trades',
  title: 'TRADES',
  reference: 'Zhang, Yu, Jiao, Xing, El Ghaoui, Jordan 2019',
  needsTeacher: false,
  attackBatchNorm: 'inference',
  params: {
    ...optimizerSpecs(tradesRecipe),
    ...MONITOR_SPECS,
    beta: { default: (c) => (c.family === 'mnist' ? 1 : 6), source: (c) => `docs/methods.md: beta ${c.family === 'mnist' ? '1 (MNIST)' : '6 (CIFAR)'}`, check: num({ min: 0, max: 1000 }) },
    steps: { default: (c) => (c.family === 'mnist' ? 40 : 10), source: (c) => (c.family === 'mnist' ? 'TRADES MNIST code: 40 steps' : 'TRADES CIFAR code: 10 steps'), check: num({ min: 0, max: 1000, integer: true }) },
    stepSize: {
      default: (c) => (c.family === 'mnist' ? c.eps / 30 : (c.eps * 0.007) / 0.031),
      source: (c) => (c.family === 'mnist' ? 'TRADES MNIST code: 0.01 at eps 0.3 (scales as eps/30)' : 'TRADES CIFAR code: 0.007 at eps 0.031 (scaled with eps)'),
      check: num({ min: 0, max: 1 }),
    },
  },
  async create({ student, eps, config }) {
    return {
      student,
      step(b, ctx) {
        const zNatEval = logits(student, b.x, false);
        const xAdv = signedAscent(b.x, (xa) => klSum(zNatEval, logits(student, xa, false)), { eps, steps: config.steps, stepSize: config.stepSize, start: 'normal', rng: ctx.rng });
        zNatEval.dispose();
        try {
          return ctx.minimize(() => tradesLoss(logits(student, b.x, true), logits(student, xAdv, true), b.y, config.beta)).terms;
        } finally {
          xAdv.dispose();
        }
      },
      dispose() {},
    };
  },
};
