/**
 * The contract between the hardening engine (methods, loop, checkpoints) and whoever runs it (the
 * `bench:methods` script, the job workers behind the GraphQL API). Both sides code against this
 * file; change it only together.
 */
import type { DatasetSplit, Classifier } from '@temper/edge';
import type { RobustnessReport, AttackSpec, AutoAttackVersion } from '@temper/edge/evaluation';
import type { HardeningMethodName } from '@temper/contracts';

/** Method names as the API and the CLI spell them: the catalogue in @temper/contracts. */
export type { HardeningMethodName };

export interface HardeningJobInput {
  readonly method: HardeningMethodName;
  /** Trained in place. Its architecture may gain a projection layer (RRM) - see the output. */
  readonly student: Classifier;
  /** Frozen, inference mode. Required by kd, ard, rslad, rrm, igam. */
  readonly teacher?: Classifier;
  readonly data: DatasetSplit;
  /** L-inf radius in [0,1] pixel units, for training attacks and the final evaluation. */
  readonly eps: number;
  readonly epochs: number;
  readonly batchSize?: number;
  readonly seed: number;
  /** Method-specific overrides (lambda, beta, steps, stepSize, lr...); unknown keys are an error. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The final robustness evaluation; default: standard ensemble at [eps] on 1000 test examples. */
  readonly evaluation?: { readonly eps?: readonly number[]; readonly attacks?: AutoAttackVersion | readonly AttackSpec[]; readonly sampleSize?: number };
}

/** One progress event: everything a subscriber or progress bar shows. */
export interface HardeningProgress {
  readonly phase: 'preparing' | 'training' | 'evaluating';
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly totalSteps: number;
  /** Every loss term of the method by name, plus `loss`. */
  readonly terms: Readonly<Record<string, number>>;
  readonly learningRate?: number;
  readonly examplesPerSecond?: number;
  readonly etaSeconds?: number;
  /** At epoch ends: clean and PGD accuracy on a fixed held-out batch. */
  readonly heldOutCleanAccuracy?: number;
  readonly heldOutPgdAccuracy?: number;
  readonly message?: string;
}

/** Everything needed to resume a run exactly. Serializable: weights as raw bytes. */
export interface HardeningCheckpoint {
  readonly epoch: number; // epochs completed
  readonly payload: Uint8Array;
}

export interface CheckpointStore {
  load(): Promise<HardeningCheckpoint | undefined>;
  save(checkpoint: HardeningCheckpoint): Promise<void>;
}

export interface HardeningHooks {
  readonly onProgress?: (p: HardeningProgress) => void;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly checkpoints?: CheckpointStore;
}

export interface HardeningJobOutput {
  /** The hardened student (possibly with an added projection layer). */
  readonly student: Classifier;
  /** The full configuration with every default applied, and where each default came from. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly training: {
    readonly seconds: number;
    readonly examplesPerSecond: number;
    readonly epochs: number;
    readonly steps: number;
    readonly finalTerms: Readonly<Record<string, number>>;
  };
  readonly report: RobustnessReport;
  readonly log: readonly string[];
}

export type RunHardening = (input: HardeningJobInput, hooks?: HardeningHooks) => Promise<HardeningJobOutput>;
