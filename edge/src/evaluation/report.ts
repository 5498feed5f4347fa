import type { AttackKind, JsonObject } from '../attacks/types.ts';

/**
 * The JSON robustness report (what the server stores and the API returns). Everything in it is plain
 * JSON: per-sample flags are 0/1 number arrays in dataset-row order.
 */

export const REPORT_VERSION = 1;

/** Stable codes for the sanity flags, as AutoAttack raises them (checks.py) plus Temper's own. */
export const FlagCodes = {
  /** A black-box or transfer attack fooled points the white-box attacks before it did not: masked gradients. (check_square_sr) */
  MASKED_GRADIENTS: 'MASKED_GRADIENTS',
  /** Outputs look like probabilities (non-negative rows summing to 1) rather than logits. (check_range_output) */
  PROBABILITY_OUTPUTS: 'PROBABILITY_OUTPUTS',
  /** Some inputs have an all-zero loss gradient. (check_zero_gradients) */
  ZERO_GRADIENTS: 'ZERO_GRADIENTS',
  /** Two forwards of the same batch differ. (check_randomized) */
  RANDOMIZED_FORWARD: 'RANDOMIZED_FORWARD',
  /** FGSM left fewer points robust than PGD: the multi-step attack is failing (Temper). */
  FGSM_BELOW_PGD: 'FGSM_BELOW_PGD',
  /** Robust accuracy rose with eps: some attack is too weak somewhere on the curve (Temper). */
  NON_MONOTONE_EPS_CURVE: 'NON_MONOTONE_EPS_CURVE',
} as const;

export type FlagCode = (typeof FlagCodes)[keyof typeof FlagCodes];

export interface EvaluationFlag {
  readonly code: FlagCode;
  readonly message: string;
  /** The radius it was raised at, when it depends on one. */
  readonly eps?: number;
  readonly details: JsonObject;
}

/** One attack's share of a sequential ensemble at one eps. */
export interface AttackStageReport {
  readonly attack: string;
  readonly kind: AttackKind;
  readonly settings: JsonObject;
  /** Points still robust when it ran (it attacks only those). */
  readonly attacked: number;
  /** Points it fooled, i.e. that it took from the robust set. */
  readonly took: number;
  /** Worst-case robust accuracy after this attack. */
  readonly robustAccuracyAfter: number;
  /** Query statistics over the points it attacked (score-based attacks). */
  readonly queries?: { readonly mean: number; readonly median: number; readonly max: number; readonly meanFooled: number | null };
  readonly seed: string;
  readonly elapsedMs: number;
}

export interface EpsResultReport {
  readonly eps: number;
  /** Per-sample worst case: robust only if every attack failed on it. */
  readonly robustAccuracy: number;
  readonly robustCount: number;
  readonly attacks: readonly AttackStageReport[];
  /** 0/1 per example (dataset row order). */
  readonly robust: readonly number[];
  /** Index into `attacks` of the attack that took each example; -1 if none did (robust or clean mistake). */
  readonly fooledBy: readonly number[];
}

export interface SanityChecksReport {
  readonly examples: number;
  readonly randomizedForward?: { readonly maxNormalizedDiff: number; readonly predictionsDiffer: boolean };
  readonly outputRange?: { readonly min: number; readonly max: number; readonly maxRowSumError: number; readonly looksLikeProbabilities: boolean };
  readonly zeroGradients?: { readonly loss: 'dlr' | 'ce'; readonly checked: number; readonly zero: number };
  readonly fgsmVsPgd?: readonly { readonly eps: number; readonly fgsmRobustAccuracy: number; readonly pgdRobustAccuracy: number; readonly pgdSettings: JsonObject }[];
}

export interface RobustnessReport {
  readonly version: number;
  readonly model: { readonly sha256: string };
  readonly dataset: { readonly name: string; readonly inputShape: readonly number[]; readonly numClasses: number };
  readonly numExamples: number;
  readonly seed: number;
  readonly backend: string;
  readonly tfjsVersion: string;
  readonly cleanAccuracy: number;
  /** The attack list as configured (settings without eps), in the order they run. */
  readonly attacks: readonly { readonly attack: string; readonly kind: AttackKind; readonly settings: JsonObject }[];
  /** One entry per eps, ascending. */
  readonly results: readonly EpsResultReport[];
  /** Worst-case robust accuracy per eps. */
  readonly epsCurve: readonly { readonly eps: number; readonly robustAccuracy: number }[];
  readonly flags: readonly EvaluationFlag[];
  readonly checks: SanityChecksReport;
  readonly elapsedMs: number;
}
