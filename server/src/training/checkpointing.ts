import * as tf from '@tensorflow/tfjs-core';
import { type Classifier, ErrorCodes, Rng, type RngState, TrainingConfigError } from '@temper/edge';
import { decodeCheckpoint, encodeCheckpoint, storedToNamed } from './checkpoint-payload.ts';
import type { ScheduledOptimizer } from './optimizer.ts';
import type { TrainingStepper } from './stepper.ts';

/**
 * What a training checkpoint holds and how a run resumes from one: the student's weights, the
 * optimizer's slots, the stepper's own state, the RNG state and the run's identity, taken at an
 * epoch boundary or (when the store asks) after a minibatch within an epoch, with the RNG state the
 * epoch's order was drawn from, so that a resumed run reproduces the uninterrupted one bit for bit.
 * Only the epoch's mean loss terms restart at a resume within an epoch (they cover the steps run since).
 */

/** Where checkpoints go (the same shape as the hardening contract's CheckpointStore). */
export interface TrainingCheckpointStore {
  load(): Promise<{ readonly epoch: number; readonly payload: Uint8Array } | undefined>;
  save(checkpoint: { readonly epoch: number; readonly payload: Uint8Array }): Promise<void>;
  /**
   * Also checkpoint within an epoch, at most this often (seconds of wall time). For long runs on
   * shared machines, where one epoch can take hours and a killed run would lose it; unset: epoch ends only.
   */
  readonly withinEpochSeconds?: number;
}

/** Where in an epoch a checkpoint was taken: minibatches done, and the RNG state the epoch's order was drawn from. */
export interface WithinEpoch {
  readonly step: number;
  readonly epochRng: RngState;
}

/** The settings that make two runs the same run; a checkpoint of another run is refused. */
export type RunIdentity = Readonly<Record<string, unknown>>;

/** The training state a checkpoint captures and restores. */
export interface CheckpointedState {
  readonly student: Classifier;
  readonly optimizer: ScheduledOptimizer;
  readonly stepper: TrainingStepper;
  readonly identity: RunIdentity;
}

interface CheckpointMeta {
  readonly format: 1;
  readonly epoch: number;
  readonly rng: RngState;
  readonly run: RunIdentity;
  readonly stepper?: unknown;
  readonly hasAccBeta: boolean;
  /** Present when taken within epoch `epoch` (0-based) rather than after `epoch` completed epochs. */
  readonly within?: WithinEpoch;
}

function identityMismatch(a: RunIdentity, b: RunIdentity): string | undefined {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k}: checkpoint ${JSON.stringify(a[k])}, this run ${JSON.stringify(b[k])}`;
  }
  return undefined;
}

/**
 * Encodes the state after `epoch` completed epochs, or, with `within`, after `within.step` minibatches
 * of epoch `epoch` (0-based). Every tensor copy it makes is freed, also on failure.
 */
export async function encodeTrainingCheckpoint(s: CheckpointedState, epoch: number, rng: Rng, within?: WithinEpoch): Promise<Uint8Array> {
  const state = await s.optimizer.getState();
  const method = s.stepper.saveState ? await s.stepper.saveState() : undefined;
  const meta: CheckpointMeta = { format: 1, epoch, rng: rng.state(), run: s.identity, stepper: method?.json, hasAccBeta: Boolean(state.accBeta), ...(within ? { within } : {}) };
  const modelWeights = s.student.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
  try {
    return await encodeCheckpoint(meta, {
      model: modelWeights,
      optimizer: state.weights,
      accBeta: state.accBeta ? state.accBeta.map((t, i) => ({ name: `accBeta${i + 1}`, tensor: t })) : [],
      method: method?.tensors ?? [],
    });
  } finally {
    tf.dispose([...state.weights.map((w) => w.tensor), ...(state.accBeta ?? []), ...(method?.tensors ?? []).map((t) => t.tensor)]);
  }
}

/**
 * Restores a checkpoint into the student, the optimizer and the stepper. Returns the epochs it
 * covers and the random stream to continue with. Refuses (TRAINING_INVALID_CONFIG) a payload of
 * another format, another run or another architecture before touching any weight.
 */
export async function restoreTrainingCheckpoint(payload: Uint8Array, s: CheckpointedState): Promise<{ epoch: number; rng: Rng; within?: WithinEpoch }> {
  const ck = decodeCheckpoint(payload);
  const meta = ck.meta as CheckpointMeta;
  if (meta?.format !== 1) throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, 'Invalid checkpoint: unknown format');
  const mismatch = identityMismatch(meta.run, s.identity);
  if (mismatch) throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `The stored checkpoint belongs to another run (${mismatch})`, { mismatch });
  const weights = storedToNamed(ck.groups.model);
  const expected = s.student.model.weights;
  if (weights.length !== expected.length || weights.some((w, i) => !tf.util.arraysEqual(w.tensor.shape, expected[i].shape as number[]))) {
    tf.dispose(weights.map((w) => w.tensor));
    throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, 'The stored checkpoint does not fit the model (different weights)');
  }
  s.student.model.setWeights(weights.map((w) => w.tensor));
  tf.dispose(weights.map((w) => w.tensor));
  const slots = storedToNamed(ck.groups.optimizer);
  const accBeta = meta.hasAccBeta ? (storedToNamed(ck.groups.accBeta).map((w) => w.tensor) as [tf.Tensor, tf.Tensor]) : undefined;
  await s.optimizer.setState({ weights: slots, accBeta });
  tf.dispose([...slots.map((t) => t.tensor), ...(accBeta ?? [])]);
  await s.stepper.loadState?.({ json: meta.stepper, tensors: ck.groups.method ?? [] });
  return { epoch: meta.epoch, rng: Rng.fromState(meta.rng), ...(meta.within ? { within: meta.within } : {}) };
}
