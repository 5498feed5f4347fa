import * as tf from '@tensorflow/tfjs-core';
import { STANDARD_ATTACKS as STANDARD_ATTACK_CATALOGUE } from '@temper/contracts';
import { attackDataset, checkDatasetFits, MAX_BATCH_SIZE, type AttackProgress } from '../attacks/driver.ts';
import { fgsm } from '../attacks/fgsm.ts';
import { pgd } from '../attacks/pgd.ts';
import { getAttack } from '../attacks/registry.ts';
import type { AnyAttackDefinition, JsonObject } from '../attacks/types.ts';
import { imageSize, subsetDataset, type ImageDataset } from '../data/dataset.ts';
import { AttackConfigError, ErrorCodes, throwIfAborted } from '../errors.ts';
import { logits, type Classifier } from '../models/classifier.ts';
import {
  checkOutputRange,
  checkRandomizedForward,
  checkZeroGradients,
  fgsmBelowPgdFlag,
  maskedGradientsFlag,
  nonMonotoneFlag,
  probabilityOutputsFlag,
  randomizedForwardFlag,
  zeroGradientsFlag,
} from './checks.ts';
import { REPORT_VERSION, type AttackStageReport, type EvaluationFlag, type RobustnessReport, type SanityChecksReport } from './report.ts';

/**
 * Robustness evaluation: a sequential attack ensemble per eps (each attack runs only on the points still
 * robust, a point counts as robust only if every attack failed on it: AutoAttack's per-sample worst case),
 * for a list of eps in one call, with AutoAttack's sanity checks and Temper's own flags, summarized in a
 * JSON report.
 */

/** An attack in an ensemble: a registered name (or a definition) and its settings (eps comes from the evaluation). */
export interface AttackSpec {
  readonly attack: string | AnyAttackDefinition;
  readonly config?: Readonly<Record<string, unknown>>;
}

/**
 * AutoAttack's standard L-inf list as Temper runs it (APGD-CE, APGD-T, Square; no FAB-T): declared
 * once in @temper/contracts, where the CLI's gate reads the same list.
 */
export const STANDARD_ATTACKS: readonly AttackSpec[] = STANDARD_ATTACK_CATALOGUE;

export interface SanityCheckOptions {
  readonly randomizedForward?: boolean;
  readonly outputRange?: boolean;
  readonly zeroGradients?: boolean;
  /** Runs FGSM and PGD separately on every clean-correct point at every eps. */
  readonly fgsmVsPgd?: boolean;
  /** Examples the single-batch checks use (the first ones). Default 250. */
  readonly examples?: number;
  /** PGD settings of the FGSM-vs-PGD check. Default 20 steps, 1 restart. */
  readonly pgd?: Readonly<Record<string, unknown>>;
}

export interface EvaluationProgress {
  readonly phase: 'clean' | 'checks' | 'attack';
  readonly epsIndex?: number;
  readonly epsCount: number;
  readonly eps?: number;
  readonly attack?: string;
  readonly attackIndex?: number;
  readonly attackCount?: number;
  readonly attackProgress?: AttackProgress;
}

export interface EvaluationOptions {
  /** One radius or the eps-curve's radii (any order; results come out ascending). */
  readonly eps: number | readonly number[];
  /** 'standard' (default) or a custom sequence. */
  readonly attacks?: 'standard' | readonly AttackSpec[];
  /** sha256 of the model files, computed by the caller; recorded in the report. */
  readonly modelSha256: string;
  readonly seed?: number;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: EvaluationProgress) => void;
  /** true (default): all checks; false: none; or pick. */
  readonly checks?: boolean | SanityCheckOptions;
  /** Keep the worst-case adversarial images per eps (count x H*W*C floats each). Default true. */
  readonly keepAdversarial?: boolean;
}

/** The worst case at one eps, with everything the report summarizes. */
export interface EpsEvaluation {
  readonly eps: number;
  /** 1 where every attack failed (0 for clean mistakes), dataset row order. */
  readonly robust: Uint8Array;
  /** Index of the attack that took the point, -1 where none did. */
  readonly fooledBy: Int16Array;
  /** Class predicted on the worst-case image. */
  readonly predictions: Int32Array;
  /** The worst-case image per row: the adversarial one where some attack succeeded, the clean one elsewhere. */
  readonly adversarial: Float32Array;
  readonly stages: readonly AttackStageReport[];
}

export interface Evaluation {
  readonly report: RobustnessReport;
  readonly results: readonly EpsEvaluation[];
  /** 1 where the clean image is classified correctly. */
  readonly clean: Uint8Array;
}

function configError(why: string, details: Record<string, unknown> = {}): AttackConfigError {
  return new AttackConfigError(ErrorCodes.ATTACK_INVALID_CONFIG, `evaluation: ${why}`, details);
}

function resolveChecks(c: EvaluationOptions['checks']): Required<Omit<SanityCheckOptions, 'pgd'>> & { pgd: Readonly<Record<string, unknown>> } {
  const all = c === undefined || c === true;
  const o: SanityCheckOptions = typeof c === 'object' ? c : {};
  const on = (k: keyof SanityCheckOptions) => (c === false ? false : all ? true : Boolean(o[k]));
  return {
    randomizedForward: on('randomizedForward'),
    outputRange: on('outputRange'),
    zeroGradients: on('zeroGradients'),
    fgsmVsPgd: on('fgsmVsPgd'),
    examples: o.examples ?? 250,
    pgd: o.pgd ?? { steps: 20, restarts: 1 },
  };
}

function stats(values: number[]): { mean: number; median: number; max: number } {
  if (values.length === 0) return { mean: 0, median: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, median, max: sorted[sorted.length - 1] };
}

async function cleanPredictions(c: Classifier, ds: ImageDataset, batchSize: number, signal?: AbortSignal): Promise<Int32Array> {
  const out = new Int32Array(ds.count);
  const px = imageSize(ds);
  for (let start = 0; start < ds.count; start += batchSize) {
    throwIfAborted(signal);
    const n = Math.min(batchSize, ds.count - start);
    const pred = tf.tidy(() => tf.argMax(logits(c, tf.tensor4d(ds.images.slice(start * px, (start + n) * px), [n, ds.height, ds.width, ds.channels]), false), 1));
    out.set(await pred.data(), start);
    pred.dispose();
  }
  return out;
}

/**
 * Runs the ensemble at every eps and the sanity checks; returns the JSON report plus the per-sample
 * worst cases and adversarial images.
 */
export async function evaluateRobustness(classifier: Classifier, dataset: ImageDataset, options: EvaluationOptions): Promise<Evaluation> {
  const started = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const epsList = [...new Set(typeof options.eps === 'number' ? [options.eps] : options.eps)].sort((a, b) => a - b);
  if (epsList.length === 0) throw configError('needs at least one eps');
  for (const e of epsList) if (!(typeof e === 'number' && e >= 0 && e <= 1)) throw configError(`eps must be in [0, 1], got ${e}`, { eps: e });
  if (typeof options.modelSha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(options.modelSha256)) {
    throw configError('modelSha256 must be the model\'s sha256 as 64 hex digits', { modelSha256: options.modelSha256 });
  }
  checkDatasetFits(classifier, dataset);
  const seed = options.seed ?? 0;
  const batchSize = options.batchSize ?? 250;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) throw configError(`batchSize must be an integer in [1, ${MAX_BATCH_SIZE}]`);
  const specs = options.attacks === undefined || options.attacks === 'standard' ? STANDARD_ATTACKS : options.attacks;
  if (specs.length === 0) throw configError('needs at least one attack');
  const defs = specs.map((s) => (typeof s.attack === 'string' ? getAttack(s.attack) : s.attack));
  // Resolve every setting up front, so a typo fails before any compute.
  const configured = defs.map((d, i) => {
    const resolved = d.resolve({ ...(specs[i].config ?? {}), eps: epsList[0] }, classifier);
    const { eps: _eps, ...settings } = { eps: resolved.eps, ...d.describe(resolved) };
    return { attack: d.name, kind: d.kind, settings: settings as JsonObject };
  });
  const checkOpts = resolveChecks(options.checks);
  const progress = options.onProgress;
  const n = dataset.count;
  const px = imageSize(dataset);
  const keep = options.keepAdversarial ?? true;

  progress?.({ phase: 'clean', epsCount: epsList.length });
  const cleanPred = await cleanPredictions(classifier, dataset, batchSize, options.signal);
  const clean = Uint8Array.from(cleanPred, (p, i) => (p === dataset.labels[i] ? 1 : 0));
  const cleanCount = clean.reduce((a, b) => a + b, 0);
  const cleanRows: number[] = [];
  for (let i = 0; i < n; i++) if (clean[i]) cleanRows.push(i);

  // Single-batch sanity checks on the first examples.
  const flags: EvaluationFlag[] = [];
  const checks: { -readonly [K in keyof SanityChecksReport]: SanityChecksReport[K] } = { examples: Math.min(checkOpts.examples, n) };
  if (n > 0 && (checkOpts.randomizedForward || checkOpts.outputRange || checkOpts.zeroGradients)) {
    progress?.({ phase: 'checks', epsCount: epsList.length });
    throwIfAborted(options.signal);
    const m = checks.examples;
    const x = tf.tensor4d(dataset.images.slice(0, m * px), [m, dataset.height, dataset.width, dataset.channels]);
    try {
      if (checkOpts.randomizedForward) {
        checks.randomizedForward = await checkRandomizedForward(classifier, x);
        const f = randomizedForwardFlag(checks.randomizedForward);
        if (f) flags.push(f);
      }
      if (checkOpts.outputRange) {
        checks.outputRange = await checkOutputRange(classifier, x);
        const f = probabilityOutputsFlag(checks.outputRange);
        if (f) flags.push(f);
      }
      if (checkOpts.zeroGradients) {
        const rows = cleanRows.filter((i) => i < m);
        const sub = subsetDataset(dataset, rows);
        const xs = tf.tensor4d(sub.images, [rows.length, dataset.height, dataset.width, dataset.channels]);
        const ys = tf.tensor1d(sub.labels, 'int32');
        try {
          checks.zeroGradients = await checkZeroGradients(classifier, xs, ys);
        } finally {
          xs.dispose();
          ys.dispose();
        }
        const f = zeroGradientsFlag(checks.zeroGradients);
        if (f) flags.push(f);
      }
    } finally {
      x.dispose();
    }
  }

  const results: EpsEvaluation[] = [];
  const fgsmVsPgd: NonNullable<SanityChecksReport['fgsmVsPgd']>[number][] = [];
  for (let e = 0; e < epsList.length; e++) {
    const eps = epsList[e];
    const robust = clean.slice();
    const fooledBy = new Int16Array(n).fill(-1);
    const predictions = cleanPred.slice();
    const adversarial = keep ? dataset.images.slice(0, n * px) : new Float32Array(0);
    const stages: AttackStageReport[] = [];
    for (let a = 0; a < defs.length; a++) {
      const def = defs[a];
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (robust[i]) rows.push(i);
      const stageSeed = `${seed}:eps${eps}:${a}`;
      const report = (attackProgress?: AttackProgress) =>
        progress?.({ phase: 'attack', epsIndex: e, epsCount: epsList.length, eps, attack: def.name, attackIndex: a, attackCount: defs.length, attackProgress });
      report();
      let took = 0;
      let queries: AttackStageReport['queries'];
      let elapsedMs = 0;
      let settings = configured[a].settings;
      if (rows.length > 0) {
        const res = await attackDataset(def, classifier, dataset, { ...(specs[a].config ?? {}), eps }, {
          indices: rows,
          seed: stageSeed,
          batchSize,
          signal: options.signal,
          onProgress: report,
          keepAdversarial: keep,
        });
        const { eps: _eps, ...s } = res.settings;
        settings = s as JsonObject;
        elapsedMs = res.elapsedMs;
        for (let j = 0; j < res.count; j++) {
          if (res.robust[j]) continue;
          const row = res.indices[j];
          robust[row] = 0;
          fooledBy[row] = a;
          predictions[row] = res.predictions[j];
          if (keep) adversarial.set(res.adversarial.subarray(j * px, (j + 1) * px), row * px);
          took++;
        }
        if (res.queries) {
          const q = Array.from(res.queries);
          const fooledQ = q.filter((_, j) => res.fooled[j]);
          queries = { ...stats(q), meanFooled: fooledQ.length ? fooledQ.reduce((s2, v) => s2 + v, 0) / fooledQ.length : null };
        }
      }
      const robustCount = robust.reduce((s2, v) => s2 + v, 0);
      stages.push({
        attack: def.name,
        kind: def.kind,
        settings,
        attacked: rows.length,
        took,
        robustAccuracyAfter: n === 0 ? 0 : robustCount / n,
        ...(queries ? { queries } : {}),
        seed: stageSeed,
        elapsedMs,
      });
    }
    const masked = maskedGradientsFlag(eps, stages, n);
    if (masked) flags.push(masked);

    if (checkOpts.fgsmVsPgd && cleanRows.length > 0) {
      const opts = { indices: cleanRows, batchSize, signal: options.signal, keepAdversarial: false };
      const f = await attackDataset(fgsm, classifier, dataset, { eps }, { ...opts, seed: `${seed}:eps${eps}:fgsm` });
      const p = await attackDataset(pgd, classifier, dataset, { ...checkOpts.pgd, eps }, { ...opts, seed: `${seed}:eps${eps}:pgd` });
      const fr = f.robust.reduce((s2, v) => s2 + v, 0) / n;
      const pr = p.robust.reduce((s2, v) => s2 + v, 0) / n;
      const { eps: _e, ...pgdSettings } = p.settings;
      fgsmVsPgd.push({ eps, fgsmRobustAccuracy: fr, pgdRobustAccuracy: pr, pgdSettings: pgdSettings as JsonObject });
      const flag = fgsmBelowPgdFlag(eps, fr, pr);
      if (flag) flags.push(flag);
    }
    results.push({ eps, robust, fooledBy, predictions, adversarial, stages });
  }
  if (fgsmVsPgd.length > 0) checks.fgsmVsPgd = fgsmVsPgd;
  const mono = nonMonotoneFlag(results);
  if (mono) flags.push(mono);

  const reportResults = results.map((r) => {
    const robustCount = r.robust.reduce((a, b) => a + b, 0);
    return {
      eps: r.eps,
      robustAccuracy: n === 0 ? 0 : robustCount / n,
      robustCount,
      attacks: r.stages,
      robust: Array.from(r.robust),
      fooledBy: Array.from(r.fooledBy),
    };
  });
  const report: RobustnessReport = {
    version: REPORT_VERSION,
    model: { sha256: options.modelSha256.toLowerCase() },
    dataset: { name: dataset.name, inputShape: [dataset.height, dataset.width, dataset.channels], numClasses: dataset.numClasses },
    numExamples: n,
    seed,
    backend: tf.getBackend(),
    tfjsVersion: tf.version_core,
    cleanAccuracy: n === 0 ? 0 : cleanCount / n,
    attacks: configured,
    results: reportResults,
    epsCurve: reportResults.map((r) => ({ eps: r.eps, robustAccuracy: r.robustAccuracy })),
    flags,
    checks,
    elapsedMs: (typeof performance !== 'undefined' ? performance.now() : Date.now()) - started,
  };
  return { report, results, clean };
}
