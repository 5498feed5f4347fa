import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import { crossEntropy } from '../losses.ts';
import { signedAscent } from '../inner.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { bool, MONITOR_SPECS, num, optimizerSpecs, pgdSource, pgdStepSizeDefault, pgdStepsDefault, type Recipe, type RecipeFamily } from '../params.ts';

/**
 * PGD adversarial training (Madry et al. 2018), docs/methods.md "Baselines": train only on PGD examples,
 * theta -= lr * grad mean CE(f(x'), y). The attack runs with batch norm in training mode
 * ("train: Madry CIFAR"): the student's moving statistics see every attack step, as in the
 * reference PyTorch code.
 */
export interface PgdAtConfig extends CommonParams {
  readonly steps: number;
  readonly stepSize: number;
  readonly randomStart: boolean;
  /** Epochs over which the training eps (and step size with it) ramps linearly from 0 to eps. */
  readonly epsWarmupEpochs: number;
}

/**
 * The training eps at a global step: linear from eps/warmupSteps to eps over the warm-up. A short run
 * at MNIST's eps 0.3 from the first step stalls near chance (the model predicts one class for
 * every PGD example); Madry et al. escape it with 100k steps, a short budget needs the ramp
 * (as in Gowal et al. 2018 and Wong et al. 2020's eps schedules). 0 warm-up steps: eps throughout.
 */
export function warmedEps(eps: number, step: number, warmupSteps: number): number {
  return warmupSteps > 0 ? eps * Math.min(1, (step + 1) / warmupSteps) : eps;
}

export function madryRecipe(family: RecipeFamily): Recipe {
  return family === 'mnist'
    ? { optimizer: 'adam', lr: 1e-4, source: "Madry et al. MNIST: Adam 1e-4 (batch 50)" }
    : { optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 2e-4, schedule: 'piecewise', milestoneFractions: [0.5, 0.75], lrFactor: 0.1, source: 'Madry et al. CIFAR: SGD 0.1, momentum 0.9, wd 2e-4, x0.1 at 40k and 60k of 80k iterations' };
}

/** Untargeted PGD on the student's mean CE, batch norm in training mode (Madry, ARD). */
export function pgdTrainModeAttack(student: Parameters<typeof logits>[0], x: tf.Tensor4D, y: tf.Tensor1D, o: { eps: number; steps: number; stepSize: number; randomStart: boolean; rng: import('@temper/edge').Rng }): tf.Tensor4D {
  return signedAscent(x, (xa) => crossEntropy(logits(student, xa, true), y), { eps: o.eps, steps: o.steps, stepSize: o.stepSize, start: o.randomStart ? 'uniform' : 'none', rng: o.rng });
}

export const pgdAt: MethodDefinition<PgdAtConfig> = {
  name: 'pgd-at',
  title: 'PGD adversarial training (Madry)',
  reference: 'Madry, Makelov, Schmidt, Tsipras, Vladu 2018',
  needsTeacher: false,
  attackBatchNorm: 'train',
  params: {
    ...optimizerSpecs(madryRecipe),
    ...MONITOR_SPECS,
    steps: { default: pgdStepsDefault, source: (c) => pgdSource(c), check: num({ min: 0, max: 1000, integer: true }) },
    stepSize: { default: pgdStepSizeDefault, source: (c) => pgdSource(c), check: num({ min: 0, max: 1 }) },
    randomStart: { default: true, source: 'docs/methods.md: uniform random start in the ball', check: bool() },
    epsWarmupEpochs: { default: 0, source: 'Madry et al.: no warm-up (eps from the first step); Temper\'s teachers ramp (server/teachers)', check: num({ min: 0, max: 1000 }) },
  },
  async create({ student, eps, config, data, batchSize }) {
    const warmupSteps = config.epsWarmupEpochs > 0 ? Math.round(config.epsWarmupEpochs * Math.ceil(data.train.count / batchSize)) : 0;
    return {
      student,
      step(b, ctx) {
        const e = warmedEps(eps, ctx.step, warmupSteps);
        // The step size scales with eps so that the attack keeps its shape during the ramp.
        const xAdv = pgdTrainModeAttack(student, b.x, b.y, { eps: e, steps: config.steps, stepSize: (config.stepSize * e) / Math.max(eps, 1e-12), randomStart: config.randomStart, rng: ctx.rng });
        try {
          return ctx.minimize(() => {
            const ce = crossEntropy(logits(student, xAdv, true), b.y);
            return { loss: ce, terms: { ceAdv: ce } };
          }).terms;
        } finally {
          xAdv.dispose();
        }
      },
      dispose() {},
    };
  },
};
