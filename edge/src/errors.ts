/**
 * Temper's error taxonomy. Every error a user can cause carries a stable machine-readable `code`:
 * the GraphQL layer maps codes to typed error results, the CLI maps them to exit codes, and tests
 * assert on codes rather than on message wording.
 *
 * Each family has its own class so callers can `instanceof`-filter (e.g. "any bad upload") while
 * the code names the precise problem.
 */

export const ErrorCodes = {
  // Model files and model metadata (uploads, loading, saving).
  MODEL_NOT_JSON: 'MODEL_NOT_JSON',
  MODEL_INVALID_TOPOLOGY: 'MODEL_INVALID_TOPOLOGY',
  MODEL_GRAPH_FORMAT: 'MODEL_GRAPH_FORMAT',
  MODEL_MISSING_SHARD: 'MODEL_MISSING_SHARD',
  MODEL_EXTRA_SHARD: 'MODEL_EXTRA_SHARD',
  MODEL_SHARD_SIZE_MISMATCH: 'MODEL_SHARD_SIZE_MISMATCH',
  MODEL_UNSAFE_PATH: 'MODEL_UNSAFE_PATH',
  MODEL_UNSUPPORTED_DTYPE: 'MODEL_UNSUPPORTED_DTYPE',
  MODEL_UNKNOWN_LAYER: 'MODEL_UNKNOWN_LAYER',
  MODEL_INPUT_SHAPE_MISMATCH: 'MODEL_INPUT_SHAPE_MISMATCH',
  MODEL_OUTPUT_CLASSES_MISMATCH: 'MODEL_OUTPUT_CLASSES_MISMATCH',
  MODEL_NO_FEATURE_LAYER: 'MODEL_NO_FEATURE_LAYER',
  MODEL_INVALID_PREPROCESSING: 'MODEL_INVALID_PREPROCESSING',
  MODEL_NO_SECOND_ORDER_GRADIENT: 'MODEL_NO_SECOND_ORDER_GRADIENT',
  MODEL_TOO_COMPLEX: 'MODEL_TOO_COMPLEX',
  // Dataset files.
  DATASET_BAD_MAGIC: 'DATASET_BAD_MAGIC',
  DATASET_TRUNCATED: 'DATASET_TRUNCATED',
  DATASET_COUNT_MISMATCH: 'DATASET_COUNT_MISMATCH',
  DATASET_LABEL_OUT_OF_RANGE: 'DATASET_LABEL_OUT_OF_RANGE',
  DATASET_UNSUPPORTED_DTYPE: 'DATASET_UNSUPPORTED_DTYPE',
  DATASET_BAD_SHAPE: 'DATASET_BAD_SHAPE',
  DATASET_UNKNOWN: 'DATASET_UNKNOWN',
  DATASET_INVALID_SPLIT: 'DATASET_INVALID_SPLIT',
  DATASET_CORRUPT: 'DATASET_CORRUPT',
  DATASET_INVALID_OPTIONS: 'DATASET_INVALID_OPTIONS',
  DATASET_TOO_LARGE: 'DATASET_TOO_LARGE',
  // Compute backends.
  BACKEND_UNKNOWN: 'BACKEND_UNKNOWN',
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  BACKEND_INVALID_CONFIG: 'BACKEND_INVALID_CONFIG',
  // Model zoo.
  ZOO_UNKNOWN_ARCHITECTURE: 'ZOO_UNKNOWN_ARCHITECTURE',
  ZOO_INVALID_OPTIONS: 'ZOO_INVALID_OPTIONS',
  // Attacks and evaluation.
  ATTACK_INVALID_CONFIG: 'ATTACK_INVALID_CONFIG',
  ATTACK_UNKNOWN: 'ATTACK_UNKNOWN',
  // Training and hardening.
  TRAINING_INVALID_CONFIG: 'TRAINING_INVALID_CONFIG',
  /** A robustness-distillation teacher measured below the floor at the job's eps (details carry the numbers). */
  TEACHER_NOT_ROBUST: 'TEACHER_NOT_ROBUST',
  // Edge checks (edge/src/device): the compact sample file, the check bundle, the report submission.
  EDGE_SAMPLE_BAD_MAGIC: 'EDGE_SAMPLE_BAD_MAGIC',
  EDGE_SAMPLE_UNSUPPORTED_VERSION: 'EDGE_SAMPLE_UNSUPPORTED_VERSION',
  EDGE_SAMPLE_UNSUPPORTED_DTYPE: 'EDGE_SAMPLE_UNSUPPORTED_DTYPE',
  EDGE_SAMPLE_TRUNCATED: 'EDGE_SAMPLE_TRUNCATED',
  EDGE_SAMPLE_SIZE_MISMATCH: 'EDGE_SAMPLE_SIZE_MISMATCH',
  EDGE_SAMPLE_BAD_SHAPE: 'EDGE_SAMPLE_BAD_SHAPE',
  EDGE_SAMPLE_LABEL_OUT_OF_RANGE: 'EDGE_SAMPLE_LABEL_OUT_OF_RANGE',
  EDGE_SAMPLE_INVALID_PIXELS: 'EDGE_SAMPLE_INVALID_PIXELS',
  EDGE_CHECK_INVALID_OPTIONS: 'EDGE_CHECK_INVALID_OPTIONS',
  EDGE_BUNDLE_FETCH_FAILED: 'EDGE_BUNDLE_FETCH_FAILED',
  EDGE_BUNDLE_INVALID: 'EDGE_BUNDLE_INVALID',
  EDGE_MODEL_HASH_MISMATCH: 'EDGE_MODEL_HASH_MISMATCH',
  EDGE_SAMPLE_HASH_MISMATCH: 'EDGE_SAMPLE_HASH_MISMATCH',
  EDGE_SUBMIT_FAILED: 'EDGE_SUBMIT_FAILED',
  EDGE_SUBMIT_REJECTED: 'EDGE_SUBMIT_REJECTED',
  // Cooperative cancellation through an AbortSignal.
  ABORTED: 'ABORTED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class TemperError extends Error {
  readonly code: ErrorCode;
  /** Structured facts about the failure (file names, expected vs. actual sizes) for APIs and logs. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** A model file, manifest, shard or model metadata that Temper cannot accept. */
export class ModelFormatError extends TemperError {}

/** A model that is well-formed but does not fit the dataset or the method it is used with. */
export class ModelCompatibilityError extends TemperError {}

/** A dataset file that is malformed, truncated or inconsistent. */
export class DatasetFormatError extends TemperError {}

/** A dataset name or split request that cannot be served. */
export class DatasetError extends TemperError {}

/** A compute backend that was requested but cannot be used. */
export class BackendError extends TemperError {}

/** A zoo architecture that does not exist or options it cannot take. */
export class ZooError extends TemperError {}

/** Attack or evaluation settings that are out of range. */
export class AttackConfigError extends TemperError {}

/** Training or hardening settings that are out of range or inconsistent. */
export class TrainingConfigError extends TemperError {}

/** Thrown when an AbortSignal fires during a long-running loop. */
export class AbortedError extends TemperError {
  constructor(message = 'The operation was cancelled.') {
    super(ErrorCodes.ABORTED, message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}

export function isTemperError(e: unknown): e is TemperError {
  return e instanceof TemperError;
}
