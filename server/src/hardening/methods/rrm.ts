import * as tf from '@tensorflow/tfjs-core';
import { featuresAndLogits, featureModel } from '@temper/edge/io';
import type { Classifier } from '@temper/edge';
import type { StepLoss } from '../../training/loop.ts';
import { cosineSimilarity, crossEntropy } from '../losses.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { TEACHER_CHECK_SPECS, type TeacherCheckParams } from '../teacher-check.ts';
import { MONITOR_SPECS, num, optimizerSpecs, TEMPER_ADAM, type Recipe, type RecipeFamily } from '../params.ts';
import { withProjection } from '../projection.ts';
import { teacherSource } from '../teacher.ts';
import { CACHE_TEACHER_SPEC } from './kd.ts';

/**
 * RRM, Robust Representation Matching (Vaishnavi, Eykholt, Rahmati 2022; seed 000), docs/methods.md:
 *   L = lambda * CE(S(x), y) - mean_b cos(z_S(x_b), z_T(x_b)), cosine with eps 1e-6, lambda 0.005.
 * No adversarial examples: teacher (frozen, inference mode) and student both see clean inputs, so
 * z_T is cached once per training image and RRM costs about as much as natural training.
 * When the feature widths differ, the student gets a Linear layer (no activation) before a new
 * classifier, as the released code does, and the run's log says so.
 */
export interface RrmConfig extends CommonParams, TeacherCheckParams {
  readonly lambda: number;
  readonly cacheTeacher: boolean;
}

export function rrmRecipe(family: RecipeFamily): Recipe {
  return family === 'mnist'
    ? { ...TEMPER_ADAM, source: `${TEMPER_ADAM.source}; RRM has no MNIST recipe` }
    : { optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4, schedule: 'cosine', source: 'docs/methods.md (RRM CIFAR-10): SGD 0.1, momentum 0.9, wd 5e-4, per-step cosine' };
}

export function rrmLoss(zStudent: tf.Tensor2D, studentLogits: tf.Tensor2D, zTeacher: tf.Tensor2D, y: tf.Tensor1D, lambda: number): StepLoss {
  return tf.tidy(() => {
    const ce = crossEntropy(studentLogits, y);
    const cos = tf.mean(cosineSimilarity(zStudent, zTeacher)) as tf.Scalar;
    return { loss: tf.sub(tf.mul(lambda, ce), cos) as tf.Scalar, terms: { ce, cos } };
  });
}

/** Width of a classifier's (flattened) feature vector. */
export function featureWidth(c: Classifier): number {
  const shape = featureModel(c).outputs[0].shape;
  return shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
}

export const rrm: MethodDefinition<RrmConfig> = {
  name: 'rrm',
  title: 'RRM (robust representation matching)',
  reference: 'Vaishnavi, Eykholt, Rahmati 2022',
  needsTeacher: true,
  attackBatchNorm: 'no attack',
  params: {
    ...optimizerSpecs(rrmRecipe),
    ...MONITOR_SPECS,
    ...TEACHER_CHECK_SPECS,
    lambda: { default: 0.005, source: 'docs/methods.md (RRM released code, L-inf CIFAR): lambda 0.005 on the CE', check: num({ min: 0, max: 1e6 }) },
    cacheTeacher: CACHE_TEACHER_SPEC,
  },
  async create({ student: given, teacher, data, config, seed, log, signal }) {
    const dT = featureWidth(teacher!);
    const dS = featureWidth(given);
    let student = given;
    if (dS !== dT) {
      student = withProjection(given, dT, seed);
      log(`[temper] rrm: student features (${dS}) and teacher features (${dT}) differ: added a linear layer "rrm_projection" (${dS} -> ${dT}, no activation) and a new classifier "rrm_logits" to the student, as RRM's released code does`);
    }
    const t = await teacherSource(teacher!, data.train, { cache: config.cacheTeacher, features: true, signal });
    log(`[temper] rrm: teacher features ${t.cached ? 'cached once per training image' : 'computed per batch'}`);
    return {
      student,
      step(b, ctx) {
        const zT = t.features(b);
        try {
          return ctx.minimize(() => {
            const { features, logits } = featuresAndLogits(student, b.x, true);
            return rrmLoss(features, logits, zT, b.y, config.lambda);
          }).terms;
        } finally {
          zT.dispose();
        }
      },
      dispose() {},
    };
  },
};
