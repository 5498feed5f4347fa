import * as tf from '@tensorflow/tfjs-core';
import { batchTensors, type DatasetSplit, type ImageDataset, subsetDataset } from '../../../edge/src/data/dataset.ts';
import { ErrorCodes, TrainingConfigError, throwIfAborted } from '../../../edge/src/errors.ts';
import { datasetAccuracy } from '../../../edge/src/models/accuracy.ts';
import type { Classifier } from '../../../edge/src/models/classifier.ts';
import { Rng } from '../../../edge/src/util/random.ts';
import { type OptimizerConfig, ScheduledOptimizer, type ScheduleConfig, scheduledLearningRate } from './optimizer.ts';

/** What a method computes for one minibatch: the scalar to minimize and its named terms for progress. */
export interface StepLoss {
  readonly loss: tf.Scalar;
  readonly terms: Readonly<Record<string, tf.Scalar>>;
}

/** One training method's per-batch loss; called inside the gradient tape. */
export type LossFn = (batch: { x: tf.Tensor4D; y: tf.Tensor1D }, student: Classifier) => StepLoss;

export interface TrainProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  readonly terms: Readonly<Record<string, number>>;
  readonly learningRate: number;
  readonly examplesPerSecond: number;
  readonly etaSeconds: number;
  /** Set on the last step of an epoch: accuracy on the held-out monitoring batch. */
  readonly heldOutAccuracy?: number;
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

function validate(o: TrainOptions): void {
  const bad = (why: string) => new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, why, {});
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw bad(`epochs must be a positive integer, got ${o.epochs}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw bad(`batchSize must be a positive integer, got ${o.batchSize}`);
  if (o.data.train.count === 0) throw bad('the training split is empty');
}

/**
 * The training loop every method shares: seeded shuffling, minibatches, a scheduled optimizer,
 * progress with loss terms and throughput, held-out monitoring, cancellation.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  validate(o);
  const train: ImageDataset = o.data.train;
  const monitor = subsetDataset(o.data.test, Array.from({ length: Math.min(o.monitorSize ?? 500, o.data.test.count) }, (_, i) => i));
  const rng = new Rng(o.seed);
  const vars = o.student.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new ScheduledOptimizer(o.optimizer);
  const schedule = o.schedule ?? { kind: 'constant' };
  const stepsPerEpoch = Math.ceil(train.count / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;
  const progressEvery = o.progressEvery ?? 10;
  const t0 = performance.now();
  const secondsPerEpoch: number[] = [];
  let step = 0;
  let examples = 0;
  let lastTerms: Record<string, number> = {};
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const epochStart = performance.now();
      const order = rng.permutation(train.count);
      for (let b = 0; b < stepsPerEpoch; b++) {
        throwIfAborted(o.signal);
        optimizer.setLearningRate(scheduledLearningRate(o.optimizer.learningRate, schedule, step, totalSteps, epoch));
        const batch = batchTensors(train, b * o.batchSize, o.batchSize, order);
        let termTensors: Record<string, tf.Scalar> = {};
        const { grads, value } = tf.variableGrads(() => {
          const { loss, terms } = o.loss(batch, o.student);
          termTensors = Object.fromEntries(Object.entries(terms).map(([k, t]) => [k, tf.keep(t)]));
          return loss;
        }, vars);
        optimizer.apply(grads, vars);
        const n = batch.y.shape[0];
        tf.dispose([batch.x, batch.y]);
        step++;
        examples += n;
        const endOfEpoch = b === stepsPerEpoch - 1;
        if (step % progressEvery === 0 || endOfEpoch) {
          const termValues = await Promise.all(Object.values(termTensors).map((t) => t.data()));
          lastTerms = { loss: (await value.data())[0], ...Object.fromEntries(Object.keys(termTensors).map((k, i) => [k, termValues[i][0]])) };
        }
        tf.dispose([value, ...Object.values(termTensors)]);
        if (step % progressEvery === 0 || endOfEpoch) {
          const elapsed = (performance.now() - t0) / 1000;
          const heldOutAccuracy = endOfEpoch ? await datasetAccuracy(o.student, monitor, { signal: o.signal }) : undefined;
          o.onProgress?.({
            epoch: epoch + 1,
            epochs: o.epochs,
            step,
            stepsPerEpoch,
            totalSteps,
            terms: lastTerms,
            learningRate: optimizer.learningRate,
            examplesPerSecond: examples / elapsed,
            etaSeconds: (elapsed / step) * (totalSteps - step),
            heldOutAccuracy,
          });
        }
        // Let timers and I/O run between steps (progress streaming, cancellation).
        await new Promise((r) => setImmediate(r));
      }
      secondsPerEpoch.push((performance.now() - epochStart) / 1000);
    }
    const seconds = (performance.now() - t0) / 1000;
    const testAccuracy = await datasetAccuracy(o.student, o.data.test, { signal: o.signal });
    return { epochs: o.epochs, steps: step, seconds, secondsPerEpoch, examplesPerSecond: examples / seconds, finalTerms: lastTerms, testAccuracy };
  } finally {
    optimizer.dispose();
  }
}
