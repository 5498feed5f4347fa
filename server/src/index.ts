/** @temper/server: compute backends, datasets, training and hardening, and the API. */
export { COMPUTE_BACKENDS, computeBackend, describeBackend, initComputeBackend, parseBackendName, type BackendDetails, type ComputeBackendChoice, type ComputeBackendName } from './compute/backend.ts';
export { initTestBackend } from './compute/test-backend.ts';
export { setTensorflowNativeGradients, tensorflowNativeGradients } from './compute/tensorflow-gradients.ts';
export * from './datasets/index.ts';
export { readModelDir, writeModelDir } from './models/model-dir.ts';
export { FileCheckpointStore } from './teachers/file-checkpoint-store.ts';
export { train, type TrainOptions, type TrainProgress, type TrainResult } from './training/loop.ts';
export type { LossFn, StepLoss } from './training/stepper.ts';
export { trainZooModel, type TrainingRecord, type TrainZooModelOptions } from './training/train-zoo-model.ts';
export { naturalLoss } from './training/natural.ts';
export * from './hardening/index.ts';
export type { DistributedConfig } from './config.ts';
export { bullConnection } from './distributed/redis.ts';
export { nearChanceCheck, UPLOAD_CHECK_EXAMPLES, type NearChanceResult } from './models/upload-warnings.ts';
