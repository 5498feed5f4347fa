import * as tf from '@tensorflow/tfjs-core';
import { logits } from '@temper/edge';
import { crossEntropy } from '../losses.ts';
import type { CommonParams, MethodDefinition } from '../method.ts';
import { MONITOR_SPECS, num, optimizerSpecs, TEMPER_ADAM, type Recipe, type RecipeFamily } from '../params.ts';
import { storedToTensor } from '../../training/checkpoint-payload.ts';

/**
 * Free adversarial training (Shafahi et al. 2019), docs/methods.md "Baselines": one persistent
 * perturbation delta (zero once, never reset across minibatches, sized for a full batch and sliced
 * for a short last one); every minibatch is replayed m times; each replay does ONE backward that
 * yields both the weight gradient and the input gradient, then
 * delta = clip(delta + eps * sign(grad_delta), -eps, eps) and the weight step. The input is
 * clamp(x + delta, 0, 1), as in the released code. Batch norm in training mode.
 *
 * Epochs are counted in replays: `epochs` asks for ceil(epochs / m) passes over the data, so that
 * Free AT with E epochs costs about as many forward/backward passes as E epochs of natural training.
 * The checkpoint carries delta.
 */
export interface FreeAtConfig extends CommonParams {
  readonly replays: number;
  readonly stepSize: number;
}

export function freeRecipe(family: RecipeFamily): Recipe {
  return family === 'mnist'
    ? { ...TEMPER_ADAM, source: `${TEMPER_ADAM.source}; Free AT has no MNIST recipe` }
    : { optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 2e-4, schedule: 'piecewise', milestoneFractions: [0.5, 0.75], lrFactor: 0.1, source: "Shafahi et al. CIFAR (Madry's recipe): SGD 0.1, momentum 0.9, wd 2e-4, piecewise" };
}

export const freeAt: MethodDefinition<FreeAtConfig> = {
  name: 'free-at',
  title: 'Free AT (minibatch replay)',
  reference: 'Shafahi et al. 2019, "Adversarial training for free!"',
  needsTeacher: false,
  attackBatchNorm: 'train',
  params: {
    ...optimizerSpecs(freeRecipe),
    ...MONITOR_SPECS,
    replays: { default: 8, source: 'docs/methods.md: m = 8', check: num({ min: 1, max: 100, integer: true }) },
    stepSize: { default: (c) => c.eps, source: 'docs/methods.md: delta += eps * sign(grad)', check: num({ min: 0, max: 1 }) },
  },
  passes: (epochs, c) => Math.max(1, Math.ceil(epochs / c.replays)),
  async create({ student, eps, config, batchSize }) {
    const [h, w, ch] = student.inputShape;
    // Trainable only so that tf.variableGrads returns its gradient; the optimizer never sees it.
    const zeros = tf.zeros([batchSize, h, w, ch]);
    let delta = tf.variable(zeros, true);
    zeros.dispose();
    return {
      student,
      updatesPerBatch: config.replays,
      step(b, ctx) {
        const n = b.x.shape[0];
        const sums: Record<string, tf.Scalar> = {};
        for (let r = 0; r < config.replays; r++) {
          const { terms, extraGrads } = ctx.minimize(
            () =>
              tf.tidy(() => {
                const d = n === batchSize ? delta : tf.slice(delta, 0, n);
                const xIn = tf.clipByValue(tf.add(b.x, d), 0, 1) as tf.Tensor4D;
                const ce = crossEntropy(logits(student, xIn, true), b.y);
                return { loss: ce, terms: { ceAdv: ce } };
              }),
            [delta],
          );
          const g = extraGrads[0];
          tf.tidy(() => delta.assign(tf.clipByValue(tf.add(delta, tf.mul(config.stepSize, tf.sign(g))), -eps, eps)));
          g.dispose();
          for (const [k, t] of Object.entries(terms)) {
            const prev = sums[k];
            sums[k] = prev ? (tf.add(prev, t) as tf.Scalar) : t;
            if (prev) tf.dispose([prev, t]);
          }
        }
        const out: Record<string, tf.Scalar> = {};
        for (const [k, t] of Object.entries(sums)) {
          out[k] = tf.div(t, config.replays) as tf.Scalar;
          t.dispose();
        }
        return out;
      },
      async saveState() {
        return { tensors: [{ name: 'delta', tensor: tf.clone(delta) }] };
      },
      loadState(state) {
        const stored = state.tensors.find((t) => t.name === 'delta');
        if (!stored) throw new Error('Free AT checkpoint lacks the perturbation delta');
        const t = storedToTensor(stored);
        delta.assign(t);
        t.dispose();
      },
      dispose() {
        delta.dispose();
        delta = undefined as unknown as tf.Variable;
      },
    };
  },
};
