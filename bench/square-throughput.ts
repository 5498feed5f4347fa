/**
 * Square's query throughput vs the raw batched forward throughput of the same model and batch size
 * (target: >= 80%). A script, not a test (timings belong in benchmarks): `npx tsx test/square-throughput.ts [batch] [queries]`.
 * eps is tiny so that nothing is fooled and every sample is queried every iteration.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { attackDataset, square } from '../edge/src/attacks/index.ts';
import { linearClassifier, syntheticDataset } from '../edge/src/attacks/testing.ts';
import { logits, type Classifier } from '../edge/src/models/classifier.ts';
import { createZooClassifier } from '../edge/src/zoo/index.ts';

await tf.setBackend('wasm');
const B = Number(process.argv[2] ?? 250);
const Q = Number(process.argv[3] ?? 500);
const rows: Record<string, unknown>[] = [];

async function bench(name: string, c: Classifier): Promise<void> {
  const ds = await syntheticDataset(c, B, 1);
  const x = tf.tensor4d(ds.images, [B, ...c.inputShape]);
  for (let i = 0; i < 3; i++) {
    const z = logits(c, x);
    await z.data();
    z.dispose();
  }
  const reps = 20;
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const z = logits(c, x);
    await z.data();
    z.dispose();
  }
  const forwardPerSec = (reps * B) / ((performance.now() - t0) / 1000);
  x.dispose();
  t0 = performance.now();
  const r = await attackDataset(square, c, ds, { eps: 1e-4, queries: Q }, { batchSize: B });
  const seconds = (performance.now() - t0) / 1000;
  const queries = Array.from(r.queries!).reduce((a, b) => a + b, 0);
  const row = { model: name, batch: B, forwardPerSec: Math.round(forwardPerSec), squareQueriesPerSec: Math.round(queries / seconds), ratio: +(queries / seconds / forwardPerSec).toFixed(3) };
  rows.push(row);
  console.log(JSON.stringify(row));
}

await bench('linear-28x28x1', linearClassifier([28, 28, 1], 10, 1));
await bench('zoo-cnn-28x28x1', createZooClassifier('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 }));
await bench('zoo-cnn-32x32x3', createZooClassifier('cnn', { inputShape: [32, 32, 3], numClasses: 10, seed: 1 }));
console.log(JSON.stringify({ backend: tf.getBackend(), tfjs: tf.version_core, queriesPerSample: Q + 1, rows }));
