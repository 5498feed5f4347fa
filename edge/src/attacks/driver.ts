import * as tf from '@tensorflow/tfjs-core';
import { imageSize, type ImageDataset } from '../data/dataset.ts';
import { ErrorCodes, ModelCompatibilityError, throwIfAborted } from '../errors.ts';
import { logits, type Classifier } from '../models/classifier.ts';
import { Rng } from '../util/random.ts';
import { checkInt, configError } from './config.ts';
import { checkThreatSet } from './threat-set.ts';
import { marginsFromLogits } from './losses.ts';
import { argMaxRows, gatherRows } from './tensors.ts';
import type { AttackConfigBase, AttackConfigInput, AttackContext, AttackDefinition, AttackKind, AttackStep, JsonObject } from './types.ts';

export interface AttackProgress {
  readonly attack: string;
  /** 0-based index of the batch being attacked. */
  readonly batch: number;
  readonly batches: number;
  /** Samples whose batch has finished. */
  readonly samplesDone: number;
  readonly samplesTotal: number;
  /** Present while a batch runs: the attack's own step. */
  readonly step?: AttackStep;
}

export interface AttackRunOptions {
  /** Samples per batch: bounds device memory. Default 250 (AutoAttack's bs). */
  readonly batchSize?: number;
  /** Run seed; each batch draws from its own stream derived from (seed, attack name, batch index). Default 0. */
  readonly seed?: number | string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: AttackProgress) => void;
  /** Dataset rows to attack, in this order (default: all). Result arrays follow this order. */
  readonly indices?: ArrayLike<number>;
  /** Keep the adversarial images (count x H*W*C floats). Default true. */
  readonly keepAdversarial?: boolean;
}

export interface AttackResult {
  readonly attack: string;
  readonly kind: AttackKind;
  readonly eps: number;
  /** The resolved settings, JSON-ready (eps included). */
  readonly settings: JsonObject;
  readonly seed: number | string;
  readonly count: number;
  /** Dataset row of each result entry. */
  readonly indices: Int32Array;
  /** 1 where the clean image is classified correctly (only those are attacked). */
  readonly clean: Uint8Array;
  /** 1 where the adversarial image is still classified correctly (0 for clean mistakes). */
  readonly robust: Uint8Array;
  /** 1 where the clean image was right and the adversarial one is wrong. */
  readonly fooled: Uint8Array;
  /** Class predicted on the returned image (the clean one where no attack ran). */
  readonly predictions: Int32Array;
  /** NHWC images in [0,1] within eps of the inputs; the clean image where the attack did not run. Empty unless kept. */
  readonly adversarial: Float32Array;
  /** Per-sample queries to the target (score-based attacks; 0 where not attacked). */
  readonly queries?: Int32Array;
  /**
   * Per-sample iteration at which the attack first had a misclassified point within eps (gradient
   * attacks that say so, counted over all their restarts and targets); -1 where none was found or the
   * attack does not say.
   */
  readonly steps?: Int32Array;
  /** Per-sample margin z_y - max_{k != y} z_k on the returned image (<= 0: misclassified). */
  readonly margins: Float32Array;
  readonly cleanAccuracy: number;
  readonly robustAccuracy: number;
  /** Largest |x_adv - x|_inf over the run (at most eps). */
  readonly maxPerturbation: number;
  readonly elapsedMs: number;
}

export const MAX_BATCH_SIZE = 4096;
const YIELD_EVERY_MS = 25;

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Throws MODEL_INPUT_SHAPE_MISMATCH / MODEL_OUTPUT_CLASSES_MISMATCH when the dataset does not fit the model. */
export function checkDatasetFits(c: Classifier, ds: ImageDataset): void {
  const [h, w, ch] = c.inputShape;
  if (ds.height !== h || ds.width !== w || ds.channels !== ch) {
    throw new ModelCompatibilityError(
      ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH,
      `The model takes ${h}x${w}x${ch} images but dataset "${ds.name}" has ${ds.height}x${ds.width}x${ds.channels}`,
      { model: [h, w, ch], dataset: [ds.height, ds.width, ds.channels] },
    );
  }
  if (ds.numClasses > c.numClasses) {
    throw new ModelCompatibilityError(
      ErrorCodes.MODEL_OUTPUT_CLASSES_MISMATCH,
      `The model has ${c.numClasses} outputs but dataset "${ds.name}" has ${ds.numClasses} classes`,
      { model: c.numClasses, dataset: ds.numClasses },
    );
  }
}

/** Rows order[start .. start+size) as tensors (batchTensors bounds its slice by the dataset, not by `order`). */
function rowsTensors(ds: ImageDataset, order: Int32Array, start: number, size: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const px = imageSize(ds);
  const images = new Float32Array(size * px);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const src = order[start + i];
    images.set(ds.images.subarray(src * px, (src + 1) * px), i * px);
    labels[i] = ds.labels[src];
  }
  return { x: tf.tensor4d(images, [size, ds.height, ds.width, ds.channels], 'float32'), y: tf.tensor1d(labels, 'int32') };
}

/** A context whose checkpoint aborts, reports and yields; shared by the driver and evaluation checks. */
export function createAttackContext(
  rng: Rng,
  signal: AbortSignal | undefined,
  onStep?: (step: AttackStep) => void,
): AttackContext {
  let lastYield = now();
  return {
    rng,
    signal,
    async checkpoint(step: AttackStep) {
      throwIfAborted(signal);
      onStep?.(step);
      if (now() - lastYield > YIELD_EVERY_MS) {
        // Lets abort events, timers and UI work run between kernels; tf.nextFrame is setImmediate in Node.
        await tf.nextFrame();
        lastYield = now();
        throwIfAborted(signal);
      }
    },
  };
}

/** The per-batch stream: deterministic in (seed, attack, batch), independent of batch timing. */
export function batchRng(seed: number | string, attack: string, batch: number): Rng {
  return new Rng(`${seed}:${attack}:${batch}`);
}

/**
 * Runs one attack over a dataset in bounded batches. Only clean-correct points are attacked; every
 * adversarial batch is classified once more by the target (that forward decides robust vs fooled, as in
 * AutoAttack) and checked to lie in the eps-ball ∩ [0,1] (a violation is a bug and throws).
 */
export async function attackDataset<C extends AttackConfigBase>(
  attack: AttackDefinition<C>,
  classifier: Classifier,
  dataset: ImageDataset,
  config: AttackConfigInput<C>,
  options: AttackRunOptions = {},
): Promise<AttackResult> {
  const started = now();
  checkDatasetFits(classifier, dataset);
  const resolved = attack.resolve(config, classifier);
  const batchSize = checkInt(attack.name, 'batchSize', options.batchSize ?? 250, 1, MAX_BATCH_SIZE);
  const seed = options.seed ?? 0;
  const order = options.indices ? Int32Array.from(options.indices) : Int32Array.from({ length: dataset.count }, (_, i) => i);
  for (const i of order) {
    if (!(i >= 0 && i < dataset.count)) throw configError(attack.name, `row index ${i} is outside the dataset (0..${dataset.count - 1})`);
  }
  const n = order.length;
  const px = imageSize(dataset);
  const keep = options.keepAdversarial ?? true;
  const C = classifier.numClasses;
  const clean = new Uint8Array(n);
  const robust = new Uint8Array(n);
  const fooled = new Uint8Array(n);
  const predictions = new Int32Array(n);
  const adversarial = keep ? new Float32Array(n * px) : new Float32Array(0);
  let queries: Int32Array | undefined;
  let steps: Int32Array | undefined;
  const margins = new Float32Array(n);
  let maxPerturbation = 0;
  const batches = Math.ceil(n / batchSize);
  const report = (batch: number, samplesDone: number, step?: AttackStep) =>
    options.onProgress?.({ attack: attack.name, batch, batches, samplesDone, samplesTotal: n, step });

  for (let b = 0; b < batches; b++) {
    throwIfAborted(options.signal);
    const start = b * batchSize;
    const { x, y } = rowsTensors(dataset, order, start, Math.min(batchSize, n - start));
    const bn = x.shape[0];
    const held: tf.Tensor[] = [x, y];
    try {
      const zClean = logits(classifier, x, false);
      held.push(zClean);
      const zCleanData = (await zClean.data()) as Float32Array;
      const cleanPred = argMaxRows(zCleanData, bn, C);
      const labels = await y.data();
      margins.set(marginsFromLogits(zCleanData, labels, C), start);
      const rows: number[] = [];
      for (let i = 0; i < bn; i++) {
        predictions[start + i] = cleanPred[i];
        if (cleanPred[i] === labels[i]) {
          clean[start + i] = 1;
          rows.push(i);
        }
      }
      if (keep) adversarial.set(await x.data(), start * px);
      if (rows.length > 0) {
        const xa = gatherRows(x, rows);
        const ya = gatherRows(y, rows);
        held.push(xa, ya);
        const ctx = createAttackContext(batchRng(seed, attack.name, b), options.signal, (step) => report(b, start, step));
        const out = await attack.run(classifier, xa, ya, resolved, ctx);
        held.push(out.xAdv);
        const violation = await checkThreatSet(xa, out.xAdv, resolved.eps);
        if (!violation.ok) {
          throw new Error(`Attack ${attack.name} returned points outside the eps-ball ∩ [0,1]: ${violation.message}`);
        }
        maxPerturbation = Math.max(maxPerturbation, violation.maxPerturbation);
        const zAdv = logits(classifier, out.xAdv, false);
        held.push(zAdv);
        const zAdvData = (await zAdv.data()) as Float32Array;
        const advPred = argMaxRows(zAdvData, rows.length, C);
        const advMargins = marginsFromLogits(zAdvData, Int32Array.from(rows, (i) => labels[i]), C);
        const advData = keep ? await out.xAdv.data() : undefined;
        if (out.queries && !queries) queries = new Int32Array(n);
        if (out.steps && !steps) steps = new Int32Array(n).fill(-1);
        for (let j = 0; j < rows.length; j++) {
          const r = start + rows[j];
          predictions[r] = advPred[j];
          if (advPred[j] === labels[rows[j]]) robust[r] = 1;
          else fooled[r] = 1;
          if (advData) adversarial.set(advData.subarray(j * px, (j + 1) * px) as Float32Array, r * px);
          if (out.queries && queries) queries[r] = out.queries[j];
          if (out.steps && steps) steps[r] = out.steps[j];
          margins[r] = advMargins[j];
        }
      }
    } finally {
      for (const t of held) t.dispose();
    }
    report(b, Math.min(start + batchSize, n));
  }

  let cleanCount = 0;
  let robustCount = 0;
  for (let i = 0; i < n; i++) {
    cleanCount += clean[i];
    robustCount += robust[i];
  }
  return {
    attack: attack.name,
    kind: attack.kind,
    eps: resolved.eps,
    settings: { eps: resolved.eps, ...attack.describe(resolved) },
    seed,
    count: n,
    indices: order,
    clean,
    robust,
    fooled,
    predictions,
    adversarial,
    queries,
    ...(steps ? { steps } : {}),
    margins,
    cleanAccuracy: n === 0 ? 0 : cleanCount / n,
    robustAccuracy: n === 0 ? 0 : robustCount / n,
    maxPerturbation,
    elapsedMs: now() - started,
  };
}
