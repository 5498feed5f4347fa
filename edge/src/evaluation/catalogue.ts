/**
 * The evaluation's vocabulary without its engine: flag meanings, AutoAttack's lists, eps notation and
 * the report's types. Nothing here imports tfjs, so a browser page (the web app) can show reports
 * without bundling the 400 KB the evaluation itself needs.
 */
export { FLAG_CATALOGUE, type FlagDescription } from './flag-catalogue.ts';
export { AUTOATTACK_LISTS, AUTOATTACK_VERSIONS, isAutoAttackVersion, type AutoAttackVersion } from './versions.ts';
export { epsFraction, parseEps } from './eps.ts';
export {
  FlagCodes,
  REPORT_VERSION,
  type AdversarialExampleReport,
  type AttackStageReport,
  type EpsResultReport,
  type EvaluationFlag,
  type FlagCode,
  type PerSampleReport,
  type RobustnessReport,
  type SanityChecksReport,
} from './report.ts';
