import * as tf from '@tensorflow/tfjs-core';
import { attackDataset, checkDatasetFits, type AttackProgress } from '../attacks/driver.ts';
import { square } from '../attacks/square.ts';
import { transfer } from '../attacks/transfer.ts';
import { imageSize, type ImageDataset } from '../data/dataset.ts';
import { AttackConfigError, ErrorCodes, throwIfAborted } from '../errors.ts';
import { predictDataset } from '../models/accuracy.ts';
import type { Classifier } from '../models/classifier.ts';
import { predictionAgreement } from './agreement.ts';
import { currentEdgeBackend, type EdgeBackendChoice } from './backend-ladder.ts';
import { measureLatency, type LatencyOptions } from './latency.ts';
import { outputsOnly } from './outputs-only.ts';
import { EDGE_REPORT_VERSION, edgeReportFlags, type EdgeReport, type QueryCurvePoint, type TransferSurrogateResult } from './report.ts';
import { edgeSampleDataset, type EdgeSample } from './sample-format.ts';

/**
 * The checks the device runs on itself, on whichever tfjs backend is current (choose it first with
 * selectEdgeBackend and pass the choice, so the report says which ran and why):
 *
 * 1. clean accuracy of the student on the whole sample, and agreement of its predictions with the
 *    server's (carried by the sample);
 * 2. Square (score-based black-box, AutoAttack's settings: margin loss, p_init 0.8) within the query
 *    budget, per-sample query counts, and robust accuracy against queries for the page's chart;
 * 3. transfer: PGD crafted on the surrogate(s) on this device, then classified once by the student;
 * 4. inference latency at batch 1 (p50/p95) and throughput at a larger batch.
 *
 * The student is only ever seen through `outputsOnly` by the attacks: a gradient through it throws, so
 * both attacks are black-box by construction. Square and transfer attack the first `attackCount` rows
 * (attacks are the expensive part on weak devices; agreement wants every row).
 */

export type EdgePhase = 'backend' | 'download' | 'clean' | 'square' | 'transfer' | 'latency' | 'submit';

export interface EdgeProgress {
  readonly phase: EdgePhase;
  /** Progress within the phase, 0..1. */
  readonly fraction: number;
  readonly message: string;
}

export interface EdgeSurrogate {
  readonly name: string;
  readonly classifier: Classifier;
  readonly sha256?: string | null;
}

export interface DeviceCheckOptions {
  readonly student: { readonly classifier: Classifier; readonly sha256: string };
  readonly surrogates: readonly EdgeSurrogate[];
  readonly sample: EdgeSample;
  /** L-inf radius in [0,1] pixel units, for both attacks. */
  readonly eps: number;
  /** Square's budget: iterations after the initial query (AutoAttack's n_queries). */
  readonly squareQueries: number;
  /** PGD steps on the surrogates. */
  readonly pgdSteps: number;
  /** Default 0. */
  readonly seed?: number | string;
  /** Rows Square and transfer attack (the first N). Default: the whole sample. */
  readonly attackCount?: number;
  readonly latency?: LatencyOptions;
  /** The backend choice to report; default: the current tfjs backend, as the caller set it. */
  readonly backend?: EdgeBackendChoice;
  readonly checkId?: string | null;
  readonly sampleSha256?: string | null;
  /** Samples per attack batch (device memory). Default 128. */
  readonly batchSize?: number;
  readonly onProgress?: (p: EdgeProgress) => void;
  readonly signal?: AbortSignal;
}

function optionError(message: string, details: Record<string, unknown>): AttackConfigError {
  return new AttackConfigError(ErrorCodes.EDGE_CHECK_INVALID_OPTIONS, message, details);
}

function checkInteger(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw optionError(`${name} must be an integer in ${min}..${max}; got ${String(v)}.`, { [name]: v });
  return v;
}

/** Query counts on a roughly logarithmic grid up to `max`, which is always the last point. */
function curveQueries(max: number): number[] {
  const out = [0];
  for (let decade = 1; decade < max; decade *= 10) for (const m of [1, 2, 5]) if (m * decade < max) out.push(m * decade);
  out.push(max);
  return out;
}

/** Robust accuracy had Square stopped after q queries per sample (clean mistakes never count). */
export function squareQueryCurve(clean: Uint8Array, fooled: Uint8Array, queries: ArrayLike<number>, maxQueries: number): QueryCurvePoint[] {
  const n = clean.length;
  return curveQueries(maxQueries).map((q) => {
    let robust = 0;
    for (let i = 0; i < n; i++) if (clean[i] && !(fooled[i] && queries[i] <= q)) robust++;
    return { queries: q, robustAccuracy: n === 0 ? 0 : robust / n };
  });
}

function sum(a: Uint8Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

function now(): number {
  return performance.now();
}

async function surrogateAccuracyOnCrafted(s: EdgeSurrogate, ds: ImageDataset, adversarial: Float32Array, rows: number[], batchSize: number): Promise<number | null> {
  if (rows.length === 0) return null;
  const px = imageSize(ds);
  const images = new Float32Array(rows.length * px);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, j) => {
    images.set(adversarial.subarray(r * px, (r + 1) * px), j * px);
    labels[j] = ds.labels[r];
  });
  const crafted: ImageDataset = { ...ds, name: `${ds.name} (crafted)`, images, labels, count: rows.length };
  const pred = await predictDataset(s.classifier, crafted, { batchSize });
  let right = 0;
  for (let j = 0; j < rows.length; j++) if (pred[j] === labels[j]) right++;
  return right / rows.length;
}

export async function runDeviceChecks(o: DeviceCheckOptions): Promise<EdgeReport> {
  const started = now();
  const startedAt = new Date().toISOString();
  const { sample, signal } = o;
  const student = o.student.classifier;
  if (!(typeof o.eps === 'number' && o.eps > 0 && o.eps <= 1)) throw optionError(`eps must be in (0, 1]; got ${String(o.eps)}.`, { eps: o.eps });
  const squareQueries = checkInteger('squareQueries', o.squareQueries, 1, 1_000_000);
  const pgdSteps = checkInteger('pgdSteps', o.pgdSteps, 1, 100_000);
  const attackCount = checkInteger('attackCount', o.attackCount ?? sample.count, 1, sample.count);
  const batchSize = checkInteger('batchSize', o.batchSize ?? 128, 1, 4096);
  if (o.surrogates.length === 0) throw optionError('The transfer check needs at least one surrogate model.', { surrogates: 0 });
  if (typeof o.student.sha256 !== 'string' || o.student.sha256.length === 0) throw optionError("The student's sha256 is required: the report names the model it ran.", {});
  const seed = String(o.seed ?? 0);
  const backend = o.backend ?? currentEdgeBackend();
  const report = (phase: EdgePhase, fraction: number, message: string) => o.onProgress?.({ phase, fraction: Math.min(1, Math.max(0, fraction)), message });
  const attackProgress = (phase: EdgePhase, label: string) => (p: AttackProgress) => {
    const within = p.step ? p.step.iteration / Math.max(1, p.step.iterations) : 1;
    const done = p.step ? p.batch + within : p.samplesDone / Math.max(1, p.samplesTotal) * p.batches;
    report(phase, done / Math.max(1, p.batches), `${label}: ${p.samplesDone}/${p.samplesTotal} samples done`);
  };

  const ds = edgeSampleDataset(sample);
  checkDatasetFits(student, ds);
  const attackRows = Array.from({ length: attackCount }, (_, i) => i);
  const blackBox = outputsOnly(student);

  // 1. Clean accuracy and agreement with the server.
  throwIfAborted(signal);
  report('clean', 0, `classifying ${sample.count} clean images`);
  const predictions = await predictDataset(student, ds, { batchSize, signal });
  let correct = 0;
  for (let i = 0; i < sample.count; i++) if (predictions[i] === sample.labels[i]) correct++;
  const agreement = sample.serverPredictions ? predictionAgreement(predictions, sample.serverPredictions) : null;
  report('clean', 1, `clean accuracy ${((100 * correct) / sample.count).toFixed(1)}%`);

  // 2. Square, against outputs only.
  const squareSeed = `${seed}:edge-square`;
  const sq = await attackDataset(square, blackBox, ds, { eps: o.eps, queries: squareQueries }, {
    seed: squareSeed,
    indices: attackRows,
    batchSize,
    keepAdversarial: false,
    signal,
    onProgress: attackProgress('square', 'Square'),
  });
  const sqQueries = Array.from(sq.queries ?? new Int32Array(attackCount));
  const fooledQueries = sqQueries.filter((_, i) => sq.fooled[i]).sort((a, b) => a - b);
  const maxQueriesPerSample = squareQueries + 1;

  // 3. Transfer: PGD on the surrogates, one classification by the (black-box) student.
  const transferSeed = `${seed}:edge-transfer`;
  const tr = await attackDataset(
    transfer,
    blackBox,
    ds,
    { eps: o.eps, steps: pgdSteps, surrogates: o.surrogates.map((s) => ({ name: s.name, classifier: s.classifier })) },
    { seed: transferSeed, indices: attackRows, batchSize, keepAdversarial: true, signal, onProgress: attackProgress('transfer', 'transfer') },
  );
  const craftedRows = attackRows.filter((i) => tr.clean[i] === 1);
  const surrogates: TransferSurrogateResult[] = [];
  for (const s of o.surrogates) {
    throwIfAborted(signal);
    // Result row j is sample row j: the attacked rows are 0..attackCount-1 in order.
    surrogates.push({ name: s.name, sha256: s.sha256 ?? null, accuracyOnCrafted: await surrogateAccuracyOnCrafted(s, ds, tr.adversarial, craftedRows, batchSize) });
  }

  // 4. Speed.
  report('latency', 0, 'timing inference');
  const latency = await measureLatency(student, ds, { ...o.latency, signal });
  report('latency', 1, `batch 1 p50 ${latency.batch1.p50Ms.toFixed(1)} ms; ${latency.batch.throughputPerSec.toFixed(0)} images/s at batch ${latency.batch.batchSize}`);

  const partial = {
    reportVersion: EDGE_REPORT_VERSION,
    checkId: o.checkId ?? null,
    model: { sha256: o.student.sha256, inputShape: [...student.inputShape] as [number, number, number], numClasses: student.numClasses },
    sample: { count: sample.count, attacked: attackCount, sha256: o.sampleSha256 ?? null },
    settings: { eps: o.eps, squareQueries, pgdSteps, seed, attackCount },
    backend: { name: backend.backend, reason: backend.reason, forced: backend.forced, attempts: backend.attempts.map((a) => ({ ...a })) },
    device: backend.device,
    versions: { reportFormat: EDGE_REPORT_VERSION, tfjsCore: tf.version_core, backend: backend.backendVersion },
    clean: { count: sample.count, correct, accuracy: correct / sample.count },
    agreement,
    square: {
      eps: sq.eps,
      queryBudget: squareQueries,
      maxQueriesPerSample,
      cleanAccuracy: sq.cleanAccuracy,
      robustAccuracy: sq.robustAccuracy,
      fooled: sum(sq.fooled),
      queries: sqQueries,
      medianQueriesFooled: fooledQueries.length ? fooledQueries[(fooledQueries.length - 1) >> 1] : null,
      meanQueriesFooled: fooledQueries.length ? fooledQueries.reduce((a, b) => a + b, 0) / fooledQueries.length : null,
      curve: squareQueryCurve(sq.clean, sq.fooled, sqQueries, maxQueriesPerSample),
      settings: sq.settings,
      seed: squareSeed,
      elapsedMs: sq.elapsedMs,
    },
    transfer: {
      eps: tr.eps,
      steps: pgdSteps,
      surrogates,
      cleanAccuracy: tr.cleanAccuracy,
      robustAccuracy: tr.robustAccuracy,
      fooled: sum(tr.fooled),
      settings: tr.settings,
      seed: transferSeed,
      elapsedMs: tr.elapsedMs,
    },
    latency,
  } as const;
  return { ...partial, flags: edgeReportFlags(partial), startedAt, elapsedMs: now() - started };
}
