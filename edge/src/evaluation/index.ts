export {
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
  type AttackStageReport,
  type EpsResultReport,
  type EvaluationFlag,
  type FlagCode,
  type RobustnessReport,
  type SanityChecksReport,
} from './report.ts';
export {
  checkOutputRange,
  checkRandomizedForward,
  checkZeroGradients,
  fgsmBelowPgdFlag,
  maskedGradientsFlag,
  nonMonotoneFlag,
  probabilityOutputsFlag,
  randomizedForwardFlag,
  zeroGradientsFlag,
} from './checks.ts';
export { linearModelOf, linearRobustness, type LinearModel, type LinearOracleResult } from './linear-oracle.ts';
