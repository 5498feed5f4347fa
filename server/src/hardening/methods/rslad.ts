import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import type { StepLoss } from '../../training/stepper.ts';
import { klMean, klSum } from '../losses.ts';
import { signedAscent } from '../inner.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { TEACHER_CHECK_SPECS, type TeacherCheckParams } from '../teacher-check.ts';
import { MONITOR_SPECS, num, optimizerSpecs, TEMPER_ADAM, type Recipe, type RecipeFamily } from '../params.ts';
import { teacherSource } from '../teacher.ts';
import { CACHE_TEACHER_SPEC } from './kd.ts';

/**
 * RSLAD, Robust Soft Label Adversarial Distillation (Zi et al. 2021), docs/methods.md:
 *   5/6 * KLmean(T(x) || S(x')) + 1/6 * KLmean(T(x) || S(x)), temperature 1, no hard-label term;
 * x' = x + 0.001 N(0,1), then `steps` of clip01(proj_eps(x' + a sign grad KL_sum(T(x) || S(x'))))
 * with the student in inference mode; then two training-mode forwards of S, on x' and on x.
 * The teacher only sees clean x: its logits are cached.
 */
export interface RsladConfig extends CommonParams, TeacherCheckParams {
  readonly steps: number;
  readonly stepSize: number;
  readonly cacheTeacher: boolean;
}

export function rsladRecipe(family: RecipeFamily): Recipe {
  return family === 'mnist'
    ? { ...TEMPER_ADAM, source: `${TEMPER_ADAM.source}; RSLAD has no MNIST recipe` }
    : { optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 2e-4, schedule: 'piecewise', milestoneFractions: [215 / 300, 260 / 300, 285 / 300], lrFactor: 0.1, source: 'docs/methods.md (RSLAD): SGD 0.1, momentum 0.9, wd 2e-4, x0.1 at 215, 260, 285 of 300 epochs' };
}

export function rsladLoss(zTeacher: tf.Tensor2D, zAdv: tf.Tensor2D, zNat: tf.Tensor2D): StepLoss {
  return tf.tidy(() => {
    const klAdv = klMean(zTeacher, zAdv);
    const klNat = klMean(zTeacher, zNat);
    return { loss: tf.add(tf.mul(5 / 6, klAdv), tf.mul(1 / 6, klNat)) as tf.Scalar, terms: { klAdv, klNat } };
  });
}

export const rslad: MethodDefinition<RsladConfig> = {
  name: 'rslad',
  title: 'RSLAD (robust soft label adversarial distillation)',
  reference: 'Zi, Zhao, Ma, Jiang 2021',
  needsTeacher: true,
  attackBatchNorm: 'inference',
  params: {
    ...optimizerSpecs(rsladRecipe),
    ...MONITOR_SPECS,
    ...TEACHER_CHECK_SPECS,
    steps: { default: 10, source: 'docs/methods.md (RSLAD): 10 steps', check: num({ min: 0, max: 1000, integer: true }) },
    stepSize: { default: (c) => c.eps / 4, source: 'docs/methods.md (RSLAD): a = 2/255 at eps 8/255 (scales as eps/4)', check: num({ min: 0, max: 1 }) },
    cacheTeacher: CACHE_TEACHER_SPEC,
  },
  async create({ student, teacher, data, eps, config, signal }) {
    const t = await teacherSource(teacher!, data.train, { cache: config.cacheTeacher, logits: true, signal });
    return {
      student,
      step(b, ctx) {
        const zT = t.logits(b);
        try {
          const xAdv = signedAscent(b.x, (xa) => klSum(zT, logits(student, xa, false)), { eps, steps: config.steps, stepSize: config.stepSize, start: 'normal', rng: ctx.rng });
          try {
            return ctx.minimize(() => rsladLoss(zT, logits(student, xAdv, true), logits(student, b.x, true))).terms;
          } finally {
            xAdv.dispose();
          }
        } finally {
          zT.dispose();
        }
      },
      dispose() {},
    };
  },
};
