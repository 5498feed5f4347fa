import * as tf from '@tensorflow/tfjs-core';
import { logits, type Classifier } from '@temper/edge';
import type { StepLoss } from '../../training/stepper.ts';
import { crossEntropy } from '../losses.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { MONITOR_SPECS, optimizerSpecs, TEMPER_ADAM } from '../params.ts';

/** Natural training: mean CE on clean inputs. The reference point every method is compared with. */
export type NaturalConfig = CommonParams;

export function naturalLoss(z: tf.Tensor2D, y: tf.Tensor1D): StepLoss {
  return tf.tidy(() => {
    const ce = crossEntropy(z, y);
    return { loss: ce, terms: { ce } };
  });
}

export function naturalStep(student: Classifier, x: tf.Tensor4D, y: tf.Tensor1D): StepLoss {
  return naturalLoss(logits(student, x, true), y);
}

export const natural: MethodDefinition<NaturalConfig> = {
  name: 'natural',
  title: 'Natural training',
  reference: 'ERM on clean inputs (no robustness); the baseline of every table',
  needsTeacher: false,
  attackBatchNorm: 'no attack',
  params: { ...optimizerSpecs(() => TEMPER_ADAM), ...MONITOR_SPECS },
  async create({ student }) {
    return {
      student,
      step: (b, ctx) => ctx.minimize(() => naturalStep(student, b.x, b.y)).terms,
      dispose() {},
    };
  },
};
