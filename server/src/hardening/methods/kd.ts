import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import type { StepLoss } from '../../training/stepper.ts';
import { crossEntropy, klBatchMean } from '../losses.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { bool, MONITOR_SPECS, num, optimizerSpecs, TEMPER_ADAM } from '../params.ts';
import { teacherSource } from '../teacher.ts';

/**
 * Knowledge distillation (Hinton et al. 2015), docs/methods.md "Baselines":
 *   alpha * tau^2 * KL(softmax(T(x)/tau) || softmax(S(x)/tau)) + (1 - alpha) * CE(S(x), y), clean inputs only.
 * Transfers accuracy, not robustness (the RRM slides: KD 83% natural / 3% adversarial).
 *
 * Departure (unspecified in docs/methods.md): the KL is averaged over the batch ('batchmean', the
 * proper per-example KL), not over B x C elements as PyTorch's KLDivLoss() default would.
 */
export interface KdConfig extends CommonParams {
  readonly alpha: number;
  readonly tau: number;
  readonly cacheTeacher: boolean;
}

export function kdLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, y: tf.Tensor1D, c: { alpha: number; tau: number }): StepLoss {
  return tf.tidy(() => {
    const kl = klBatchMean(tf.div(teacherLogits, c.tau) as tf.Tensor2D, tf.div(studentLogits, c.tau) as tf.Tensor2D);
    const ce = crossEntropy(studentLogits, y);
    const loss = tf.add(tf.mul(c.alpha * c.tau * c.tau, kl), tf.mul(1 - c.alpha, ce)) as tf.Scalar;
    return { loss, terms: { kl, ce } };
  });
}

export const CACHE_TEACHER_SPEC = {
  default: true,
  source: 'docs/methods.md: the frozen teacher sees only clean x, so its outputs are computed once per training image (Temper trains without augmentation)',
  check: bool(),
};

export const kd: MethodDefinition<KdConfig> = {
  name: 'kd',
  title: 'Knowledge distillation',
  reference: 'Hinton, Vinyals, Dean 2015',
  needsTeacher: true,
  attackBatchNorm: 'no attack',
  params: {
    ...optimizerSpecs(() => TEMPER_ADAM),
    ...MONITOR_SPECS,
    alpha: { default: 0.9, source: 'not in docs/methods.md; the usual Hinton-style weight on the soft term', check: num({ min: 0, max: 1 }) },
    tau: { default: 4, source: 'not in docs/methods.md; a common distillation temperature', check: num({ min: 0, minExclusive: true, max: 1000 }) },
    cacheTeacher: CACHE_TEACHER_SPEC,
  },
  async create({ student, teacher, data, config, signal }) {
    const t = await teacherSource(teacher!, data.train, { cache: config.cacheTeacher, logits: true, signal });
    return {
      student,
      step: (b, ctx) => ctx.minimize(() => kdLoss(logits(student, b.x, true), t.logits(b), b.y, config)).terms,
      dispose() {},
    };
  },
};
