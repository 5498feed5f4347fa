import type { DatasetSplit, Classifier } from '@temper/edge';
import type { TrainingStepper } from '../training/stepper.ts';
import type { HardeningMethodName } from './contract.ts';
import type { MonitorParams, OptimizerParams, ParamSpecs } from './params.ts';

/**
 * The one shape every hardening method has (one file per method under methods/): a config with
 * defaults and their sources, and a training step. The shared loop (training/loop.ts) runs it.
 */

/** Everything a method's setup gets. */
export interface MethodSetup<C> {
  readonly student: Classifier;
  /** Frozen, used in inference mode only. Present when the method needs one. */
  readonly teacher?: Classifier;
  readonly data: DatasetSplit;
  readonly eps: number;
  readonly config: C;
  readonly seed: number;
  readonly batchSize: number;
  /** Passes over the data the loop will run (methods with a schedule of their own: IGAM's beta start). */
  readonly epochs?: number;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** A prepared method: the loop's stepper plus cleanup. */
export interface MethodRun extends TrainingStepper {
  /** Frees what the method created (caches, discriminator, projection layers stay with the student). */
  dispose(): void;
}

/** Settings every method has besides its own. */
export type CommonParams = OptimizerParams & MonitorParams;

export interface MethodDefinition<C extends CommonParams = CommonParams> {
  readonly name: HardeningMethodName;
  readonly title: string;
  /** The paper / code the method follows. */
  readonly reference: string;
  readonly needsTeacher: boolean;
  /** Batch-norm mode of the student during the method's attack (docs/methods.md, "Batch norm modes"). */
  readonly attackBatchNorm: 'train' | 'inference' | 'no attack';
  readonly params: ParamSpecs<C>;
  /** Passes over the data for the epochs asked for (Free AT counts epochs in replays). Default: epochs. */
  passes?(epochs: number, config: C): number;
  /** Builds caches, extra layers and state; may take the time of a few epochs' worth of teacher inference. */
  create(setup: MethodSetup<C>): Promise<MethodRun>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds methods of every config type; `unknown` would reject them (C is read and written)
export type AnyMethodDefinition = MethodDefinition<any>;
