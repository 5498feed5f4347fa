import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/random.ts';
import { registerWasmTrainingKernels, WASM_REPLACED_KERNELS, WASM_TRAINING_KERNELS } from './index.ts';
import { initBackends, intIn, noteError, normals, pick, relError, reportErrors, useBackend, type BackendName } from './test-helpers.ts';

const TOLERANCE = 1e-4;

/** Runs `f` on a backend inside tidy and returns host copies of the tensors it returns. */
async function on(backend: BackendName, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  return tf.tidy(() => f().map((t) => t.dataSync().slice() as Float32Array));
}

/** Worst error over the tensors `f` returns, wasm against cpu; also checks nothing was left allocated. */
async function wasmVsCpu(label: string, f: () => tf.Tensor[]): Promise<number> {
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const wasm = await on('wasm', f);
  expect(tf.memory().numTensors).toBe(before);
  const cpu = await on('cpu', f);
  const error = Math.max(...wasm.map((w, i) => relError(w, cpu[i])));
  noteError(label, error);
  return error;
}

describe('registerWasmTrainingKernels', () => {
  beforeAll(initBackends);
  afterAll(reportErrors);

  it('registers the kernels wasm lacks and the Conv2DBackpropInput replacement, once', () => {
    for (const config of WASM_TRAINING_KERNELS) {
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
    expect(WASM_REPLACED_KERNELS).toEqual(['Conv2DBackpropInput']);
    const replaced = tf.getKernel('Conv2DBackpropInput', 'wasm')!;
    // The replacement keeps the backend kernel's setup, which its fallback path needs.
    expect(replaced.setupFunc).toBeTypeOf('function');
    expect(registerWasmTrainingKernels()).toEqual([]);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(replaced);
    expect(registerWasmTrainingKernels()).toEqual([]);
    expect(WASM_TRAINING_KERNELS.map((k) => k.kernelName).sort()).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
    ]);
  });

  const rng = new Rng('end-to-end-cases');
  for (let i = 0; i < 12; i++) {
    const b = intIn(rng, 1, 8), h = intIn(rng, 3, 12), w = intIn(rng, 3, 12), cin = intIn(rng, 1, 6), cout = intIn(rng, 1, 6);
    const k = intIn(rng, 1, Math.min(5, h, w)), s = intIn(rng, 1, 3), pad = pick(rng, ['same', 'valid'] as const);
    it(`tf.grads of a conv2d loss match cpu: x [${b},${h},${w},${cin}] ${k}x${k}x${cout} stride ${s} ${pad}`, async () => {
      const data = new Rng(`conv-grad-${i}`);
      const xv = normals(data, b * h * w * cin), wv = normals(data, k * k * cin * cout);
      const error = await wasmVsCpu('tf.grads(conv2d loss)', () => {
        const loss = (x: tf.Tensor, f: tf.Tensor) => {
          const y = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, s, pad);
          return tf.add(tf.sum(tf.square(y)), tf.sum(tf.sin(y)));
        };
        return tf.grads(loss)([tf.tensor4d(xv, [b, h, w, cin]), tf.tensor4d(wv, [k, k, cin, cout])]);
      });
      expect(error).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  for (let i = 0; i < 8; i++) {
    const b = intIn(rng, 1, 8), h = intIn(rng, 3, 12), w = intIn(rng, 3, 12), c = intIn(rng, 1, 6), mult = intIn(rng, 1, 3);
    const k = intIn(rng, 1, Math.min(5, h, w)), s = intIn(rng, 1, 2), pad = pick(rng, ['same', 'valid'] as const);
    it(`tf.grads of a depthwiseConv2d loss match cpu: x [${b},${h},${w},${c}] ${k}x${k}x${mult} stride ${s} ${pad}`, async () => {
      const data = new Rng(`depthwise-grad-${i}`);
      const xv = normals(data, b * h * w * c), wv = normals(data, k * k * c * mult);
      const error = await wasmVsCpu('tf.grads(depthwiseConv2d loss)', () => {
        const loss = (x: tf.Tensor, f: tf.Tensor) => {
          const y = tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, s, pad);
          return tf.add(tf.sum(tf.square(y)), tf.sum(tf.sin(y)));
        };
        return tf.grads(loss)([tf.tensor4d(xv, [b, h, w, c]), tf.tensor4d(wv, [k, k, c, mult])]);
      });
      expect(error).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it('second order through Conv2D: d/dW of sum((dL/dx)^2) matches cpu (IGAM needs it)', async () => {
    const data = new Rng('second-order');
    const [b, h, w, cin, cout, k] = [4, 9, 9, 3, 5, 3];
    const xv = normals(data, b * h * w * cin), wv = normals(data, k * k * cin * cout);
    for (const [s, pad] of [[1, 'same'], [2, 'same'], [2, 'valid']] as const) {
      const error = await wasmVsCpu('second order through Conv2D', () => {
        const x = tf.tensor4d(xv, [b, h, w, cin]);
        const penalty = (f: tf.Tensor) => {
          const dx = tf.grad((xx: tf.Tensor) => {
            const y = tf.conv2d(xx as tf.Tensor4D, f as tf.Tensor4D, s, pad);
            return tf.add(tf.sum(tf.square(y)), tf.sum(tf.sin(y)));
          })(x);
          return tf.sum(tf.square(dx));
        };
        return [tf.grad(penalty)(tf.tensor4d(wv, [k, k, cin, cout]))];
      });
      expect(error).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('a small tfjs-layers CNN trains on wasm, with the gradients cpu computes', async () => {
    await useBackend('wasm');
    const data = new Rng('tiny-cnn');
    const n = 32, classes = 3;
    const xs = tf.tensor4d(normals(data, n * 10 * 10 * 2), [n, 10, 10, 2]);
    const ys = tf.oneHot(tf.tensor1d(Int32Array.from({ length: n }, () => data.int(classes)), 'int32'), classes);
    const init = (seed: number) => tfl.initializers.glorotNormal({ seed });
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [10, 10, 2], filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
        tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid', activation: 'relu', depthwiseInitializer: init(2) }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: classes, kernelInitializer: init(3) }),
      ],
    });
    const lossOf = () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar;
    const gradsOn = async (backend: BackendName) => {
      await useBackend(backend);
      return tf.tidy(() => {
        const { grads } = tf.variableGrads(lossOf);
        return model.trainableWeights.map((v) => grads[(v.read() as tf.Variable).name].dataSync().slice());
      });
    };
    const wasmGrads = await gradsOn('wasm');
    const cpuGrads = await gradsOn('cpu');
    const error = Math.max(...wasmGrads.map((g, i) => relError(g, cpuGrads[i])));
    noteError('tfjs-layers CNN gradients', error);
    expect(error).toBeLessThanOrEqual(TOLERANCE);

    await useBackend('wasm');
    const optimizer = tf.train.sgd(0.1);
    const losses: number[] = [];
    let tensorsAfterFirstStep = 0;
    for (let step = 0; step < 8; step++) {
      const loss = optimizer.minimize(lossOf, true)!;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
    }
    // Steps allocate nothing that outlives them (the first may create optimizer/layers state).
    expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.9);
    optimizer.dispose();
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
