import { logits } from '@temper/edge';
import { crossEntropy } from '../losses.ts';
import { signedAscent } from '../inner.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { MONITOR_SPECS, num, optimizerSpecs, type RecipeFamily, type Recipe } from '../params.ts';

/**
 * Fast AT, "FGSM with random start" (Wong, Rice, Kolter 2020), docs/methods.md "Baselines":
 * delta ~ U(-eps, eps) (clipped so that x + delta stays in [0,1]), one signed step of a = 1.25 eps on
 * the CE, clip to the ball and the box, train on x + delta. Batch norm in training mode during the
 * step, as in the released code. Catastrophic overfitting is real: the loop's held-out PGD accuracy
 * at each epoch end is the check.
 */
export interface FastAtConfig extends CommonParams {
  readonly stepSize: number;
}

export function wongRecipe(family: RecipeFamily): Recipe {
  return family === 'mnist'
    ? { optimizer: 'adam', lr: 5e-3, schedule: 'cyclic', source: 'Wong et al. MNIST code: Adam, cyclic lr peaking at 5e-3 at 2/5 of the run' }
    : { optimizer: 'sgd', lr: 0.2, momentum: 0.9, weightDecay: 5e-4, schedule: 'cyclic', source: 'Wong et al. CIFAR: SGD momentum 0.9, wd 5e-4, cyclic lr peaking at 0.2' };
}

export const fastAt: MethodDefinition<FastAtConfig> = {
  name: 'fast-at',
  title: 'Fast AT (FGSM with random start)',
  reference: 'Wong, Rice, Kolter 2020',
  needsTeacher: false,
  attackBatchNorm: 'train',
  params: {
    ...optimizerSpecs(wongRecipe),
    ...MONITOR_SPECS,
    stepSize: { default: (c) => 1.25 * c.eps, source: 'docs/methods.md: a = 1.25 eps (MNIST: 0.375 at eps 0.3)', check: num({ min: 0, max: 1 }) },
  },
  async create({ student, eps, config }) {
    return {
      student,
      step(b, ctx) {
        const xAdv = signedAscent(b.x, (xa) => crossEntropy(logits(student, xa, true), b.y), { eps, steps: 1, stepSize: config.stepSize, start: 'uniform', rng: ctx.rng });
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
