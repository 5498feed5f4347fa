import * as tf from '@tensorflow/tfjs-core';
import { logits, type Classifier } from '../models/classifier.ts';
import { checkEps, checkInt, checkKnownKeys, checkNumber, checkOneOf, configError, plainSettings } from './config.ts';
import { crossEntropyLoss, cwLoss } from './losses.ts';
import { pgdSingleRun, pgdStepSize } from './pgd.ts';
import type { Objective } from './tensors.ts';
import type { AttackConfigBase, AttackDefinition } from './types.ts';

/**
 * Transfer attack: PGD examples crafted on one or more surrogate classifiers (another model of the same
 * task: the teacher, a naturally trained model, an ensemble) at the same eps, then classified once by the
 * target (the driver's verification forward is that one query). The target's gradients and outputs are
 * never used while crafting. With several surrogates the PGD objective averages their logits ('logits')
 * or their per-sample losses ('loss'). The crafted point is PGD's last iterate: whether a surrogate is
 * fooled early says little about the target.
 */
export interface TransferSurrogate {
  /** Shown in reports. */
  readonly name: string;
  readonly classifier: Classifier;
}

export interface TransferConfig extends AttackConfigBase {
  readonly surrogates: readonly TransferSurrogate[];
  readonly ensemble: 'logits' | 'loss';
  readonly steps: number;
  /** null: 2.5 * eps / steps. */
  readonly stepSize: number | null;
  readonly randomStart: boolean;
  readonly loss: 'ce' | 'cw';
}

const KEYS = ['eps', 'surrogates', 'ensemble', 'steps', 'stepSize', 'randomStart', 'loss'] as const;

export function surrogateObjective(
  surrogates: readonly TransferSurrogate[],
  ensemble: 'logits' | 'loss',
  lossFn: (z: tf.Tensor2D) => tf.Tensor1D,
): Objective {
  return (x) => {
    const zs = surrogates.map((s) => logits(s.classifier, x, false));
    if (zs.length === 1) return { loss: lossFn(zs[0]), logits: zs[0] };
    const zMean = tf.div(tf.addN(zs), zs.length) as tf.Tensor2D;
    if (ensemble === 'logits') return { loss: lossFn(zMean), logits: zMean };
    return { loss: tf.div(tf.addN(zs.map(lossFn)), zs.length) as tf.Tensor1D, logits: zMean };
  };
}

export const transfer: AttackDefinition<TransferConfig> = {
  name: 'transfer',
  kind: 'transfer',
  defaults: { surrogates: [], ensemble: 'logits', steps: 20, stepSize: null, randomStart: true, loss: 'ce' },
  resolve(config, classifier) {
    checkKnownKeys('transfer', config, KEYS);
    const d = this.defaults;
    const surrogates = config.surrogates ?? d.surrogates;
    if (!Array.isArray(surrogates) || surrogates.length === 0) throw configError('transfer', 'needs at least one surrogate classifier');
    for (const s of surrogates) {
      if (!s || typeof s.name !== 'string' || !s.classifier) throw configError('transfer', 'each surrogate is { name, classifier }');
      if (classifier) {
        const same = s.classifier.inputShape.join('x') === classifier.inputShape.join('x') && s.classifier.numClasses === classifier.numClasses;
        if (!same) {
          throw configError('transfer', `surrogate "${s.name}" takes ${s.classifier.inputShape.join('x')} -> ${s.classifier.numClasses} classes but the target takes ${classifier.inputShape.join('x')} -> ${classifier.numClasses}`, { surrogate: s.name });
        }
      }
    }
    const stepSize = config.stepSize ?? d.stepSize;
    return {
      eps: checkEps('transfer', config.eps),
      surrogates: [...surrogates],
      ensemble: checkOneOf('transfer', 'ensemble', config.ensemble ?? d.ensemble, ['logits', 'loss'] as const),
      steps: checkInt('transfer', 'steps', config.steps ?? d.steps, 1, 100_000),
      stepSize: stepSize === null ? null : checkNumber('transfer', 'stepSize', stepSize, 0, 1),
      randomStart: Boolean(config.randomStart ?? d.randomStart),
      loss: checkOneOf('transfer', 'loss', config.loss ?? d.loss, ['ce', 'cw'] as const),
    };
  },
  describe(config) {
    return plainSettings({
      surrogates: config.surrogates.map((s) => s.name),
      ensemble: config.ensemble,
      steps: config.steps,
      stepSize: pgdStepSize(config),
      randomStart: config.randomStart,
      loss: config.loss,
    });
  },
  async run(_target, x, y, config, ctx) {
    const lossFn = config.loss === 'ce' ? (z: tf.Tensor2D) => crossEntropyLoss(z, y) : (z: tf.Tensor2D) => cwLoss(z, y);
    const res = await pgdSingleRun(
      surrogateObjective(config.surrogates, config.ensemble, lossFn),
      x,
      { eps: config.eps, steps: config.steps, stepSize: pgdStepSize(config), randomStart: config.randomStart, numClasses: _target.numClasses },
      ctx,
    );
    res.xFooled.dispose();
    return { xAdv: res.xLast };
  },
};
