import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.ts';
import { registerWasmTrainingKernels } from '../kernels/index.ts';
import { crossEntropy as meanCe } from '../models/losses.ts';
import { logits, type Classifier } from '../models/classifier.ts';
import { crossEntropy } from '../models/losses.ts';
import { Rng } from '../util/random.ts';
import { createZooClassifier, zooArchitectureNames } from './index.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

function randomImages(n: number, shape: readonly number[], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(Float32Array.from({ length: n * size }, () => rng.next()), [n, ...shape] as [number, number, number, number]);
}

/** Sum of squared input gradients of the CE: the quantity IGAM-style methods differentiate w.r.t. weights. */
function inputGradientPenalty(c: Classifier, x: tf.Tensor4D, y: tf.Tensor1D): tf.Scalar {
  const gx = tf.grad((xi: tf.Tensor) => crossEntropy(logits(c, xi), y))(x);
  return tf.sum(tf.square(gx));
}

describe('model zoo', () => {
  for (const name of zooArchitectureNames()) {
    describe(name, () => {
      let c: Classifier;
      beforeAll(() => {
        c = createZooClassifier(name, { inputShape: [28, 28, 1], numClasses: 10, featureWidth: 48, seed: 7 });
      });

      it('outputs logits and names its penultimate layer `features` with the requested width', () => {
        const out = tf.tidy(() => logits(c, randomImages(3, c.inputShape, 1)));
        expect(out.shape).toEqual([3, 10]);
        const sums = tf.tidy(() => tf.sum(out, 1).arraySync() as number[]);
        // Logits, not probabilities: rows do not sum to one and can be negative.
        expect(sums.some((s) => Math.abs(s - 1) > 1e-3)).toBe(true);
        out.dispose();
        const features = c.model.getLayer('features');
        expect(features.outputShape).toEqual([null, 48]);
        const last = c.model.layers[c.model.layers.length - 1];
        expect(last.getConfig().activation).toBe('linear');
        expect(c.model.layers.some((l) => /pool/i.test(l.getClassName()) && l.getClassName() !== 'GlobalAveragePooling2D')).toBe(false);
      });

      it('is deterministic for a seed', () => {
        const again = createZooClassifier(name, { inputShape: [28, 28, 1], numClasses: 10, featureWidth: 48, seed: 7 });
        const other = createZooClassifier(name, { inputShape: [28, 28, 1], numClasses: 10, featureWidth: 48, seed: 8 });
        const w = c.model.getWeights()[0].dataSync();
        expect(Array.from(again.model.getWeights()[0].dataSync())).toEqual(Array.from(w));
        expect(Array.from(other.model.getWeights()[0].dataSync())).not.toEqual(Array.from(w));
      });

      it('supports second-order gradients (d/dtheta of a function of d/dx), matching finite differences', () => {
        const vars = c.model.trainableWeights.map((w) => w.read() as tf.Variable);
        const x = randomImages(3, c.inputShape, 2);
        const y = tf.tensor1d([0, 3, 9], 'int32');
        const { value, grads } = tf.variableGrads(() => inputGradientPenalty(c, x, y), vars);
        const all = Object.values(grads);
        expect(all.length).toBe(vars.length);
        for (const g of all) expect(tf.tidy(() => tf.all(tf.isFinite(g)).dataSync()[0])).toBe(1);
        const gradNorm = tf.tidy(() => tf.addN(all.map((g) => tf.sum(tf.square(g)))).dataSync()[0]);
        expect(gradNorm).toBeGreaterThan(0);

        // Directional derivative per variable: <grad, v> vs (f(theta+hv) - f(theta-hv)) / 2h. The
        // penalty jumps wherever a ReLU flips, so a central difference is trusted only where three
        // step sizes agree (a smooth neighbourhood). The logits layer never changes a ReLU mask, so
        // it is always checked; so are the features layer and the last conv/bn weights when smooth.
        const rng = new Rng(3);
        const names = vars.map((v) => v.name);
        const lastConv = names.filter((n) => /conv|bn/.test(n)).slice(-2);
        const candidates = vars.filter((v) => /^(logits|features)/.test(v.name) || lastConv.includes(v.name));
        const checked: string[] = [];
        for (const v of candidates) {
          const dir = tf.tensor(Float32Array.from({ length: v.size }, () => rng.normal()), v.shape);
          const analytic = tf.tidy(() => tf.sum(tf.mul(grads[v.name], dir)).dataSync()[0]);
          const original = v.clone();
          const central = (h: number) => {
            const at = (t: number) => {
              v.assign(tf.tidy(() => tf.add(original, tf.mul(dir, t))));
              return tf.tidy(() => inputGradientPenalty(c, x, y).dataSync()[0]);
            };
            return (at(h) - at(-h)) / (2 * h);
          };
          const fd = [1e-2, 5e-3, 2.5e-3].map(central);
          v.assign(original);
          tf.dispose([dir, original]);
          const scale = Math.max(Math.abs(fd[2]), 1e-4);
          const smooth = Math.max(...fd) - Math.min(...fd) < 0.02 * scale;
          if (!v.name.startsWith('logits') && !smooth) continue;
          expect(Math.abs(analytic - fd[2]) / scale, `${v.name}: analytic ${analytic} vs finite differences ${fd}`).toBeLessThan(0.03);
          checked.push(v.name);
        }
        expect(checked.filter((n) => n.startsWith('logits')).length).toBe(2);
        console.log(`${name}: second-order gradient matches finite differences on ${checked.join(', ')}`);
        tf.dispose([value, x, y, ...all]);
      });
    });
  }

  for (const name of zooArchitectureNames()) {
    it(`${name} trains on the wasm backend (loss falls over a few Adam steps)`, () => {
      const c = createZooClassifier(name, { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
      const x = randomImages(32, c.inputShape, 4);
      const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32');
      const vars = c.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const opt = tf.train.adam(3e-3);
      const start = tf.memory().numTensors;
      const losses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const cost = opt.minimize(() => meanCe(logits(c, x, true), y), true, vars)!;
        losses.push(cost.dataSync()[0]);
        cost.dispose();
      }
      expect(losses[losses.length - 1]).toBeLessThan(0.7 * losses[0]);
      opt.dispose();
      // Adam's slots are the only tensors a training loop may add.
      expect(tf.memory().numTensors - start).toBeLessThanOrEqual(2 * vars.length + 2);
      tf.dispose([x, y]);
      c.model.dispose();
    });
  }

  it('rejects unknown architectures and bad options with specific codes', () => {
    expect(() => createZooClassifier('vgg19', { inputShape: [28, 28, 1], numClasses: 10 })).toThrow(expect.objectContaining({ code: ErrorCodes.ZOO_UNKNOWN_ARCHITECTURE }));
    expect(() => createZooClassifier('cnn', { inputShape: [28, 28, 0], numClasses: 10 })).toThrow(expect.objectContaining({ code: ErrorCodes.ZOO_INVALID_OPTIONS }));
    expect(() => createZooClassifier('cnn', { inputShape: [28, 28, 1], numClasses: 1 })).toThrow(expect.objectContaining({ code: ErrorCodes.ZOO_INVALID_OPTIONS }));
  });

  it('builds for CIFAR-shaped and non-square inputs', () => {
    for (const name of zooArchitectureNames()) {
      for (const shape of [[32, 32, 3], [28, 20, 1]] as const) {
        const m = createZooClassifier(name, { inputShape: shape, numClasses: 10 });
        const out = tf.tidy(() => logits(m, tf.zeros([2, ...shape])));
        expect(out.shape).toEqual([2, 10]);
        out.dispose();
      }
    }
  });
});
