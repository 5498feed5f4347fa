import * as tf from '@tensorflow/tfjs-core';
import { checkEps, checkKnownKeys, checkOneOf, plainSettings } from './config.ts';
import { cwLoss, logCrossEntropyLoss } from './losses.ts';
import { ballBounds, classifierObjective, lossAndGrad, project } from './tensors.ts';
import type { AttackConfigBase, AttackDefinition } from './types.ts';

/** FGSM (Goodfellow et al.): one signed-gradient step of size eps from x, no random start. */
export interface FgsmConfig extends AttackConfigBase {
  readonly loss: 'ce' | 'cw';
}

const KEYS = ['eps', 'loss'] as const;

export const fgsm: AttackDefinition<FgsmConfig> = {
  name: 'fgsm',
  kind: 'white-box',
  defaults: { loss: 'ce' },
  resolve(config) {
    checkKnownKeys('fgsm', config, KEYS);
    return {
      eps: checkEps('fgsm', config.eps),
      loss: checkOneOf('fgsm', 'loss', config.loss ?? this.defaults.loss, ['ce', 'cw'] as const),
    };
  },
  describe(config) {
    const { eps: _eps, ...rest } = config;
    return plainSettings(rest);
  },
  async run(classifier, x, y, config, ctx) {
    await ctx.checkpoint({ iteration: 0, iterations: 1 });
    // log CE: the same sign(grad) as CE, without its float32 underflow on confident models (losses.ts).
    const lossFn = config.loss === 'ce' ? (z: tf.Tensor2D) => logCrossEntropyLoss(z, y) : (z: tf.Tensor2D) => cwLoss(z, y);
    const xAdv = tf.tidy(() => {
      const { grad } = lossAndGrad(classifierObjective(classifier, lossFn), x);
      const { lo, hi } = ballBounds(x, config.eps);
      return project(tf.add(x, tf.mul(config.eps, tf.sign(grad))) as tf.Tensor4D, lo, hi);
    });
    return { xAdv };
  },
};
