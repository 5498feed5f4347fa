import * as tf from '@tensorflow/tfjs-core';
import { attackDataset, checkDatasetFits, MAX_BATCH_SIZE, type AttackProgress } from '../attacks/driver.ts';
import { fgsm } from '../attacks/fgsm.ts';
import { pgd } from '../attacks/pgd.ts';
import { getAttack } from '../attacks/registry.ts';
import type { AnyAttackDefinition, JsonObject } from '../attacks/types.ts';
import { imageSize, subsetDataset, type ImageDataset } from '../data/dataset.ts';
import { AttackConfigError, ErrorCodes, throwIfAborted } from '../errors.ts';
import { marginsFromLogits } from '../attacks/losses.ts';
import { argMaxRows } from '../attacks/tensors.ts';
import { logits, type Classifier } from '../models/classifier.ts';
import { version_layers } from '@tensorflow/tfjs-layers';
import { epsFraction } from './eps.ts';
import { reproduceRecipe } from './reproduce.ts';
import { autoAttackList, AUTOATTACK_LISTS, isAutoAttackVersion, type AutoAttackVersion } from './versions.ts';
import {
  checkFiniteWeights,
  checkOutputRange,
  checkRandomizedForward,
  checkZeroGradients,
  cleanNearChanceFlag,
  nonFiniteWeightsFlag,
  fgsmBelowPgdFlag,
  maskedGradientsFlag,
  nonMonotoneFlag,
  probabilityOutputsFlag,
  randomizedForwardFlag,
  zeroGradientsFlag,
} from './checks.ts';
import {
  REPORT_VERSION,
  type AdversarialExampleReport,
  type AttackStageReport,
  type EvaluationFlag,
  type PerSampleReport,
  type RobustnessReport,
  type SanityChecksReport,
} from './report.ts';

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
 * AutoAttack's standard L-inf list: APGD-CE (100 iterations, 1 restart), APGD-T (100 iterations, 9 target
 * classes), FAB-T (100 iterations, 9 target classes), Square (5000 queries, p_init 0.8). See versions.ts
 * for 'plus' and 'rand'.
 */
export const STANDARD_ATTACKS: readonly AttackSpec[] = AUTOATTACK_LISTS.standard;

/** Adversarial examples kept per eps in the report by default (for a gallery). */
export const DEFAULT_EXAMPLES_PER_EPS = 12;

export interface SanityCheckOptions {
  readonly randomizedForward?: boolean;
  readonly outputRange?: boolean;
  readonly zeroGradients?: boolean;
  /** Runs FGSM and PGD separately on every clean-correct point at every eps. */
  readonly fgsmVsPgd?: boolean;
  /** Clean accuracy at most 2x chance raises CLEAN_NEAR_CHANCE. */
  readonly cleanNearChance?: boolean;
  /** NaN or infinite weights raise NONFINITE_WEIGHTS. */
  readonly finiteWeights?: boolean;
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
  /** Share of the dataset still robust at this eps after the attack stages that finished (phase 'attack'). */
  readonly robustAccuracy?: number;
}

export interface EvaluationOptions {
  /** One radius or the eps-curve's radii (any order; results come out ascending). */
  readonly eps: number | readonly number[];
  /** An AutoAttack version ('standard', the default; 'plus'; 'rand') or a custom sequence. */
  readonly attacks?: AutoAttackVersion | readonly AttackSpec[];
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
  /**
   * Adversarial examples per eps written into the report (clean and adversarial images); default 12. Kept
   * even with keepAdversarial false: only these few images are held, not one per row.
   */
  readonly examplesPerEps?: number;
  /** Where the examples come from (e.g. {dataset: 'mnist', split: 'test', seed: 0, size: 2000}); recorded as given. */
  readonly datasetSplit?: JsonObject;
  /** The compute environment beyond tfjs's backend name (native library version, threads, device); recorded as given. */
  readonly environment?: JsonObject;
  /** For an evaluation that closes a hardening run: the method, its resolved parameters and the training budget; recorded as given. */
  readonly hardening?: JsonObject;
}

/** The worst case at one eps, with everything the report summarizes. */
export interface EpsEvaluation {
  readonly eps: number;
  /** 1 where every attack failed (0 for clean mistakes), dataset row order. */
  readonly robust: Uint8Array;
  /** Index of the attack that took the point, -1 where none did. */
  readonly fooledBy: Int16Array;
  /** Iteration (gradient attacks) at which the attack that took the point found it; -1 where unknown or none. */
  readonly fooledAtStep: Int32Array;
  /** Query (score-based attacks) at which the attack that took the point found it; -1 where none. */
  readonly fooledAtQuery: Int32Array;
  /**
   * z_y - max_{k != y} z_k: on the adversarial image where the point was fooled (<= 0), the smallest any
   * attack reached where it stayed robust (> 0), the clean margin for clean mistakes.
   */
  readonly margins: Float32Array;
  /** Class predicted on the worst-case image. */
  readonly predictions: Int32Array;
  /** The worst-case image per row: the adversarial one where some attack succeeded, the clean one elsewhere (empty without keepAdversarial). */
  readonly adversarial: Float32Array;
  /** Without keepAdversarial: the adversarial images of the report's gallery rows only. */
  readonly galleryImages?: ReadonlyMap<number, Float32Array>;
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
    cleanNearChance: on('cleanNearChance'),
    finiteWeights: on('finiteWeights'),
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

async function cleanPredictions(c: Classifier, ds: ImageDataset, batchSize: number, signal?: AbortSignal): Promise<{ pred: Int32Array; margins: Float32Array }> {
  const pred = new Int32Array(ds.count);
  const margins = new Float32Array(ds.count);
  const px = imageSize(ds);
  for (let start = 0; start < ds.count; start += batchSize) {
    throwIfAborted(signal);
    const n = Math.min(batchSize, ds.count - start);
    const z = tf.tidy(() => logits(c, tf.tensor4d(ds.images.slice(start * px, (start + n) * px), [n, ds.height, ds.width, ds.channels]), false));
    const data = (await z.data()) as Float32Array;
    z.dispose();
    pred.set(argMaxRows(data, n, c.numClasses), start);
    margins.set(marginsFromLogits(data, ds.labels.subarray(start, start + n), c.numClasses), start);
  }
  return { pred, margins };
}

function resolveAttackList(attacks: EvaluationOptions['attacks']): { version: AutoAttackVersion | 'custom'; specs: readonly AttackSpec[] } {
  if (attacks === undefined) return { version: 'standard', specs: STANDARD_ATTACKS };
  if (typeof attacks === 'string') return { version: isAutoAttackVersion(attacks) ? attacks : 'custom', specs: autoAttackList(attacks) };
  return { version: 'custom', specs: attacks };
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
  const { version: autoAttackVersion, specs } = resolveAttackList(options.attacks);
  const examplesPerEps = options.examplesPerEps ?? DEFAULT_EXAMPLES_PER_EPS;
  if (!Number.isInteger(examplesPerEps) || examplesPerEps < 0 || examplesPerEps > 1000) throw configError('examplesPerEps must be an integer in [0, 1000]', { examplesPerEps });
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
  const { pred: cleanPred, margins: cleanMargins } = await cleanPredictions(classifier, dataset, batchSize, options.signal);
  const clean = Uint8Array.from(cleanPred, (p, i) => (p === dataset.labels[i] ? 1 : 0));
  const cleanCount = clean.reduce((a, b) => a + b, 0);
  const cleanRows: number[] = [];
  for (let i = 0; i < n; i++) if (clean[i]) cleanRows.push(i);

  const flags: EvaluationFlag[] = [];
  const checks: { -readonly [K in keyof SanityChecksReport]: SanityChecksReport[K] } = { examples: Math.min(checkOpts.examples, n) };
  if (checkOpts.cleanNearChance) {
    const f = cleanNearChanceFlag(n === 0 ? 0 : cleanCount / n, classifier.numClasses, n);
    if (f) flags.push(f);
  }
  if (checkOpts.finiteWeights) {
    checks.finiteWeights = await checkFiniteWeights(classifier);
    const f = nonFiniteWeightsFlag(checks.finiteWeights);
    if (f) flags.push(f);
  }
  // Single-batch sanity checks on the first examples.
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
    const fooledAtStep = new Int32Array(n).fill(-1);
    const fooledAtQuery = new Int32Array(n).fill(-1);
    const margins = cleanMargins.slice();
    const predictions = cleanPred.slice();
    const adversarial = keep ? dataset.images.slice(0, n * px) : new Float32Array(0);
    // Without keepAdversarial, the gallery's images are kept per fooled row until examplesPerEps are held.
    const galleryImages = new Map<number, Float32Array>();
    const stages: AttackStageReport[] = [];
    let robustSoFar = cleanCount;
    for (let a = 0; a < defs.length; a++) {
      const def = defs[a];
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (robust[i]) rows.push(i);
      const stageSeed = `${seed}:eps${eps}:${a}`;
      const report = (attackProgress?: AttackProgress) =>
        progress?.({ phase: 'attack', epsIndex: e, epsCount: epsList.length, eps, attack: def.name, attackIndex: a, attackCount: defs.length, attackProgress, robustAccuracy: n === 0 ? 0 : robustSoFar / n });
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
          keepAdversarial: keep || examplesPerEps > 0,
        });
        const { eps: _eps, ...s } = res.settings;
        settings = s as JsonObject;
        elapsedMs = res.elapsedMs;
        for (let j = 0; j < res.count; j++) {
          const row = res.indices[j];
          if (res.robust[j]) {
            // Still robust: keep the closest any attack came.
            if (res.clean[j]) margins[row] = Math.min(margins[row], res.margins[j]);
            continue;
          }
          robust[row] = 0;
          fooledBy[row] = a;
          margins[row] = res.margins[j];
          if (res.steps) fooledAtStep[row] = res.steps[j];
          if (res.queries) fooledAtQuery[row] = res.queries[j];
          predictions[row] = res.predictions[j];
          if (keep) adversarial.set(res.adversarial.subarray(j * px, (j + 1) * px), row * px);
          else if (examplesPerEps > 0) galleryImages.set(row, res.adversarial.slice(j * px, (j + 1) * px));
          took++;
        }
        if (res.queries) {
          const q = Array.from(res.queries);
          const fooledQ = q.filter((_, j) => res.fooled[j]);
          queries = { ...stats(q), meanFooled: fooledQ.length ? fooledQ.reduce((s2, v) => s2 + v, 0) / fooledQ.length : null };
        }
      }
      if (!keep) keepFirstFooled(galleryImages, fooledBy, examplesPerEps);
      const robustCount = robust.reduce((s2, v) => s2 + v, 0);
      robustSoFar = robustCount;
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
    results.push({ eps, robust, fooledBy, fooledAtStep, fooledAtQuery, margins, predictions, adversarial, stages, galleryImages });
  }
  if (fgsmVsPgd.length > 0) checks.fgsmVsPgd = fgsmVsPgd;
  const mono = nonMonotoneFlag(results);
  if (mono) flags.push(mono);

  const reportResults = results.map((r) => {
    const robustCount = r.robust.reduce((a, b) => a + b, 0);
    const samples: PerSampleReport = {
      robust: Array.from(r.robust),
      fooledBy: Array.from(r.fooledBy),
      fooledAtStep: Array.from(r.fooledAtStep),
      fooledAtQuery: Array.from(r.fooledAtQuery),
      margin: Array.from(r.margins, (m) => (Number.isFinite(m) ? m : null)),
      prediction: Array.from(r.predictions),
    };
    return {
      eps: r.eps,
      epsFraction: epsFraction(r.eps),
      robustAccuracy: n === 0 ? 0 : robustCount / n,
      robustCount,
      attacks: r.stages,
      robust: samples.robust,
      fooledBy: samples.fooledBy,
      samples,
      examples: adversarialExamples(r, dataset, cleanPred, defs, examplesPerEps),
    };
  });
  const report: RobustnessReport = {
    version: REPORT_VERSION,
    model: { sha256: options.modelSha256.toLowerCase() },
    dataset: {
      name: dataset.name,
      inputShape: [dataset.height, dataset.width, dataset.channels],
      numClasses: dataset.numClasses,
      ...(options.datasetSplit ? { split: options.datasetSplit } : {}),
    },
    numExamples: n,
    labels: Array.from(dataset.labels.subarray(0, n)),
    cleanPredictions: Array.from(cleanPred),
    seed,
    autoAttack: { version: autoAttackVersion, norm: 'Linf', reference: 'fra31/auto-attack (autoattack.py set_version)' },
    backend: tf.getBackend(),
    tfjsVersion: tf.version_core,
    libraries: { 'tfjs-core': tf.version_core, 'tfjs-layers': version_layers, temperReport: REPORT_VERSION },
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.hardening ? { hardening: options.hardening } : {}),
    reproduce: reproduceRecipe(autoAttackVersion, defs.map((definition, i) => ({ definition, config: specs[i].config })), epsList, seed, n, batchSize, options.datasetSplit),
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

/**
 * A later stage can fool a row before the gallery's current rows but never un-fool one, so after each
 * stage only the first `limit` fooled rows can still end up in the gallery: the other images go.
 */
function keepFirstFooled(images: Map<number, Float32Array>, fooledBy: Int16Array, limit: number): void {
  const first = new Set<number>();
  for (let i = 0; i < fooledBy.length && first.size < limit; i++) if (fooledBy[i] >= 0) first.add(i);
  for (const row of [...images.keys()]) if (!first.has(row)) images.delete(row);
}

/**
 * The first `limit` fooled examples in dataset order (a gallery): clean and adversarial images as plain
 * numbers, label, predictions, and which attack found it.
 */
function adversarialExamples(r: EpsEvaluation, ds: ImageDataset, cleanPred: Int32Array, defs: readonly AnyAttackDefinition[], limit: number): AdversarialExampleReport[] {
  const px = imageSize(ds);
  const out: AdversarialExampleReport[] = [];
  for (let i = 0; i < ds.count && out.length < limit; i++) {
    if (r.fooledBy[i] < 0) continue;
    out.push({
      index: i,
      label: ds.labels[i],
      cleanPrediction: cleanPred[i],
      adversarialPrediction: r.predictions[i],
      attack: defs[r.fooledBy[i]].name,
      margin: r.margins[i],
      shape: [ds.height, ds.width, ds.channels],
      clean: Array.from(ds.images.subarray(i * px, (i + 1) * px)),
      adversarial: Array.from(r.adversarial.length > 0 ? r.adversarial.subarray(i * px, (i + 1) * px) : (r.galleryImages?.get(i) ?? [])),
    });
  }
  return out;
}
