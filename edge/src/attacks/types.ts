import type * as tf from '@tensorflow/tfjs-core';
import type { AttackKind } from '@temper/contracts';
import type { Classifier } from '../models/classifier.ts';
import type { Rng } from '../util/random.ts';

/**
 * The one shape every attack has. An attack file exports an `AttackDefinition`; `attackDataset`
 * (driver.ts) batches a dataset through it, and evaluation composes definitions. All attacks are
 * L-infinity: inputs in [0,1], `eps` in [0,1] units, the threat set is the eps-ball intersected with
 * the [0,1] box, and the attacked quantity is `logits(classifier, x, false)` (inference mode).
 */

/** White-box attacks use input gradients; black-box ones only the target's outputs; transfer ones craft on surrogates. */
export type { AttackKind };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Every attack config has the radius; the rest is attack-specific. */
export interface AttackConfigBase {
  readonly eps: number;
}

/** What an attack is given for one batch. */
export interface AttackContext {
  /** Seeded stream for this batch only (derived from the run seed, the attack name and the batch index). */
  readonly rng: Rng;
  readonly signal?: AbortSignal;
  /**
   * Call once per iteration: throws `AbortedError` once the signal has fired, reports the step to the
   * progress callback, and now and then yields to the event loop so that abort events and timers fire.
   */
  checkpoint(step: AttackStep): Promise<void>;
}

export interface AttackStep {
  readonly iteration: number;
  readonly iterations: number;
  /** E.g. "restart 2/5" or "target 3/9". */
  readonly phase?: string;
}

/** One batch's outcome. The driver re-classifies `xAdv` once, and that forward decides robust vs fooled. */
export interface AttackBatchOutput {
  /** Same shape as the input batch; the caller disposes it. */
  readonly xAdv: tf.Tensor4D;
  /** Queries to the target per sample (score-based attacks). */
  readonly queries?: Int32Array;
  /** Iteration per sample at which the attack first had a misclassified point within eps, -1 where none (gradient attacks). */
  readonly steps?: Int32Array;
}

export interface AttackDefinition<C extends AttackConfigBase = AttackConfigBase> {
  /** Stable id, as in reports and as `attacks: [{ attack: name }]` names it. */
  readonly name: string;
  readonly kind: AttackKind;
  /** Settings used where the caller gives none (everything but eps). */
  readonly defaults: Readonly<Omit<C, 'eps'>>;
  /** Merges defaults and checks ranges; throws `AttackConfigError` (ATTACK_INVALID_CONFIG). */
  resolve(config: AttackConfigInput<C>, classifier?: Classifier): C;
  /** The settings as they go into a JSON report. */
  describe(config: C): JsonObject;
  /**
   * Attacks one batch. `x` holds only points the classifier gets right (the driver filters), `y` their
   * labels (int32). Must not leak tensors, also when it throws.
   */
  run(classifier: Classifier, x: tf.Tensor4D, y: tf.Tensor1D, config: C, ctx: AttackContext): Promise<AttackBatchOutput>;
}

export type AttackConfigInput<C extends AttackConfigBase> = { readonly eps: number } & Partial<Omit<C, 'eps'>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list holds attacks of every config type; `unknown` would reject them (C is read and written)
export type AnyAttackDefinition = AttackDefinition<any>;
