import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { apgdCe, apgdDlr, apgdT, attackDataset, fgsm, pgd, square } from '../edge/src/attacks/index.ts';
import { classifierOf } from '../edge/src/attacks/testing.ts';
import { subsetDataset, type ImageDataset } from '../edge/src/data/dataset.ts';
import { linearModelOf, linearRobustness } from '../edge/src/evaluation/linear-oracle.ts';
import { Rng } from '../edge/src/util/random.ts';
import { loadDataset } from '../server/src/datasets/index.ts';

await tf.setBackend(process.argv[2] ?? 'wasm');
const split = await loadDataset('mnist', { trainSize: 2000, testSize: 500, seed: 0 });
const train = split.train, test = split.test;
const model = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [28, 28, 1] }), tfl.layers.dense({ units: 10, kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }) })] });
const c = classifierOf(model, [28, 28, 1], 10);
const opt = tf.train.adam(0.01);
const rng = new Rng('oracle-train');
let t0 = performance.now();
for (let epoch = 0; epoch < 5; epoch++) {
  const order = rng.permutation(train.count);
  for (let s = 0; s + 100 <= train.count; s += 100) {
    const b = subsetDataset(train, order.subarray(s, s + 100));
    tf.tidy(() => { const x = tf.tensor4d(b.images, [100, 28, 28, 1]); const y = tf.oneHot(tf.tensor1d(b.labels, 'int32'), 10); opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor2D) as tf.Scalar); });
  }
}
console.log('train ms', performance.now() - t0);
const which = (process.argv[3] ?? 'pgd,pgdcw,apgdce').split(',');
for (const eps of [0.05, 0.1, 0.2]) {
  const exact = linearRobustness(linearModelOf(c), test, eps);
  const out: string[] = [`exact ${(100 * exact.robustAccuracy).toFixed(1)}`];
  const runs: Record<string, () => Promise<any>> = {
    fgsm: () => attackDataset(fgsm, c, test, { eps }),
    pgd: () => attackDataset(pgd, c, test, { eps, steps: 100 }, { seed: 1 }),
    pgdcw: () => attackDataset(pgd, c, test, { eps, steps: 100, loss: 'cw' }, { seed: 1 }),
    apgdce: () => attackDataset(apgdCe, c, test, { eps }, { seed: 1 }),
    apgddlr: () => attackDataset(apgdDlr, c, test, { eps }, { seed: 1 }),
    apgdt: () => attackDataset(apgdT, c, test, { eps }, { seed: 1 }),
    pgdcw5: () => attackDataset(pgd, c, test, { eps, steps: 100, loss: 'cw', restarts: 5 }, { seed: 1 }),
    pgd5: () => attackDataset(pgd, c, test, { eps, steps: 100, restarts: 5 }, { seed: 1 }),
    apgdce5: () => attackDataset(apgdCe, c, test, { eps, restarts: 5 }, { seed: 1 }),
    apgddlr5: () => attackDataset(apgdDlr, c, test, { eps, restarts: 5 }, { seed: 1 }),
    square: () => attackDataset(square, c, test, { eps, queries: 1000 }, { seed: 1 }),
  };
  for (const k of which) {
    t0 = performance.now();
    const r = await runs[k]();
    out.push(`${k} ${(100 * r.robustAccuracy).toFixed(1)} (${((performance.now() - t0) / 1000).toFixed(1)}s)`);
  }
  console.log(`eps ${eps}: ${out.join(' | ')}`);
}
