import type { AttackKind, JsonObject } from '../attacks/types.ts';

/**
 * The JSON robustness report (what the server stores and the API returns). Everything in it is plain
 * JSON: per-sample flags are 0/1 number arrays in dataset-row order.
 */

export const REPORT_VERSION = 2;

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
  /** Clean accuracy at most twice chance: usually the input preprocessing is wrong (Temper). */
  CLEAN_NEAR_CHANCE: 'CLEAN_NEAR_CHANCE',
  /** Some weights are NaN or infinite (Temper). */
  NONFINITE_WEIGHTS: 'NONFINITE_WEIGHTS',
} as const;

export type FlagCode = (typeof FlagCodes)[keyof typeof FlagCodes];

export interface EvaluationFlag {
  readonly code: FlagCode;
  readonly message: string;
  /** What to check first, where there is a usual cause (see FLAG_CATALOGUE). */
  readonly hint?: string;
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

/** Per-example results at one eps, each array in dataset-row order. */
export interface PerSampleReport {
  /** 1 where every attack failed (0 for clean mistakes). */
  readonly robust: readonly number[];
  /** Index into the eps's `attacks` of the attack that fooled the example; -1 where none did. */
  readonly fooledBy: readonly number[];
  /** Iteration at which that (gradient) attack found it, counted over its restarts and targets; -1 if unknown or none. */
  readonly fooledAtStep: readonly number[];
  /** Queries that (score-based) attack needed; -1 where none. */
  readonly fooledAtQuery: readonly number[];
  /**
   * Final margin z_y - max_{k != y} z_k: on the adversarial image where fooled (<= 0), the smallest any
   * attack reached where robust (> 0), the clean margin for clean mistakes; null if not finite.
   */
  readonly margin: readonly (number | null)[];
  /** Class predicted on the worst-case image. */
  readonly prediction: readonly number[];
}

/** One fooled example, for a gallery. Images are NHWC rows in [0,1] as plain numbers. */
export interface AdversarialExampleReport {
  /** Dataset row. */
  readonly index: number;
  readonly label: number;
  readonly cleanPrediction: number;
  readonly adversarialPrediction: number;
  readonly attack: string;
  readonly margin: number;
  /** [height, width, channels]. */
  readonly shape: readonly number[];
  readonly clean: readonly number[];
  readonly adversarial: readonly number[];
}

export interface EpsResultReport {
  readonly eps: number;
  /** eps as "k/255" when it is a whole number of 255ths, else null. */
  readonly epsFraction: string | null;
  /** Per-sample worst case: robust only if every attack failed on it. */
  readonly robustAccuracy: number;
  readonly robustCount: number;
  readonly attacks: readonly AttackStageReport[];
  /** 0/1 per example (dataset row order). */
  readonly robust: readonly number[];
  /** Index into `attacks` of the attack that took each example; -1 if none did (robust or clean mistake). */
  readonly fooledBy: readonly number[];
  readonly samples: PerSampleReport;
  /** Up to `examplesPerEps` fooled examples (first in dataset order). */
  readonly examples: readonly AdversarialExampleReport[];
}

export interface SanityChecksReport {
  readonly examples: number;
  readonly randomizedForward?: { readonly maxNormalizedDiff: number; readonly predictionsDiffer: boolean };
  readonly outputRange?: { readonly min: number; readonly max: number; readonly maxRowSumError: number; readonly looksLikeProbabilities: boolean };
  readonly zeroGradients?: { readonly loss: 'dlr' | 'ce'; readonly checked: number; readonly zero: number };
  readonly finiteWeights?: { readonly weights: number; readonly nonFinite: number; readonly tensors: readonly string[] };
  readonly fgsmVsPgd?: readonly { readonly eps: number; readonly fgsmRobustAccuracy: number; readonly pgdRobustAccuracy: number; readonly pgdSettings: JsonObject }[];
}

/** How to run the evaluation again (reproduce.ts): evaluateRobustness's options, every setting resolved. */
export interface ReproduceRecipe {
  readonly autoAttackVersion: 'standard' | 'plus' | 'rand' | 'custom';
  /** The list as run, each attack with all its resolved settings (eps aside). */
  readonly attacks: readonly { readonly attack: string; readonly config: JsonObject }[];
  readonly eps: readonly number[];
  /** The same radii as "k/255" where they are whole 255ths. */
  readonly epsFractions: readonly (string | null)[];
  readonly seed: number;
  /** The first `examples` rows of the dataset split below. */
  readonly examples: number;
  readonly batchSize: number;
  /** How each stage's seed derives from the evaluation's. */
  readonly stageSeeds: string;
  readonly datasetSplit: JsonObject | null;
}

export interface RobustnessReport {
  readonly version: number;
  readonly model: { readonly sha256: string };
  readonly dataset: { readonly name: string; readonly inputShape: readonly number[]; readonly numClasses: number; readonly split?: JsonObject };
  readonly numExamples: number;
  /** True label per example, dataset-row order (absent in reports written before it was added). */
  readonly labels?: readonly number[];
  /** Clean prediction per example, dataset-row order (absent in older reports). */
  readonly cleanPredictions?: readonly number[];
  readonly seed: number;
  /** Which AutoAttack list ran ('custom' for a caller's own), L-inf. */
  readonly autoAttack: { readonly version: 'standard' | 'plus' | 'rand' | 'custom'; readonly norm: 'Linf'; readonly reference: string };
  readonly backend: string;
  readonly tfjsVersion: string;
  readonly libraries: { readonly 'tfjs-core': string; readonly 'tfjs-layers': string; readonly temperReport: number };
  /** The compute environment as the caller described it (native library version, threads, device). */
  readonly environment?: JsonObject;
  /** For the evaluation closing a hardening run: method, resolved parameters, training budget. */
  readonly hardening?: JsonObject;
  /** Everything needed to run the evaluation again (absent in older reports). */
  readonly reproduce?: ReproduceRecipe;
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
