import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSplit, Classifier } from '@temper/edge';
import { createZooClassifier } from '@temper/edge';
import { describeBackend, type BackendDetails, type ComputeBackendChoice } from '../compute/backend.ts';
import { type TrainProgress, type TrainResult, train } from './loop.ts';
import { naturalLoss } from './natural.ts';
import type { OptimizerConfig, ScheduleConfig } from './optimizer.ts';

export interface TrainZooModelOptions {
  readonly architecture: string;
  readonly data: DatasetSplit;
  readonly epochs: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly featureWidth?: number;
  readonly optimizer?: OptimizerConfig;
  readonly schedule?: ScheduleConfig;
  readonly onProgress?: (p: TrainProgress) => void;
  readonly progressEvery?: number;
  readonly signal?: AbortSignal;
}

/** What a training run records next to the model, so any number in it can be reproduced. */
export interface TrainingRecord {
  readonly method: 'natural';
  readonly architecture: string;
  readonly dataset: string;
  readonly trainSize: number;
  readonly testSize: number;
  readonly splitSeed: number;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerConfig;
  readonly schedule?: ScheduleConfig;
  readonly backend: string;
  readonly backendReason?: string;
  readonly backendDetails?: BackendDetails;
  readonly tfjsVersion: string;
  readonly nodeVersion?: string;
  readonly result: TrainResult;
}

export const DEFAULT_NATURAL_OPTIMIZER: OptimizerConfig = { kind: 'adam', learningRate: 1e-3 };

/** Natural training of a fresh zoo model: the reference point for every hardening method. */
export async function trainZooModel(o: TrainZooModelOptions, backend?: ComputeBackendChoice): Promise<{ classifier: Classifier; record: TrainingRecord }> {
  const seed = o.seed ?? 0;
  const batchSize = o.batchSize ?? 128;
  const optimizer = o.optimizer ?? DEFAULT_NATURAL_OPTIMIZER;
  const { train: trainSet } = o.data;
  const classifier = createZooClassifier(o.architecture, {
    inputShape: [trainSet.height, trainSet.width, trainSet.channels],
    numClasses: trainSet.numClasses,
    featureWidth: o.featureWidth,
    seed,
  });
  try {
    const result = await train({ student: classifier, data: o.data, loss: naturalLoss, epochs: o.epochs, batchSize, seed, optimizer, schedule: o.schedule, onProgress: o.onProgress, progressEvery: o.progressEvery, signal: o.signal });
    return {
      classifier,
      record: {
        method: 'natural',
        architecture: o.architecture,
        dataset: trainSet.name.replace(/\/train$/, ''),
        trainSize: o.data.train.count,
        testSize: o.data.test.count,
        splitSeed: o.data.seed,
        seed,
        epochs: o.epochs,
        batchSize,
        optimizer,
        schedule: o.schedule,
        backend: tf.getBackend(),
        backendReason: backend?.reason,
        backendDetails: describeBackend(),
        tfjsVersion: tf.version_core,
        nodeVersion: typeof process !== 'undefined' ? process.version : undefined,
        result,
      },
    };
  } catch (e) {
    classifier.model.dispose();
    throw e;
  }
}
