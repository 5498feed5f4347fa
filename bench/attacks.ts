/**
 * npm run bench:attacks [-- --quick] [--backend tensorflow,wasm,cpu]
 *
 * Attack throughput on the zoo CNN (naturally trained here for one epoch on real MNIST, so the
 * attacks have correctly classified points to work on), on each backend of --backend that loads
 * (default tensorflow, wasm and cpu):
 * - examples/s of PGD-20, APGD-CE-100 and the standard ensemble (APGD-CE, APGD-T, Square-5000)
 *   at eps 0.3 (MNIST's standard radius), counted over all examples given to the attack;
 * - Square's queries/s against raw batched forward passes/s of the same model and batch size
 *   (eps 1e-4 so that nothing is fooled and every sample is queried on every iteration).
 * cpu gets smaller example counts (one CNN forward+backward takes ~30x longer there) and no
 * ensemble. Writes bench/results/attacks.json. Compare numbers within one run only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { apgdCe, attackDataset, pgd, square } from '@temper/edge/attacks';
import { subsetDataset, type ImageDataset, logits, type Classifier, createZooClassifier } from '@temper/edge';
import { evaluateRobustness } from '@temper/edge/evaluation';
import { COMPUTE_BACKENDS, initComputeBackend, loadDataset, parseBackendName, train, naturalLoss, type ComputeBackendName } from '@temper/server';

const quick = process.argv.includes('--quick');
const backendFlag = process.argv.indexOf('--backend');
const BACKENDS: ComputeBackendName[] = backendFlag >= 0 ? process.argv[backendFlag + 1].split(',').map(parseBackendName) : [...COMPUTE_BACKENDS];
const BATCH = 250;

function head(ds: ImageDataset, n: number): ImageDataset {
  return subsetDataset(ds, Array.from({ length: Math.min(n, ds.count) }, (_, i) => i));
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

async function forwardPerSecond(c: Classifier, ds: ImageDataset, reps: number): Promise<number> {
  const x = tf.tensor4d(ds.images.slice(0, BATCH * ds.height * ds.width), [Math.min(BATCH, ds.count), ds.height, ds.width, ds.channels]);
  const once = async () => {
    const z = logits(c, x);
    await z.data();
    z.dispose();
  };
  await once();
  const s = await seconds(async () => {
    for (let i = 0; i < reps; i++) await once();
  });
  x.dispose();
  return (reps * x.shape[0]) / s;
}

async function main(): Promise<void> {
  const available: ComputeBackendName[] = [];
  for (const b of BACKENDS) {
    try {
      console.log(`backend ${b}: ${(await initComputeBackend({ forced: b })).reason}`);
      available.push(b);
    } catch (e) {
      console.log(`backend ${b}: unavailable (${(e as Error).message})`);
    }
  }
  // Train where it is fastest: tensorflow, else wasm.
  await initComputeBackend({ forced: available.find((b) => b !== 'cpu') ?? available[0] });
  const data = await loadDataset('mnist');
  const model = createZooClassifier('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
  const trainedIn = await seconds(() => train({ student: model, data, loss: naturalLoss, epochs: 1, batchSize: 128, seed: 0, optimizer: { kind: 'adam', learningRate: 1e-3 } }));
  console.log(`trained the zoo cnn for 1 epoch on ${tf.getBackend()} in ${trainedIn.toFixed(1)} s`);
  const results: Record<string, unknown> = {};
  for (const backend of available) {
    await initComputeBackend({ forced: backend });
    const slow = backend === 'cpu';
    const n = { pgd: slow ? 16 : quick ? 100 : 250, apgd: slow ? 8 : quick ? 50 : 250, ensemble: slow ? 0 : quick ? 50 : 100, squareQueries: slow ? 20 : quick ? 100 : 300 };
    const row: Record<string, unknown> = { examples: n };
    const pgdSet = head(data.test, n.pgd);
    const pgdS = await seconds(() => attackDataset(pgd, model, pgdSet, { eps: 0.3, steps: 20, restarts: 1 }, { batchSize: BATCH, keepAdversarial: false }));
    row.pgd20ExamplesPerSec = pgdSet.count / pgdS;
    const apgdSet = head(data.test, n.apgd);
    const apgdS = await seconds(() => attackDataset(apgdCe, model, apgdSet, { eps: 0.3, iterations: 100, restarts: 1 }, { batchSize: BATCH, keepAdversarial: false }));
    row.apgdCe100ExamplesPerSec = apgdSet.count / apgdS;
    if (!slow) {
      const ensSet = head(data.test, n.ensemble);
      const ensS = await seconds(() => evaluateRobustness(model, ensSet, { eps: 0.3, attacks: 'standard', modelSha256: '0'.repeat(64) /* an in-memory model, not a stored artifact */, checks: false, keepAdversarial: false }));
      row.standardEnsembleExamplesPerSec = ensSet.count / ensS;
    }
    const sqSet = head(data.test, BATCH);
    const fwd = await forwardPerSecond(model, sqSet, slow ? 3 : 20);
    let queries = 0;
    const sqS = await seconds(async () => {
      const r = await attackDataset(square, model, sqSet, { eps: 1e-4, queries: n.squareQueries }, { batchSize: BATCH, keepAdversarial: false });
      queries = Array.from(r.queries!).reduce((a, b) => a + b, 0);
    });
    row.forwardPassesPerSec = fwd;
    row.squareQueriesPerSec = queries / sqS;
    row.squareOverForward = queries / sqS / fwd;
    results[backend] = row;
    console.log(
      `${backend}: PGD-20 ${(row.pgd20ExamplesPerSec as number).toFixed(1)} ex/s, APGD-CE-100 ${(row.apgdCe100ExamplesPerSec as number).toFixed(1)} ex/s` +
        (row.standardEnsembleExamplesPerSec ? `, standard ensemble ${(row.standardEnsembleExamplesPerSec as number).toFixed(2)} ex/s` : '') +
        `, forward ${fwd.toFixed(0)}/s, Square ${(row.squareQueriesPerSec as number).toFixed(0)} queries/s = ${(100 * (row.squareOverForward as number)).toFixed(1)}% of forward (target >= 80%)`,
    );
  }
  const out = {
    benchmark: 'attacks',
    date: new Date().toISOString(),
    model: 'zoo cnn (1 epoch natural training on mnist)',
    eps: 0.3,
    batchSize: BATCH,
    quick,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, tfjs: tf.version_core },
    results,
  };
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'attacks.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

await main();
