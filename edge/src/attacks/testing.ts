import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { imageSize, type ImageDataset } from '../data/dataset.ts';
import { logits, type Classifier } from '../models/classifier.ts';
import { UNIT_PREPROCESSING } from '../models/preprocessing.ts';
import { Rng } from '../util/random.ts';
import type { AttackResult } from './driver.ts';
import { checkThreatSetArrays } from './threat-set.ts';

/**
 * Helpers for attack and evaluation tests (not part of the public surface). They throw plain Errors
 * instead of using a test framework so that they stay isomorphic like the rest of edge/.
 */

type Shape = readonly [number, number, number];

export function classifierOf(model: tfl.LayersModel, inputShape: Shape, numClasses: number): Classifier {
  return { model, preprocessing: UNIT_PREPROCESSING, inputShape, numClasses, featureLayer: 'features', outputsWereSoftmax: false };
}

/** Flatten, dense features (ReLU), dense logits; seeded weights. */
export function tinyDenseClassifier(inputShape: Shape, numClasses: number, seed = 1, hidden = 16): Classifier {
  const init = (k: number) => tfl.initializers.glorotNormal({ seed: seed * 100 + k });
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [...inputShape] }),
      tfl.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: init(1), name: 'features' }),
      tfl.layers.dense({ units: numClasses, kernelInitializer: init(2), biasInitializer: 'zeros' }),
    ],
  });
  return classifierOf(model, inputShape, numClasses);
}

/** One 3x3 conv (ReLU), flatten, dense logits; seeded weights. */
export function tinyConvClassifier(inputShape: Shape, numClasses: number, seed = 1): Classifier {
  const init = (k: number) => tfl.initializers.glorotNormal({ seed: seed * 100 + k });
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [...inputShape], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.flatten({ name: 'features' }),
      tfl.layers.dense({ units: numClasses, kernelInitializer: init(2) }),
    ],
  });
  return classifierOf(model, inputShape, numClasses);
}

/** Flatten + one dense layer: z = W x + b (the linear oracle's model). */
export function linearClassifier(inputShape: Shape, numClasses: number, seed = 1): Classifier {
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [...inputShape] }),
      tfl.layers.dense({ units: numClasses, kernelInitializer: tfl.initializers.glorotNormal({ seed }), name: 'logits' }),
    ],
  });
  return classifierOf(model, inputShape, numClasses);
}

/**
 * Uniform random images; labels are the classifier's own predictions except for every `wrongEvery`-th
 * sample, which gets a wrong label (so that the clean-mistake path is exercised).
 */
export async function syntheticDataset(c: Classifier, count: number, seed = 7, wrongEvery = 0): Promise<ImageDataset> {
  const [height, width, channels] = c.inputShape;
  const rng = new Rng(seed);
  const images = new Float32Array(count * height * width * channels);
  for (let i = 0; i < images.length; i++) images[i] = rng.next();
  const x = tf.tensor4d(images.slice(), [count, height, width, channels]);
  const pred = tf.tidy(() => tf.argMax(logits(c, x), 1));
  const labels = Int32Array.from(await pred.data());
  x.dispose();
  pred.dispose();
  if (wrongEvery > 0) for (let i = 0; i < count; i += wrongEvery) labels[i] = (labels[i] + 1) % c.numClasses;
  return { name: 'synthetic', images, labels, count, height, width, channels, numClasses: c.numClasses };
}

/**
 * The shared check every attack test runs on every result: adversarial images inside the eps-ball
 * around their clean images and inside [0,1]; flags consistent (robust and fooled only on clean-correct
 * points, never both); predictions agree with the flags; clean mistakes left untouched.
 */
export function assertValidAttackResult(result: AttackResult, ds: ImageDataset): void {
  const px = imageSize(ds);
  const fail = (why: string) => {
    throw new Error(`${result.attack} (eps ${result.eps}): ${why}`);
  };
  if (result.adversarial.length !== result.count * px) fail(`adversarial has ${result.adversarial.length} values, expected ${result.count * px}`);
  for (let j = 0; j < result.count; j++) {
    const row = result.indices[j];
    const x = ds.images.subarray(row * px, (row + 1) * px);
    const xa = result.adversarial.subarray(j * px, (j + 1) * px);
    const check = checkThreatSetArrays(x, xa, result.eps);
    if (!check.ok) fail(`sample ${j} (row ${row}): ${check.message}`);
    const label = ds.labels[row];
    if (result.robust[j] && result.fooled[j]) fail(`sample ${j} is both robust and fooled`);
    if (result.robust[j] + result.fooled[j] !== result.clean[j]) fail(`sample ${j}: robust/fooled flags disagree with clean=${result.clean[j]}`);
    if (result.robust[j] && result.predictions[j] !== label) fail(`sample ${j} robust but predicted ${result.predictions[j]} != ${label}`);
    if (result.fooled[j] && result.predictions[j] === label) fail(`sample ${j} fooled but predicted its label`);
    if (!result.clean[j]) {
      for (let i = 0; i < px; i++) if (xa[i] !== x[i]) fail(`sample ${j} was misclassified clean but its image changed`);
    }
  }
  if (!(result.maxPerturbation <= result.eps + 1e-6)) fail(`maxPerturbation ${result.maxPerturbation} > eps`);
  const robust = result.robust.reduce((a, b) => a + b, 0);
  if (Math.abs(result.robustAccuracy - robust / Math.max(result.count, 1)) > 1e-12) fail('robustAccuracy disagrees with the flags');
}

/** Runs fn and throws if it leaves tensors behind. */
export async function assertNoLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`leaked ${after - before} tensors`);
  return out;
}

/**
 * Wraps a classifier so that every forward asserts that no gradient tape is recording: proves an
 * attack (Square, or the target side of a transfer attack) only uses outputs. Counts forwards and images.
 */
export function outputsOnly(c: Classifier): { classifier: Classifier; calls: () => number; images: () => number } {
  let calls = 0;
  let images = 0;
  const model = new Proxy(c.model, {
    get(target, prop, receiver) {
      if (prop === 'apply') {
        return (x: tf.Tensor, kwargs?: unknown) => {
          if ((tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0) {
            throw new Error('the target model was called while a gradient tape was recording');
          }
          calls++;
          images += x.shape[0] ?? 0;
          return target.apply(x, kwargs as never);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { classifier: { ...c, model }, calls: () => calls, images: () => images };
}
