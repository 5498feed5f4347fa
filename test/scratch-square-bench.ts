import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { attackDataset, square } from '../edge/src/attacks/index.ts';
import { linearClassifier, syntheticDataset } from '../edge/src/attacks/testing.ts';
import { logits, type Classifier } from '../edge/src/models/classifier.ts';
import { createZooClassifier } from '../edge/src/zoo/index.ts';
await tf.setBackend('wasm');
const B = Number(process.argv[2] ?? 250);
const Q = Number(process.argv[3] ?? 100);
async function bench(name: string, c: Classifier) {
  const ds = await syntheticDataset(c, B, 1);
  const x = tf.tensor4d(ds.images, [B, ...c.inputShape]);
  // Raw batched forward: upload not counted, logits read back.
  for (let i = 0; i < 3; i++) { const z = logits(c, x); await z.data(); z.dispose(); }
  let t0 = performance.now(); const reps = 20;
  for (let i = 0; i < reps; i++) { const z = logits(c, x); await z.data(); z.dispose(); }
  const fwd = (reps * B) / ((performance.now() - t0) / 1000);
  x.dispose();
  t0 = performance.now();
  // eps tiny: nothing is fooled, every sample is queried every iteration (worst case for overhead).
  const r = await attackDataset(square, c, ds, { eps: 1e-4, queries: Q }, { batchSize: B });
  const sec = (performance.now() - t0) / 1000;
  const q = Array.from(r.queries!).reduce((a, b) => a + b, 0);
  console.log(`${name} B=${B}: forward ${fwd.toFixed(0)} img/s | square ${(q / sec).toFixed(0)} queries/s (${q} queries, robust ${r.robustAccuracy}) = ${((100 * q) / sec / fwd).toFixed(0)}%`);
}
await bench('linear 28x28', linearClassifier([28, 28, 1], 10, 1));
await bench('zoo cnn 28x28', createZooClassifier('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 }));
await bench('zoo cnn 32x32x3', createZooClassifier('cnn', { inputShape: [32, 32, 3], numClasses: 10, seed: 1 }));
