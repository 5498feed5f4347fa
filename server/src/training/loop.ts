import * as tf from '@tensorflow/tfjs-core';
import { batchTensors, type DatasetSplit, type ImageDataset, ErrorCodes, TrainingConfigError, throwIfAborted, datasetAccuracy, Rng } from '@temper/edge';
import type { Classifier } from '@temper/edge';
import { encodeTrainingCheckpoint, restoreTrainingCheckpoint, type RunIdentity, type TrainingCheckpointStore, type WithinEpoch } from './checkpointing.ts';
import { HeldOutMonitor, type HeldOutScores, type MonitorOptions } from './monitoring.ts';
import { type OptimizerConfig, ScheduledOptimizer, type ScheduleConfig, scheduledLearningRate } from './optimizer.ts';
import type { LossFn, StepContext, TrainingStepper } from './stepper.ts';
import { TermAccumulator } from './term-accumulator.ts';

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
  /** A checkpoint is saved at the end of every epoch (and within epochs when the store asks), and the run resumes from the stored one. */
  readonly checkpoints?: TrainingCheckpointStore;
  /** Identity of the run, stored in checkpoints; a checkpoint of another run is refused. */
  readonly runIdentity?: RunIdentity;
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
  readonly heldOut?: HeldOutScores;
}

function validate(o: { epochs: number; batchSize: number; data: DatasetSplit }): void {
  const bad = (why: string) => new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, why, {});
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw bad(`epochs must be a positive integer, got ${o.epochs}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw bad(`batchSize must be a positive integer, got ${o.batchSize}`);
  if (o.data.train.count === 0) throw bad('the training split is empty');
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
  const monitor = new HeldOutMonitor(o.data.test, o.monitor);
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
    let resumeWithin: WithinEpoch | undefined;
    if (stored) {
      const restored = await restoreTrainingCheckpoint(stored.payload, { student, optimizer, stepper: o.stepper, identity });
      rng = restored.rng;
      startEpoch = restored.epoch;
      resumeWithin = restored.within;
      log(
        resumeWithin
          ? `[temper] resumed from the checkpoint at step ${resumeWithin.step}/${stepsPerEpoch} of epoch ${startEpoch + 1}/${o.epochs}`
          : `[temper] resumed from the checkpoint after epoch ${startEpoch}/${o.epochs}`,
      );
    }
    const withinEpochMs = o.checkpoints?.withinEpochSeconds ? o.checkpoints.withinEpochSeconds * 1000 : Infinity;
    let lastCheckpointAt = performance.now();

    let globalStep = startEpoch * stepsPerEpoch + (resumeWithin?.step ?? 0);
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
      // A checkpoint taken within this epoch redraws the epoch's order from the state it was drawn from;
      // `rng` itself continues from where the checkpoint left it.
      const epochRng = resumeWithin ? resumeWithin.epochRng : rng.state();
      const order = resumeWithin ? Rng.fromState(epochRng).permutation(train.count) : rng.permutation(train.count);
      const firstBatch = resumeWithin?.step ?? 0;
      resumeWithin = undefined;
      for (let b = firstBatch; b < stepsPerEpoch; b++) {
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
          const scores = endOfEpoch ? await monitor.score(student, o.signal) : undefined;
          if (scores) heldOut = scores;
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
            heldOutAccuracy: scores?.cleanAccuracy,
            heldOutPgdAccuracy: scores?.pgdAccuracy,
          });
        }
        if (o.checkpoints && !endOfEpoch && performance.now() - lastCheckpointAt >= withinEpochMs) {
          const payload = await encodeTrainingCheckpoint({ student, optimizer, stepper: o.stepper, identity }, epoch, rng, { step: b + 1, epochRng });
          await o.checkpoints.save({ epoch, payload });
          lastCheckpointAt = performance.now();
        }
        // Let timers and I/O run between steps (progress streaming, cancellation).
        await new Promise((r) => setImmediate(r));
      }
      epochTerms.push(await epochAcc.drain());
      secondsPerEpoch.push((performance.now() - epochStart) / 1000);
      if (o.checkpoints) {
        const payload = await encodeTrainingCheckpoint({ student, optimizer, stepper: o.stepper, identity }, epoch + 1, rng);
        await o.checkpoints.save({ epoch: epoch + 1, payload });
        lastCheckpointAt = performance.now();
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
