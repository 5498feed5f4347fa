export type {
  AnyAttackDefinition,
  AttackBatchOutput,
  AttackConfigBase,
  AttackConfigInput,
  AttackContext,
  AttackDefinition,
  AttackKind,
  AttackStep,
  JsonObject,
  JsonValue,
} from './types.ts';
export { attackDataset, batchRng, checkDatasetFits, createAttackContext, MAX_BATCH_SIZE, type AttackProgress, type AttackResult, type AttackRunOptions } from './driver.ts';
export { checkThreatSet, checkThreatSetArrays, THREAT_SET_TOLERANCE, type ThreatSetCheck } from './threat-set.ts';
export { ATTACKS, attackNames, getAttack } from './registry.ts';
export { fgsm, type FgsmConfig } from './fgsm.ts';
export { pgd, pgdSingleRun, pgdStepSize, type PgdConfig } from './pgd.ts';
export { apgdCe, type ApgdCeConfig } from './apgd-ce.ts';
export { apgdDlr, type ApgdDlrConfig } from './apgd-dlr.ts';
export { apgdT, type ApgdTConfig } from './apgd-t.ts';
export { apgdCheckpointIterations, apgdSingleRun, type ApgdCommonConfig } from './apgd-core.ts';
export { fab, type FabConfig } from './fab.ts';
export { fabT, type FabTConfig } from './fab-t.ts';
export { projectionLinf } from './fab-core.ts';
export { square, squarePSchedule, squareWindowSize, type SquareConfig } from './square.ts';
export { transfer, surrogateObjective, type TransferConfig, type TransferSurrogate } from './transfer.ts';
export { crossEntropyLoss, cwLoss, dlrLoss, dlrTargetedLoss, marginsFromLogits } from './losses.ts';
export { ballBounds, classifierObjective, lossAndGrad, project, type Objective } from './tensors.ts';
