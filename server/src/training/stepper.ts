import type * as tf from '@tensorflow/tfjs-core';
import type { Classifier, Rng } from '@temper/edge';
import type { NamedTensor, StoredTensor } from './checkpoint-payload.ts';

/**
 * The contract between the shared training loop (loop.ts) and a training method: the loop owns the
 * data order, the optimizer, progress and checkpoints; a stepper owns what one minibatch computes.
 */

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
