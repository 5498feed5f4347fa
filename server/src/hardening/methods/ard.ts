import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import type { StepLoss } from '../../training/stepper.ts';
import { crossEntropy, klMean } from '../losses.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { TEACHER_CHECK_SPECS, type TeacherCheckParams } from '../teacher-check.ts';
import { MONITOR_SPECS, num, optimizerSpecs, pgdSource, pgdStepSizeDefault, pgdStepsDefault, TEMPER_ADAM, type Recipe, type RecipeFamily } from '../params.ts';
import { teacherSource } from '../teacher.ts';
import { CACHE_TEACHER_SPEC } from './kd.ts';
import { pgdTrainModeAttack } from './pgd-at.ts';

/**
 * ARD, Adversarially Robust Distillation (Goldblum et al. 2020), docs/methods.md "RSLAD" section:
 * x' = PGD on the student's CE with hard labels (random start, batch norm in training mode);
 * loss alpha * tau^2 * KLmean(T(x)/tau || S(x')/tau) + (1 - alpha) * CE(S(x), y), tau 30, alpha 1.
 * The teacher sees only clean x in inference mode: its logits are cached.
 *
 * Departure: with alpha = 1 the CE term has weight 0 and its clean forward is skipped (the
 * released code still runs it, which only feeds batch-norm moving statistics).
 */
export interface ArdConfig extends CommonParams, TeacherCheckParams {
  readonly alpha: number;
  readonly tau: number;
  readonly steps: number;
  readonly stepSize: number;
  readonly cacheTeacher: boolean;
}

export function ardRecipe(family: RecipeFamily): Recipe {
  return family === 'mnist'
    ? { ...TEMPER_ADAM, source: `${TEMPER_ADAM.source}; ARD has no MNIST recipe` }
    : { optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 2e-4, schedule: 'piecewise', milestoneFractions: [0.5, 0.75], lrFactor: 0.1, source: 'ARD code: SGD 0.1, momentum 0.9, wd 2e-4, x0.1 at epochs 100, 150 of 200' };
}

/** alpha tau^2 KLmean(T/tau || S(x')/tau) + (1 - alpha) CE(S(x), y); zNat may be omitted when alpha = 1. */
export function ardLoss(zAdv: tf.Tensor2D, zTeacher: tf.Tensor2D, zNat: tf.Tensor2D | undefined, y: tf.Tensor1D, c: { alpha: number; tau: number }): StepLoss {
  return tf.tidy(() => {
    const kl = klMean(tf.div(zTeacher, c.tau) as tf.Tensor2D, tf.div(zAdv, c.tau) as tf.Tensor2D);
    let loss = tf.mul(c.alpha * c.tau * c.tau, kl) as tf.Scalar;
    const terms: Record<string, tf.Scalar> = { kl };
    if (zNat) {
      const ce = crossEntropy(zNat, y);
      loss = tf.add(loss, tf.mul(1 - c.alpha, ce)) as tf.Scalar;
      terms.ce = ce;
    }
    return { loss, terms };
  });
}

export const ard: MethodDefinition<ArdConfig> = {
  name: 'ard',
  title: 'ARD (adversarially robust distillation)',
  reference: 'Goldblum, Fowl, Feizi, Goldstein 2020',
  needsTeacher: true,
  attackBatchNorm: 'train',
  params: {
    ...optimizerSpecs(ardRecipe),
    ...MONITOR_SPECS,
    ...TEACHER_CHECK_SPECS,
    alpha: { default: 1, source: 'docs/methods.md: alpha 1', check: num({ min: 0, max: 1 }) },
    tau: { default: 30, source: 'docs/methods.md: tau 30', check: num({ min: 0, minExclusive: true, max: 1000 }) },
    steps: { default: pgdStepsDefault, source: (c) => pgdSource(c, 'ARD uses the PGD-AT attack'), check: num({ min: 0, max: 1000, integer: true }) },
    stepSize: { default: pgdStepSizeDefault, source: (c) => pgdSource(c, 'ARD uses the PGD-AT attack'), check: num({ min: 0, max: 1 }) },
    cacheTeacher: CACHE_TEACHER_SPEC,
  },
  async create({ student, teacher, data, eps, config, signal }) {
    const t = await teacherSource(teacher!, data.train, { cache: config.cacheTeacher, logits: true, signal });
    return {
      student,
      step(b, ctx) {
        const xAdv = pgdTrainModeAttack(student, b.x, b.y, { eps, steps: config.steps, stepSize: config.stepSize, randomStart: true, rng: ctx.rng });
        try {
          return tf.tidy(() => {
            const zT = t.logits(b);
            return ctx.minimize(() => ardLoss(logits(student, xAdv, true), zT, config.alpha < 1 ? logits(student, b.x, true) : undefined, b.y, config)).terms;
          });
        } finally {
          xAdv.dispose();
        }
      },
      dispose() {},
    };
  },
};
