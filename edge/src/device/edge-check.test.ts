import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from '../data/dataset.ts';
import { ErrorCodes, TemperError } from '../errors.ts';
import { predictDataset } from '../models/accuracy.ts';
import { logits, type Classifier } from '../models/classifier.ts';
import { crossEntropy } from '../models/losses.ts';
import { Rng } from '../util/random.ts';
import { createZooClassifier } from '../zoo/index.ts';
import { selectEdgeBackend, type EdgeBackendChoice } from './backend-ladder.ts';
import { runDeviceChecks, squareQueryCurve, type DeviceCheckOptions, type EdgePhase } from './edge-check.ts';
import { percentile } from './latency.ts';
import { BLACK_BOX_GRADIENT_MESSAGE, outputsOnly } from './outputs-only.ts';
import { EdgeFlagCodes } from './report.ts';
import { decodeEdgeSample, encodeEdgeSample, quantizeDataset, type EdgeSample } from './sample-format.ts';

/**
 * runDeviceChecks on wasm with two small zoo MLPs trained here on a synthetic 8x8 task (class k: a
 * bright horizontal band at rows 2k..2k+1, plus noise), kept tiny for the shared 2-core machines. The
 * MNIST, HTTP and WebGPU runs live in test/edge-*.test.ts.
 */

const H = 8;
const CLASSES = 3;
let backend: EdgeBackendChoice;
let student: Classifier;
let surrogate: Classifier;
let data: ImageDataset;
let sample: EdgeSample;

function synthetic(count: number, seed: number): ImageDataset {
  const rng = new Rng(seed);
  const images = new Float32Array(count * H * H);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % CLASSES;
    labels[i] = k;
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < H; c++) {
        const band = r >= 2 * k + 1 && r <= 2 * k + 2 ? 0.7 : 0.1;
        images[(i * H + r) * H + c] = Math.min(1, Math.max(0, band + 0.15 * rng.normal()));
      }
    }
  }
  return quantizeDataset({ name: 'bands', images, labels, count, height: H, width: H, channels: 1, numClasses: CLASSES });
}

function fit(c: Classifier, ds: ImageDataset, steps: number): void {
  const opt = tf.train.adam(0.01);
  const x = tf.tensor4d(ds.images, [ds.count, H, H, 1]);
  const y = tf.tensor1d(ds.labels, 'int32');
  for (let i = 0; i < steps; i++) tf.dispose(opt.minimize(() => crossEntropy(logits(c, x, true), y), true) ?? []);
  tf.dispose([x, y]);
  opt.dispose();
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TemperError);
    return (e as TemperError).code;
  }
  return undefined;
}

function options(over: Partial<DeviceCheckOptions> = {}): DeviceCheckOptions {
  return {
    student: { classifier: student, sha256: 'a'.repeat(64) },
    surrogates: [{ name: 'mlp-b', classifier: surrogate, sha256: 'b'.repeat(64) }],
    sample,
    eps: 0.3,
    squareQueries: 40,
    pgdSteps: 5,
    seed: 7,
    attackCount: 30,
    latency: { runs: 3, batchRuns: 2, batchSize: 16, warmup: 1 },
    backend,
    ...over,
  };
}

beforeAll(async () => {
  backend = await selectEdgeBackend({ backend: 'wasm' });
  student = createZooClassifier('mlp', { inputShape: [H, H, 1], numClasses: CLASSES, seed: 1, featureWidth: 32 });
  surrogate = createZooClassifier('mlp', { inputShape: [H, H, 1], numClasses: CLASSES, seed: 2, featureWidth: 32 });
  const train = synthetic(150, 1);
  fit(student, train, 60);
  fit(surrogate, train, 60);
  data = synthetic(60, 2);
  // The server's predictions: same model, the cpu backend, the quantized images.
  await selectEdgeBackend({ backend: 'cpu' });
  const server = await predictDataset(student, data);
  backend = await selectEdgeBackend({ backend: 'wasm' });
  sample = decodeEdgeSample(encodeEdgeSample({ ...data, images: data.images, serverPredictions: server }));
}, 120_000);

describe('runDeviceChecks', () => {
  it('reports clean accuracy, agreement, Square, transfer and latency as plain JSON, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const phases: EdgePhase[] = [];
    const report = await runDeviceChecks(options({ onProgress: (p) => phases.push(p.phase) }));
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    console.log(
      `bands/wasm: clean ${report.clean.accuracy.toFixed(2)}, agreement ${report.agreement?.rate}, square ${report.square.robustAccuracy.toFixed(2)} ` +
        `(median ${report.square.medianQueriesFooled} queries), transfer ${report.transfer.robustAccuracy.toFixed(2)}, p50 ${report.latency.batch1.p50Ms.toFixed(2)} ms`,
    );

    expect(report.backend.name).toBe('wasm');
    expect(report.backend.reason).toMatch(/^wasm forced/);
    expect(report.model).toEqual({ sha256: 'a'.repeat(64), inputShape: [H, H, 1], numClasses: CLASSES });
    expect(report.sample).toEqual({ count: 60, attacked: 30, sha256: null });
    expect(report.settings).toEqual({ eps: 0.3, squareQueries: 40, pgdSteps: 5, seed: '7', attackCount: 30 });
    expect(report.clean.accuracy).toBeGreaterThan(0.9);
    // cpu and wasm agree on this model; the report says so and raises nothing.
    expect(report.agreement!.count).toBe(60);
    expect(report.agreement!.rate).toBeGreaterThanOrEqual(0.995);
    expect(report.flags).toEqual([]);

    const sq = report.square;
    expect(sq.queries).toHaveLength(30);
    expect(Math.max(...sq.queries)).toBeLessThanOrEqual(41);
    expect(sq.maxQueriesPerSample).toBe(41);
    expect(sq.settings).toMatchObject({ eps: 0.3, queries: 40, pInit: 0.8, loss: 'margin' });
    expect(sq.robustAccuracy).toBeLessThanOrEqual(sq.cleanAccuracy);
    // The curve starts at clean accuracy, never rises, and ends at the reported robust accuracy.
    expect(sq.curve[0]).toEqual({ queries: 0, robustAccuracy: sq.cleanAccuracy });
    expect(sq.curve.at(-1)).toEqual({ queries: 41, robustAccuracy: sq.robustAccuracy });
    for (let i = 1; i < sq.curve.length; i++) expect(sq.curve[i].robustAccuracy).toBeLessThanOrEqual(sq.curve[i - 1].robustAccuracy);

    const tr = report.transfer;
    expect(tr.surrogates.map((s) => s.name)).toEqual(['mlp-b']);
    expect(tr.settings).toMatchObject({ surrogates: ['mlp-b'], steps: 5 });
    // PGD on the surrogate is white-box there: it fools the surrogate more than it fools the student.
    expect(tr.surrogates[0].accuracyOnCrafted!).toBeLessThanOrEqual(tr.robustAccuracy + 0.05);
    expect(tr.robustAccuracy).toBeLessThanOrEqual(tr.cleanAccuracy);

    expect(report.latency.batch1.batchSize).toBe(1);
    expect(report.latency.batch.batchSize).toBe(16);
    expect(report.latency.batch1.p95Ms).toBeGreaterThanOrEqual(report.latency.batch1.p50Ms);
    expect(report.latency.batch.throughputPerSec).toBeGreaterThan(0);
    expect(phases[0]).toBe('clean');
    expect(phases.indexOf('square')).toBeLessThan(phases.indexOf('transfer'));
    expect(phases.at(-1)).toBe('latency');
  });

  it('flags disagreement with the server and a sample without server predictions', async () => {
    const wrong = sample.serverPredictions!.map((p) => (p + 1) % CLASSES);
    const quick = { squareQueries: 1, pgdSteps: 1, attackCount: 3, latency: { runs: 1, batchRuns: 1, batchSize: 2, warmup: 0 } };
    const flagged = await runDeviceChecks(options({ ...quick, sample: { ...sample, serverPredictions: wrong } }));
    expect(flagged.agreement!.ok).toBe(false);
    expect(flagged.agreement!.disagreements.length).toBeGreaterThan(50 - 1);
    expect(flagged.flags.map((f) => f.code)).toEqual([EdgeFlagCodes.EDGE_PREDICTION_DISAGREEMENT]);
    const none = await runDeviceChecks(options({ ...quick, sample: { ...sample, serverPredictions: null } }));
    expect(none.agreement).toBeNull();
    expect(none.flags.map((f) => f.code)).toEqual([EdgeFlagCodes.EDGE_NO_AGREEMENT_CHECK]);
  });

  it('refuses bad options and mismatched samples with codes, and stops on abort', async () => {
    expect(await codeOf(runDeviceChecks(options({ eps: 0 })))).toBe(ErrorCodes.EDGE_CHECK_INVALID_OPTIONS);
    expect(await codeOf(runDeviceChecks(options({ squareQueries: 1.5 })))).toBe(ErrorCodes.EDGE_CHECK_INVALID_OPTIONS);
    expect(await codeOf(runDeviceChecks(options({ attackCount: 61 })))).toBe(ErrorCodes.EDGE_CHECK_INVALID_OPTIONS);
    expect(await codeOf(runDeviceChecks(options({ surrogates: [] })))).toBe(ErrorCodes.EDGE_CHECK_INVALID_OPTIONS);
    expect(await codeOf(runDeviceChecks(options({ sample: { ...sample, height: 4, width: 16 } })))).toBe(ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH);
    const before = tf.memory().numTensors;
    const ac = new AbortController();
    const aborted = runDeviceChecks(options({ signal: ac.signal, onProgress: (p) => p.phase === 'square' && ac.abort() }));
    expect(await codeOf(aborted)).toBe(ErrorCodes.ABORTED);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('outputsOnly', () => {
  it('gives the same outputs and refuses any gradient through the student', () => {
    const x = tf.tensor4d(data.images.subarray(0, 4 * H * H), [4, H, H, 1]);
    const blackBox = outputsOnly(student);
    const a = logits(student, x);
    const b = logits(blackBox, x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(() => tf.grad((xx: tf.Tensor) => tf.sum(logits(blackBox, xx)))(x)).toThrow(BLACK_BOX_GRADIENT_MESSAGE);
    // The original stays differentiable: the view guards, it does not change the model.
    tf.dispose([tf.grad((xx: tf.Tensor) => tf.sum(logits(student, xx)))(x), a, b, x]);
  });
});

describe('squareQueryCurve and percentile', () => {
  it('counts a fooled row as robust until its query count', () => {
    const clean = Uint8Array.from([1, 1, 1, 0]);
    const fooled = Uint8Array.from([1, 1, 0, 0]);
    const curve = squareQueryCurve(clean, fooled, [1, 7, 11, 0], 11);
    expect(curve).toEqual([
      { queries: 0, robustAccuracy: 0.75 },
      { queries: 1, robustAccuracy: 0.5 },
      { queries: 2, robustAccuracy: 0.5 },
      { queries: 5, robustAccuracy: 0.5 },
      { queries: 10, robustAccuracy: 0.25 },
      { queries: 11, robustAccuracy: 0.25 },
    ]);
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 0.95)).toBe(5);
    expect(percentile([2], 0.95)).toBe(2);
  });
});
