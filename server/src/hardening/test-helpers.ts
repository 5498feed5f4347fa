/** Shared fixtures of the hardening tests: tiny models, a stub step context, data, weight comparison. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { DatasetSplit, Classifier } from '@temper/edge';
import { UNIT_PREPROCESSING, Rng, createZooClassifier } from '@temper/edge';
import { loadDataset } from '../datasets/index.ts';
import type { StepContext, StepLoss } from '../training/stepper.ts';
import type { HardeningMethodName } from './contract.ts';

/** Every method's settings for runs on tiny data: small attacks and a small discriminator keep each run to a fraction of a second. */
export const TINY_METHOD_PARAMS: Record<HardeningMethodName, Record<string, unknown>> = {
  natural: {},
  kd: {},
  'pgd-at': { steps: 3 },
  'fast-at': {},
  'free-at': { replays: 2 },
  trades: { steps: 3 },
  // The test teacher is an untrained MLP: the robustness-distillation methods would refuse it.
  ard: { steps: 3, forceTeacher: true },
  rslad: { steps: 3, forceTeacher: true },
  rrm: { forceTeacher: true },
  alp: { steps: 3 },
  clp: {},
  lsq: {},
  igam: { discChannels: [4, 8], finetuneEpochs: 1, forceTeacher: true },
};

/** z = flatten(x) W on 1x2x1 images: a model whose attacks and gradients can be worked out by hand. */
export function linearClassifier(w: number[][]): Classifier {
  const input = tfl.input({ shape: [1, w.length, 1] });
  const flat = tfl.layers.flatten({ name: 'features' }).apply(input) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: w[0].length, useBias: false, name: 'logits' }).apply(flat) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: out });
  model.setWeights([tf.tensor2d(w)]);
  return { model, preprocessing: UNIT_PREPROCESSING, inputShape: [1, w.length, 1], numClasses: w[0].length, featureLayer: 'features', outputsWereSoftmax: false };
}

/**
 * A step context that computes gradients (so that Free AT's extra gradients exist) but applies no
 * update: what a step returns is then a pure function of its inputs.
 */
export function probeContext(seed = 0, step = 0): StepContext {
  return {
    epoch: 0,
    step,
    rng: new Rng(seed),
    minimize(f: () => StepLoss, extra: readonly tf.Variable[] = []) {
      if (extra.length === 0) {
        const { loss, terms } = f();
        // Terms may alias the loss: hand out copies, as the loop does.
        return { terms: Object.fromEntries(Object.entries({ loss, ...terms }).map(([k, t]) => [k, tf.clone(t) as tf.Scalar])), extraGrads: [] };
      }
      let kept: Record<string, tf.Scalar> = {};
      const { value, grads } = tf.variableGrads(() => {
        const { loss, terms } = f();
        kept = Object.fromEntries(Object.entries(terms).map(([k, t]) => [k, tf.keep(t)]));
        return loss;
      }, [...extra]);
      const terms = Object.fromEntries(Object.entries({ loss: value, ...kept }).map(([k, t]) => [k, tf.clone(t) as tf.Scalar]));
      tf.dispose([value, ...Object.values(kept)]);
      return { terms, extraGrads: extra.map((v) => grads[v.name]) };
    },
  };
}

export async function read(terms: Record<string, tf.Scalar>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [k, t] of Object.entries(terms)) {
    out[k] = (await t.data())[0];
    t.dispose();
  }
  return out;
}

let cached: Promise<DatasetSplit> | undefined;
/** 128 train / 48 test real MNIST digits. */
export function tinyMnist(): Promise<DatasetSplit> {
  cached ??= loadDataset('mnist', { trainSize: 128, testSize: 48, seed: 0 });
  return cached;
}

/** A small MLP (hidden 64, features `featureWidth`). */
export function tinyMlp(seed: number, featureWidth = 16): Classifier {
  return createZooClassifier('mlp', { inputShape: [28, 28, 1], numClasses: 10, seed, featureWidth, widthMultiplier: 0.25 });
}

/** Bitwise equality of all weights (trainable and not). */
export function sameWeights(a: Classifier, b: Classifier): boolean {
  const wa = a.model.getWeights();
  const wb = b.model.getWeights();
  if (wa.length !== wb.length) return false;
  return wa.every((t, i) => {
    const x = new Uint8Array((t.dataSync() as Float32Array).buffer.slice(0));
    const y = new Uint8Array((wb[i].dataSync() as Float32Array).buffer.slice(0));
    return x.length === y.length && x.every((v, j) => v === y[j]);
  });
}

/**
 * Frees a student and what training added: RRM's projected model shares its trunk with the
 * original, and disposing either model disposes the shared layers.
 */
export function disposeStudents(original: Classifier, trained: Classifier): void {
  original.model.dispose();
  if (trained !== original) {
    for (const l of trained.model.layers) if (!original.model.layers.includes(l)) l.dispose();
  }
}
