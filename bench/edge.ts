/**
 * npm run bench:edge [-- --quick] [-- --backends=webgpu,wasm,cpu]
 *
 * The edge check's speed on the zoo CNN (1 epoch of natural training on real MNIST, so Square has
 * correctly classified points), per edge backend in Node:
 * - forward passes: batch-1 latency p50/p95 (upload, forward, read-back, as an app sees it) and images/s
 *   at batch 1 and at the Square batch;
 * - Square queries/s at eps 1e-4 (nothing is fooled, so every sample is queried every iteration),
 *   against the target model seen through outputsOnly, exactly as the edge check runs it.
 * webgpu is Dawn (npm `webgpu`) on SwiftShader, a CPU emulation of a GPU: its numbers prove the path,
 * not GPU speed. Each backend gets its own sample and query counts (cpu and SwiftShader are slow).
 * `TEMPER_EDGE_BACKEND` or --backends restricts the list. Writes bench/results/edge.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { attackDataset, square } from '@temper/edge/attacks';
import { subsetDataset, type ImageDataset, predictDataset, createZooClassifier } from '@temper/edge';
import { EDGE_BACKEND_ENV, parseEdgeBackendName, selectEdgeBackend, type EdgeBackendName, measureLatency, outputsOnly, quantizeDataset } from '@temper/edge/device';
import { loadDataset, train, naturalLoss } from '@temper/server';
import { installNodeWebGpu } from '@temper/test/webgpu-node';

const quick = process.argv.includes('--quick');
const backendsArg = process.argv.find((a) => a.startsWith('--backends='))?.slice('--backends='.length) ?? process.env[EDGE_BACKEND_ENV];
// webgpu runs last: tfjs moves a tensor off webgpu with readSync, which needs OffscreenCanvas (absent in
// Node), so the model's weights cannot leave webgpu once they are there.
const ORDER: readonly EdgeBackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];
const requested: EdgeBackendName[] = backendsArg ? backendsArg.split(',').map(parseEdgeBackendName) : ['webgpu', 'wasm', 'cpu'];
const BACKENDS = requested.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));

/** Per backend: Square rows and iterations, latency runs. */
const SIZES: Record<EdgeBackendName, { rows: number; queries: number; runs: number; batchRuns: number }> = {
  webgpu: { rows: 16, queries: quick ? 5 : 20, runs: quick ? 5 : 20, batchRuns: quick ? 2 : 3 },
  webgl: { rows: 16, queries: 20, runs: 20, batchRuns: 3 },
  wasm: { rows: 100, queries: quick ? 50 : 200, runs: quick ? 50 : 200, batchRuns: quick ? 5 : 20 },
  cpu: { rows: 16, queries: quick ? 5 : 20, runs: quick ? 10 : 30, batchRuns: quick ? 2 : 3 },
};

function firstCorrect(ds: ImageDataset, pred: Int32Array, n: number): ImageDataset {
  const rows: number[] = [];
  for (let i = 0; i < ds.count && rows.length < n; i++) if (pred[i] === ds.labels[i]) rows.push(i);
  return subsetDataset(ds, rows);
}

async function main(): Promise<void> {
  await selectEdgeBackend({ backend: 'wasm' });
  const split = await loadDataset('mnist', { trainSize: quick ? 2000 : 8000, testSize: 500, seed: 0 });
  const test = quantizeDataset(split.test);
  const model = createZooClassifier('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
  const t0 = performance.now();
  const trained = await train({ student: model, data: { ...split, test }, loss: naturalLoss, epochs: 1, batchSize: 64, seed: 0, optimizer: { kind: 'adam', learningRate: 0.002 } });
  console.log(`trained the zoo cnn for 1 epoch on wasm in ${((performance.now() - t0) / 1000).toFixed(1)} s (test accuracy ${trained.testAccuracy.toFixed(3)})`);
  const pred = await predictDataset(model, test);
  const blackBox = outputsOnly(model);

  const results: Record<string, unknown> = {};
  for (const name of BACKENDS) {
    if (name === 'webgpu') await installNodeWebGpu();
    const choice = await selectEdgeBackend({ backend: name });
    const size = SIZES[name];
    const ds = firstCorrect(test, pred, size.rows);
    const latency = await measureLatency(model, ds, { runs: size.runs, batchRuns: size.batchRuns, batchSize: ds.count, warmup: 2 });
    // One warm-up Square iteration compiles whatever the backend compiles for this batch shape.
    await attackDataset(square, blackBox, ds, { eps: 1e-4, queries: 1 }, { batchSize: ds.count, keepAdversarial: false });
    const t = performance.now();
    const r = await attackDataset(square, blackBox, ds, { eps: 1e-4, queries: size.queries }, { batchSize: ds.count, keepAdversarial: false, seed: 1 });
    const seconds = (performance.now() - t) / 1000;
    const queries = Array.from(r.queries!).reduce((a, b) => a + b, 0);
    const row = {
      reason: choice.reason,
      adapter: choice.device.adapter,
      squareRows: ds.count,
      squareIterations: size.queries,
      batch1: latency.batch1,
      batch: latency.batch,
      forwardPassesPerSecBatch1: 1000 / latency.batch1.meanMs,
      forwardImagesPerSecAtSquareBatch: latency.batch.throughputPerSec,
      squareQueriesPerSec: queries / seconds,
      squareOverForward: queries / seconds / latency.batch.throughputPerSec,
    };
    results[name] = row;
    console.log(
      `${name}: batch 1 p50 ${latency.batch1.p50Ms.toFixed(2)} ms / p95 ${latency.batch1.p95Ms.toFixed(2)} ms (${row.forwardPassesPerSecBatch1.toFixed(1)} passes/s); ` +
        `batch ${ds.count}: ${latency.batch.throughputPerSec.toFixed(1)} images/s; Square ${row.squareQueriesPerSec.toFixed(1)} queries/s ` +
        `(${(100 * row.squareOverForward).toFixed(0)}% of batched forward)`,
    );
  }
  const out = {
    benchmark: 'edge',
    date: new Date().toISOString(),
    model: 'zoo cnn (1 epoch natural training on mnist)',
    note: 'webgpu is Dawn (npm webgpu) on SwiftShader, a CPU emulation of a GPU: these numbers prove the path, not GPU speed.',
    quick,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage: os.loadavg(), node: process.version, tfjs: tf.version_core },
    results,
  };
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'edge.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

await main();
