/** The hardening engine: methods, their registry, and `runHardening` implementing the contract. */
export type {
  CheckpointStore,
  HardeningCheckpoint,
  HardeningHooks,
  HardeningJobInput,
  HardeningJobOutput,
  HardeningMethodName,
  HardeningProgress,
  RunHardening,
} from './contract.ts';
export { runHardening, trainHardening, classifierSha256, weakVsStrong, DEFAULT_EVALUATION_SIZE, PGD20, type TrainedHardening } from './run.ts';
export { METHODS, getMethod, methodNames } from './registry.ts';
export type { AnyMethodDefinition, CommonParams, MethodDefinition, MethodRun, MethodSetup } from './method.ts';
export { resolveParams, type DefaultsContext, type ParamSpec, type ParamSpecs, type RecipeFamily, type ResolvedParams } from './params.ts';
export { MemoryCheckpointStore } from './memory-checkpoint-store.ts';
