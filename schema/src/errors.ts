/**
 * Errors the API itself raises (the model and dataset errors come from edge's taxonomy). Like
 * TemperError, each carries a stable `code`; the schema lists these classes, never a blanket
 * `Error`, so anything unexpected stays masked by yoga.
 */
export const ApiErrorCodes = {
  NOT_FOUND: 'NOT_FOUND',
  MODEL_IN_USE: 'MODEL_IN_USE',
  JOB_FINISHED: 'JOB_FINISHED',
  UPLOAD_MISSING_FILE: 'UPLOAD_MISSING_FILE',
  UPLOAD_TOO_LARGE: 'UPLOAD_TOO_LARGE',
  UPLOAD_DUPLICATE_FILE: 'UPLOAD_DUPLICATE_FILE',
  TEACHER_REQUIRED: 'TEACHER_REQUIRED',
  TEACHER_NOT_USED: 'TEACHER_NOT_USED',
  DATASET_MISMATCH: 'DATASET_MISMATCH',
  EDGE_SAMPLE_TOO_LARGE: 'EDGE_SAMPLE_TOO_LARGE',
  /** The edge check's sample job failed or no worker ran it in time. */
  EDGE_SAMPLE_FAILED: 'EDGE_SAMPLE_FAILED',
  EDGE_REPORT_INVALID: 'EDGE_REPORT_INVALID',
  /** samples(eps:) or examples(eps:) at a radius the evaluation did not run. */
  EPS_NOT_EVALUATED: 'EPS_NOT_EVALUATED',
} as const;

export type ApiErrorCode = (typeof ApiErrorCodes)[keyof typeof ApiErrorCodes];

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: ApiErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The object does not exist, or belongs to another owner (the two are indistinguishable on purpose). */
export class NotFoundError extends ApiError {
  constructor(typename: string, id: string) {
    super(ApiErrorCodes.NOT_FOUND, `No ${typename} with id ${id}.`, { typename, id });
  }
}

/** The request conflicts with the object's state: a model a job still uses, a job already finished. */
export class ConflictError extends ApiError {}

/** The multipart request does not carry the files the mutation needs, or carries too much. */
export class UploadError extends ApiError {}

/** Arguments that are well-typed but do not fit together (a teacher for a method that takes none). */
export class InvalidRequestError extends ApiError {}
