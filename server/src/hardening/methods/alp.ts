import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import type { StepLoss } from '../../training/stepper.ts';
import { crossEntropy, meanSquaredDifference } from '../losses.ts';
import { signedAscent } from '../inner.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { MONITOR_SPECS, num, oneOf, optimizerSpecs, pgdSource, pgdStepSizeDefault, pgdStepsDefault, TEMPER_ADAM } from '../params.ts';

/**
 * ALP, adversarial logit pairing (Kannan, Kurakin, Goodfellow 2018; seed 003), docs/methods.md:
 * craft x' with the model in inference mode (untargeted PGD on the predicted label: the common
 * variant; the paper's ImageNet runs used targeted least-likely PGD), then ONE training-mode forward
 * over the mixed minibatch [x ; x'] and
 *   CE([x;x'], [y;y]) + lambda * mean_{B x C}(f(x) - f(x'))^2, lambda 0.5.
 * Known to look robust under weak attacks: runHardening reports PGD-20 next to the ensemble.
 */
export interface AlpConfig extends CommonParams {
  readonly lambda: number;
  readonly steps: number;
  readonly stepSize: number;
  readonly attackLabels: 'predicted' | 'true';
}

export function alpLoss(z: tf.Tensor2D, y: tf.Tensor1D, lambda: number): StepLoss {
  return tf.tidy(() => {
    const b = y.shape[0];
    const ce = crossEntropy(z, tf.concat([y, y]) as tf.Tensor1D);
    const pair = meanSquaredDifference(tf.slice(z, [0, 0], [b, -1]) as tf.Tensor2D, tf.slice(z, [b, 0], [b, -1]) as tf.Tensor2D);
    return { loss: tf.add(ce, tf.mul(lambda, pair)) as tf.Scalar, terms: { ce, pair } };
  });
}

export const alp: MethodDefinition<AlpConfig> = {
  name: 'alp',
  title: 'ALP (adversarial logit pairing)',
  reference: 'Kannan, Kurakin, Goodfellow 2018',
  needsTeacher: false,
  attackBatchNorm: 'inference',
  params: {
    ...optimizerSpecs(() => ({ ...TEMPER_ADAM, source: `${TEMPER_ADAM.source}; docs/methods.md gives no ALP optimizer` })),
    ...MONITOR_SPECS,
    lambda: { default: 0.5, source: 'docs/methods.md: lambda 0.5 (README; 0.25 elsewhere)', check: num({ min: 0, max: 1e6 }) },
    steps: { default: pgdStepsDefault, source: (c) => pgdSource(c, 'PGD as in Madry et al.'), check: num({ min: 0, max: 1000, integer: true }) },
    stepSize: { default: pgdStepSizeDefault, source: (c) => pgdSource(c, 'PGD as in Madry et al.'), check: num({ min: 0, max: 1 }) },
    attackLabels: { default: 'predicted', source: 'docs/methods.md: untargeted PGD with the predicted label (the common variant)', check: oneOf(['predicted', 'true'] as const) },
  },
  async create({ student, eps, config }) {
    return {
      student,
      step(b, ctx) {
        const yAtk = config.attackLabels === 'predicted' ? tf.tidy(() => tf.cast(tf.argMax(logits(student, b.x, false), 1), 'int32') as tf.Tensor1D) : b.y;
        const xAdv = signedAscent(b.x, (xa) => crossEntropy(logits(student, xa, false), yAtk), { eps, steps: config.steps, stepSize: config.stepSize, start: 'uniform', rng: ctx.rng });
        if (yAtk !== b.y) yAtk.dispose();
        try {
          return ctx.minimize(() => alpLoss(logits(student, tf.concat([b.x, xAdv]), true), b.y, config.lambda)).terms;
        } finally {
          xAdv.dispose();
        }
      },
      dispose() {},
    };
  },
};
