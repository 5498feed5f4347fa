#!/usr/bin/env -S npx tsx
/**
 * npm run train -- --model cnn --dataset mnist --epochs 3 [--out dir] [--seed 0] [--batch-size 128]
 *
 * Naturally trains a zoo model on a dataset, prints progress, saves model.json + weights.bin and a
 * training.json record (seed, backend, versions, times, accuracies) into the output directory.
 */
import { parseArgs } from 'node:util';
import { isTemperError, zooArchitectureNames } from '@temper/edge';
import { saveClassifier } from '@temper/edge/io';
import { computeBackend } from '../compute/backend.ts';
import { loadDataset } from '../datasets/index.ts';
import { writeModelDir } from '../models/model-dir.ts';
import { userPath } from '../config.ts';
import { trainZooModel } from '../training/train-zoo-model.ts';
import { formatDuration, formatTerms } from './format.ts';

const USAGE = `Usage: npm run train -- --model <${zooArchitectureNames().join('|')}> --dataset mnist --epochs N
  [--batch-size 64] [--lr 0.002] [--optimizer adam|sgd] [--momentum 0.9] [--schedule cosine|constant] [--seed 0]
  [--feature-width W] [--train-size 8000] [--test-size 2000] [--out DIR] [--progress-every 10]`;

function positiveInt(name: string, v: string | undefined, fallback?: number): number {
  if (v === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required\n${USAGE}`);
    return fallback;
  }
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      dataset: { type: 'string', default: 'mnist' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string', default: 'adam' },
      schedule: { type: 'string', default: 'cosine' },
      momentum: { type: 'string', default: '0.9' },
      seed: { type: 'string', default: '0' },
      'feature-width': { type: 'string' },
      'train-size': { type: 'string' },
      'test-size': { type: 'string' },
      out: { type: 'string' },
      'progress-every': { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.model) throw new Error(`--model is required\n${USAGE}`);
  const epochs = positiveInt('epochs', values.epochs);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  const lr = values.lr === undefined ? undefined : Number(values.lr);
  if (lr !== undefined && !(lr > 0)) throw new Error(`--lr must be > 0, got "${values.lr}"`);
  if (values.schedule !== 'cosine' && values.schedule !== 'constant') throw new Error(`--schedule must be cosine or constant, got "${values.schedule}"`);
  if (values.optimizer !== 'adam' && values.optimizer !== 'sgd') throw new Error(`--optimizer must be adam or sgd, got "${values.optimizer}"`);

  const backend = await computeBackend({ log: (l) => console.log(l) });
  const data = await loadDataset(values.dataset!, {
    trainSize: values['train-size'] ? positiveInt('train-size', values['train-size']) : undefined,
    testSize: values['test-size'] ? positiveInt('test-size', values['test-size']) : undefined,
  });
  console.log(`[temper] dataset ${values.dataset}: ${data.train.count} train / ${data.test.count} test (split seed ${data.seed}), ${data.train.height}x${data.train.width}x${data.train.channels}, ${data.train.numClasses} classes`);
  const optimizer =
    values.optimizer === 'sgd'
      ? ({ kind: 'sgd', learningRate: lr ?? 0.05, momentum: Number(values.momentum) } as const)
      : ({ kind: 'adam', learningRate: lr ?? 2e-3 } as const);
  // Relative to where the user ran `npm run train` (npm itself runs it from the repository root).
  const out = userPath(values.out ?? `artifacts/models/${values.model}-${values.dataset}-seed${seed}`);

  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.log('\n[temper] interrupted: stopping after this step');
    controller.abort();
  });
  const { classifier, record } = await trainZooModel(
    {
      architecture: values.model,
      data,
      epochs,
      batchSize: positiveInt('batch-size', values['batch-size'], 64),
      schedule: { kind: values.schedule as 'cosine' | 'constant' },
      seed,
      featureWidth: values['feature-width'] ? positiveInt('feature-width', values['feature-width']) : undefined,
      optimizer,
      progressEvery: positiveInt('progress-every', values['progress-every'], 10),
      signal: controller.signal,
      onProgress: (p) => {
        const head = `epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.totalSteps}`;
        const tail = `lr ${p.learningRate.toPrecision(3)}  ${p.examplesPerSecond.toFixed(0)} ex/s  eta ${formatDuration(p.etaSeconds)}`;
        const held = p.heldOutAccuracy === undefined ? '' : `  held-out acc ${(100 * p.heldOutAccuracy).toFixed(2)}%`;
        console.log(`${head}  ${formatTerms(p.terms)}  ${tail}${held}`);
      },
    },
    backend,
  );
  const r = record.result;
  console.log(`[temper] trained ${record.architecture} for ${r.epochs} epochs in ${formatDuration(r.seconds)} (${r.secondsPerEpoch.map((s) => s.toFixed(1)).join(', ')} s/epoch, ${r.examplesPerSecond.toFixed(0)} ex/s on ${record.backend})`);
  console.log(`[temper] test accuracy ${(100 * r.testAccuracy).toFixed(2)}% on ${record.testSize} held-out examples`);
  await writeModelDir(out, await saveClassifier(classifier), { 'training.json': JSON.stringify(record, null, 2) });
  console.log(`[temper] saved ${out}/model.json, weights.bin, training.json`);
}

main().catch((e) => {
  console.error(isTemperError(e) ? `error [${e.code}]: ${e.message}` : `error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = isTemperError(e) && e.code === 'ABORTED' ? 130 : 1;
});
