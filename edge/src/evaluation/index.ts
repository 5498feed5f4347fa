export {
  DEFAULT_EXAMPLES_PER_EPS,
  evaluateRobustness,
  STANDARD_ATTACKS,
  type AttackSpec,
  type EpsEvaluation,
  type Evaluation,
  type EvaluationOptions,
  type EvaluationProgress,
  type SanityCheckOptions,
} from './evaluate.ts';
export {
  FlagCodes,
  REPORT_VERSION,
  type AdversarialExampleReport,
  type PerSampleReport,
  type AttackStageReport,
  type EpsResultReport,
  type EvaluationFlag,
  type FlagCode,
  type RobustnessReport,
  type ReproduceRecipe,
  type SanityChecksReport,
} from './report.ts';
export { reproduceRecipe } from './reproduce.ts';
export {
  checkFiniteWeights,
  checkOutputRange,
  checkRandomizedForward,
  cleanNearChanceFlag,
  nonFiniteWeightsFlag,
  checkZeroGradients,
  fgsmBelowPgdFlag,
  maskedGradientsFlag,
  nonMonotoneFlag,
  probabilityOutputsFlag,
  randomizedForwardFlag,
  zeroGradientsFlag,
} from './checks.ts';
export { linearModelOf, linearRobustness, type LinearModel, type LinearOracleResult } from './linear-oracle.ts';
export { AUTOATTACK_LISTS, AUTOATTACK_VERSIONS, autoAttackList, isAutoAttackVersion, type AutoAttackVersion } from './versions.ts';
export { FLAG_CATALOGUE, type FlagDescription } from './flag-catalogue.ts';
export { epsFraction, parseEps } from './eps.ts';
