import * as tf from '@tensorflow/tfjs-core';
import { attackDataset, pgd } from '@temper/edge/attacks';
import { batchTensors, type DatasetSplit, type ImageDataset, subsetDataset, ErrorCodes, TrainingConfigError, throwIfAborted, datasetAccuracy, Rng, type RngState } from '@temper/edge';
import type { Classifier } from '@temper/edge';
import { decodeCheckpoint, encodeCheckpoint, type NamedTensor, type StoredTensor, storedToNamed } from './checkpoint.ts';
import { type OptimizerConfig, ScheduledOptimizer, type ScheduleConfig, scheduledLearningRate } from './optimizer.ts';

/** What a method computes for one minibatch: the scalar to minimize and its named terms for progress. */
export interface StepLoss {
  readonly loss: tf.Scalar;
  readonly terms: Readonly<Record<string, tf.Scalar>>;
}

/** One training method's per-batch loss; called inside the gradient tape. */
export type LossFn = (batch: { x: tf.Tensor4D; y: tf.Tensor1D }, student: Classifier) => StepLoss;

/** A minibatch as a stepper sees it: images, labels, and the training-set rows they came from (for caches). */
export interface StepBatch {
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor1D;
  readonly indices: Int32Array;
}

export interface MinimizeResult {
  /** `loss` and every term, as tensors owned by the caller's scope. */
  readonly terms: Record<string, tf.Scalar>;
  /** Gradients of the loss w.r.t. the extra variables, in order (Free AT's perturbation); owned by the caller. */
  readonly extraGrads: tf.Tensor[];
}

/** What the loop hands a stepper for one minibatch. */
export interface StepContext {
  /** 0-based epoch (pass over the data). */
  readonly epoch: number;
  /** 0-based minibatch counter over the whole run. */
  readonly step: number;
  /** The run's random stream (checkpointed): draw attack starts and noise seeds from it. */
  readonly rng: Rng;
  /** The student's learning rate as of its last update: for a method's own model that follows the student's schedule (IGAM's D). */
  readonly currentLearningRate?: () => number;
  /**
   * One optimizer update of the student's trainable weights from the gradient of `f().loss`,
   * at the scheduled learning rate. `extraVariables` get gradients from the same backward pass
   * but are not updated.
   */
  minimize(f: () => StepLoss, extraVariables?: readonly tf.Variable[]): MinimizeResult;
}

/** State a stepper keeps across steps (Free AT's perturbation, IGAM's discriminator), for checkpoints. */
export interface StepperState {
  readonly json?: unknown;
  /** Copies: the loop disposes them after encoding. */
  readonly tensors?: NamedTensor[];
}

export interface LoadedStepperState {
  readonly json?: unknown;
  readonly tensors: readonly StoredTensor[];
}

/** One training method as the loop runs it. */
export interface TrainingStepper {
  /** The model being trained; its trainable weights are what `minimize` updates. */
  readonly student: Classifier;
  /** Optimizer updates per minibatch (Free AT replays each minibatch m times); default 1. */
  readonly updatesPerBatch?: number;
  /** Runs one minibatch: attacks, losses, `ctx.minimize` calls. Returns every term (incl. `loss`), in the caller's scope. */
  step(batch: StepBatch, ctx: StepContext): Record<string, tf.Scalar> | Promise<Record<string, tf.Scalar>>;
  saveState?(): Promise<StepperState>;
  loadState?(state: LoadedStepperState): Promise<void> | void;
}

/** Where checkpoints go (the same shape as the hardening contract's CheckpointStore). */
export interface TrainingCheckpointStore {
  load(): Promise<{ readonly epoch: number; readonly payload: Uint8Array } | undefined>;
  save(checkpoint: { readonly epoch: number; readonly payload: Uint8Array }): Promise<void>;
}

export interface MonitorOptions {
  /** Held-out examples (the first ones of the test split) scored at the end of every epoch. Default 500. */
  readonly size?: number;
  /** Also run PGD on them at this eps (inference mode, random start, 1 restart, seed fixed). */
  readonly pgd?: { readonly eps: number; readonly steps?: number; readonly stepSize?: number };
}

export interface TrainProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  /** Mean of each term over the steps since the previous event. */
  readonly terms: Readonly<Record<string, number>>;
  readonly learningRate: number;
  readonly examplesPerSecond: number;
  readonly etaSeconds: number;
  /** Set on the last step of an epoch: accuracy on the held-out monitoring batch. */
  readonly heldOutAccuracy?: number;
  /** Set on the last step of an epoch when PGD monitoring is on. */
  readonly heldOutPgdAccuracy?: number;
}

export interface TrainingLoopOptions {
  readonly stepper: TrainingStepper;
  readonly data: DatasetSplit;
  /** Passes over the training set. */
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly optimizer: OptimizerConfig;
  readonly schedule?: ScheduleConfig;
  readonly monitor?: MonitorOptions;
  readonly onProgress?: (p: TrainProgress) => void;
  /** How often (in steps) a progress event is emitted; the last step of each epoch always emits. */
  readonly progressEvery?: number;
  readonly signal?: AbortSignal;
  /** A checkpoint is saved at the end of every epoch, and the run resumes from the stored one. */
  readonly checkpoints?: TrainingCheckpointStore;
  /** Identity of the run, stored in checkpoints; a checkpoint of another run is refused. */
  readonly runIdentity?: Readonly<Record<string, unknown>>;
  readonly log?: (line: string) => void;
}

export interface TrainingLoopResult {
  readonly epochs: number;
  /** Epochs completed before this call (restored from a checkpoint), 0 for a fresh run. */
  readonly resumedFromEpoch: number;
  /** Minibatches and optimizer updates run in this call. */
  readonly steps: number;
  readonly updates: number;
  /** Wall time of this call, monitoring and checkpoints included. */
  readonly seconds: number;
  /** Time spent in training steps only. */
  readonly trainSeconds: number;
  readonly secondsPerEpoch: number[];
  /** Examples through a training forward/backward per second of `trainSeconds` (replays count). */
  readonly examplesPerSecond: number;
  /** Mean terms of each epoch run in this call. */
  readonly epochTerms: Record<string, number>[];
  readonly finalTerms: Record<string, number>;
  readonly heldOut?: { readonly cleanAccuracy: number; readonly pgdAccuracy?: number };
}

function validate(o: { epochs: number; batchSize: number; data: DatasetSplit }): void {
  const bad = (why: string) => new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, why, {});
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw bad(`epochs must be a positive integer, got ${o.epochs}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw bad(`batchSize must be a positive integer, got ${o.batchSize}`);
  if (o.data.train.count === 0) throw bad('the training split is empty');
}

/** Running sums of scalar terms, read back only when reported. */
class TermAccumulator {
  private sums: Record<string, tf.Scalar> = {};
  private count = 0;

  add(terms: Record<string, tf.Scalar>): void {
    for (const [k, t] of Object.entries(terms)) {
      const prev = this.sums[k];
      this.sums[k] = tf.keep(prev ? (tf.add(prev, t) as tf.Scalar) : (tf.clone(t) as tf.Scalar));
      prev?.dispose();
    }
    this.count++;
  }

  async drain(): Promise<Record<string, number>> {
    const keys = Object.keys(this.sums);
    const values = await Promise.all(keys.map((k) => this.sums[k].data()));
    const out = Object.fromEntries(keys.map((k, i) => [k, values[i][0] / Math.max(1, this.count)]));
    this.dispose();
    return out;
  }

  dispose(): void {
    tf.dispose(Object.values(this.sums));
    this.sums = {};
    this.count = 0;
  }
}

interface CheckpointMeta {
  readonly format: 1;
  readonly epoch: number;
  readonly rng: RngState;
  readonly run: Readonly<Record<string, unknown>>;
  readonly stepper?: unknown;
  readonly hasAccBeta: boolean;
}

function sameIdentity(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string | undefined {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k}: checkpoint ${JSON.stringify(a[k])}, this run ${JSON.stringify(b[k])}`;
  }
  return undefined;
}

/**
 * The training loop every method shares: seeded shuffling, minibatches, a scheduled optimizer,
 * progress with every loss term, throughput and ETA, held-out clean (and PGD) monitoring at epoch
 * ends, a checkpoint after every epoch from which the run resumes bit for bit, cancellation.
 */
export async function runTrainingLoop(o: TrainingLoopOptions): Promise<TrainingLoopResult> {
  validate(o);
  const log = o.log ?? (() => {});
  const train: ImageDataset = o.data.train;
  const student = o.stepper.student;
  const monitorSize = Math.min(o.monitor?.size ?? 500, o.data.test.count);
  const monitor = subsetDataset(o.data.test, Array.from({ length: monitorSize }, (_, i) => i));
  let rng = new Rng(o.seed);
  const vars = student.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new ScheduledOptimizer(o.optimizer);
  const schedule = o.schedule ?? { kind: 'constant' };
  const updatesPerBatch = o.stepper.updatesPerBatch ?? 1;
  const stepsPerEpoch = Math.ceil(train.count / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;
  const totalUpdates = totalSteps * updatesPerBatch;
  const progressEvery = o.progressEvery ?? 10;
  const identity = { ...(o.runIdentity ?? {}), seed: o.seed, batchSize: o.batchSize, trainCount: train.count, updatesPerBatch };
  const t0 = performance.now();
  const secondsPerEpoch: number[] = [];
  const epochTerms: Record<string, number>[] = [];
  const windowTerms = new TermAccumulator();
  const epochAcc = new TermAccumulator();
  let startEpoch = 0;
  let steps = 0;
  let updates = 0;
  let examples = 0;
  let trainMs = 0;
  let heldOut: TrainingLoopResult['heldOut'];

  try {
    const stored = o.checkpoints ? await o.checkpoints.load() : undefined;
    if (stored) {
      const ck = decodeCheckpoint(stored.payload);
      const meta = ck.meta as CheckpointMeta;
      if (meta?.format !== 1) throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, 'Invalid checkpoint: unknown format');
      const mismatch = sameIdentity(meta.run, identity);
      if (mismatch) throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `The stored checkpoint belongs to another run (${mismatch})`, { mismatch });
      const weights = storedToNamed(ck.groups.model);
      const expected = student.model.weights;
      if (weights.length !== expected.length || weights.some((w, i) => !tf.util.arraysEqual(w.tensor.shape, expected[i].shape as number[]))) {
        tf.dispose(weights.map((w) => w.tensor));
        throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, 'The stored checkpoint does not fit the model (different weights)');
      }
      student.model.setWeights(weights.map((w) => w.tensor));
      tf.dispose(weights.map((w) => w.tensor));
      const slots = storedToNamed(ck.groups.optimizer);
      const accBeta = meta.hasAccBeta ? (storedToNamed(ck.groups.accBeta).map((w) => w.tensor) as [tf.Tensor, tf.Tensor]) : undefined;
      await optimizer.setState({ weights: slots, accBeta });
      tf.dispose([...slots.map((s) => s.tensor), ...(accBeta ?? [])]);
      await o.stepper.loadState?.({ json: meta.stepper, tensors: ck.groups.method ?? [] });
      rng = Rng.fromState(meta.rng);
      startEpoch = meta.epoch;
      log(`[temper] resumed from the checkpoint after epoch ${startEpoch}/${o.epochs}`);
    }

    let globalStep = startEpoch * stepsPerEpoch;
    let globalUpdate = globalStep * updatesPerBatch;
    const ctxFor = (epoch: number, step: number): StepContext => ({
      epoch,
      step,
      rng,
      currentLearningRate: () => optimizer.learningRate,
      minimize(f, extraVariables = []) {
        optimizer.setLearningRate(
          scheduledLearningRate(o.optimizer.learningRate, schedule, globalUpdate, totalUpdates, epoch + (step - epoch * stepsPerEpoch) / stepsPerEpoch),
        );
        let kept: Record<string, tf.Scalar> = {};
        const all = [...vars, ...extraVariables];
        const { grads, value } = tf.variableGrads(() => {
          const { loss, terms } = f();
          kept = Object.fromEntries(Object.entries(terms).map(([k, t]) => [k, tf.keep(t)]));
          return loss;
        }, all);
        const extraGrads = extraVariables.map((v) => grads[v.name]);
        for (const v of extraVariables) delete grads[v.name];
        optimizer.apply(grads, vars);
        globalUpdate++;
        updates++;
        // tf.keep lifted the terms out of every scope; clones put them back into the caller's.
        const terms: Record<string, tf.Scalar> = { loss: tf.clone(value) as tf.Scalar };
        for (const [k, t] of Object.entries(kept)) terms[k] = tf.clone(t) as tf.Scalar;
        tf.dispose([value, ...Object.values(kept)]);
        return { terms, extraGrads };
      },
    });

    for (let epoch = startEpoch; epoch < o.epochs; epoch++) {
      const epochStart = performance.now();
      const order = rng.permutation(train.count);
      for (let b = 0; b < stepsPerEpoch; b++) {
        throwIfAborted(o.signal);
        const stepStart = performance.now();
        const batch = batchTensors(train, b * o.batchSize, o.batchSize, order);
        const indices = order.slice(b * o.batchSize, Math.min((b + 1) * o.batchSize, train.count));
        let terms: Record<string, tf.Scalar>;
        try {
          terms = await o.stepper.step({ ...batch, indices }, ctxFor(epoch, globalStep));
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
        windowTerms.add(terms);
        epochAcc.add(terms);
        tf.dispose(Object.values(terms));
        trainMs += performance.now() - stepStart;
        globalStep++;
        steps++;
        examples += indices.length * updatesPerBatch;
        const endOfEpoch = b === stepsPerEpoch - 1;
        if (globalStep % progressEvery === 0 || endOfEpoch) {
          const termValues = await windowTerms.drain();
          let heldOutAccuracy: number | undefined;
          let heldOutPgdAccuracy: number | undefined;
          if (endOfEpoch && monitorSize > 0) {
            heldOutAccuracy = await datasetAccuracy(student, monitor, { signal: o.signal });
            if (o.monitor?.pgd) {
              const { eps, steps: pgdSteps = 10, stepSize } = o.monitor.pgd;
              const r = await attackDataset(pgd, student, monitor, { eps, steps: pgdSteps, stepSize: stepSize ?? null, restarts: 1 }, { seed: 'monitor', signal: o.signal, keepAdversarial: false });
              heldOutPgdAccuracy = r.robustAccuracy;
            }
            heldOut = { cleanAccuracy: heldOutAccuracy, pgdAccuracy: heldOutPgdAccuracy };
          }
          const trainSeconds = trainMs / 1000;
          o.onProgress?.({
            epoch: epoch + 1,
            epochs: o.epochs,
            step: globalStep,
            stepsPerEpoch,
            totalSteps,
            terms: termValues,
            learningRate: optimizer.learningRate,
            examplesPerSecond: examples / Math.max(trainSeconds, 1e-9),
            etaSeconds: (trainSeconds / Math.max(1, steps)) * (totalSteps - globalStep),
            heldOutAccuracy,
            heldOutPgdAccuracy,
          });
        }
        // Let timers and I/O run between steps (progress streaming, cancellation).
        await new Promise((r) => setImmediate(r));
      }
      epochTerms.push(await epochAcc.drain());
      secondsPerEpoch.push((performance.now() - epochStart) / 1000);
      if (o.checkpoints) {
        const state = await optimizer.getState();
        const method = o.stepper.saveState ? await o.stepper.saveState() : undefined;
        const meta: CheckpointMeta = { format: 1, epoch: epoch + 1, rng: rng.state(), run: identity, stepper: method?.json, hasAccBeta: Boolean(state.accBeta) };
        const modelWeights = student.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
        try {
          const payload = await encodeCheckpoint(meta, {
            model: modelWeights,
            optimizer: state.weights,
            accBeta: state.accBeta ? state.accBeta.map((t, i) => ({ name: `accBeta${i + 1}`, tensor: t })) : [],
            method: method?.tensors ?? [],
          });
          await o.checkpoints.save({ epoch: epoch + 1, payload });
        } finally {
          tf.dispose([...state.weights.map((w) => w.tensor), ...(state.accBeta ?? []), ...(method?.tensors ?? []).map((t) => t.tensor)]);
        }
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const trainSeconds = trainMs / 1000;
    return {
      epochs: o.epochs,
      resumedFromEpoch: startEpoch,
      steps,
      updates,
      seconds,
      trainSeconds,
      secondsPerEpoch,
      examplesPerSecond: trainSeconds > 0 ? examples / trainSeconds : 0,
      epochTerms,
      finalTerms: epochTerms[epochTerms.length - 1] ?? {},
      heldOut,
    };
  } finally {
    windowTerms.dispose();
    epochAcc.dispose();
    optimizer.dispose();
  }
}

export interface TrainOptions {
  readonly student: Classifier;
  readonly data: DatasetSplit;
  readonly loss: LossFn;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly optimizer: OptimizerConfig;
  readonly schedule?: ScheduleConfig;
  /** Held-out examples scored at the end of every epoch (default 500 from the test split). */
  readonly monitorSize?: number;
  readonly onProgress?: (p: TrainProgress) => void;
  /** How often (in steps) a progress event is emitted; the last step of each epoch always emits. */
  readonly progressEvery?: number;
  readonly signal?: AbortSignal;
}

export interface TrainResult {
  readonly epochs: number;
  readonly steps: number;
  readonly seconds: number;
  readonly secondsPerEpoch: number[];
  readonly examplesPerSecond: number;
  readonly finalTerms: Record<string, number>;
  readonly testAccuracy: number;
}

/** Trains with a plain per-batch loss (natural training and the like), then scores the whole test split. */
export async function train(o: TrainOptions): Promise<TrainResult> {
  const stepper: TrainingStepper = {
    student: o.student,
    step: (batch, ctx) => ctx.minimize(() => o.loss(batch, o.student)).terms,
  };
  const r = await runTrainingLoop({
    stepper,
    data: o.data,
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed,
    optimizer: o.optimizer,
    schedule: o.schedule,
    monitor: { size: o.monitorSize },
    onProgress: o.onProgress,
    progressEvery: o.progressEvery,
    signal: o.signal,
  });
  const testAccuracy = await datasetAccuracy(o.student, o.data.test, { signal: o.signal });
  return { epochs: r.epochs, steps: r.steps, seconds: r.seconds, secondsPerEpoch: r.secondsPerEpoch, examplesPerSecond: r.examplesPerSecond, finalTerms: r.finalTerms, testAccuracy };
}
