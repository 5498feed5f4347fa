import type { JobStatus } from './job-statuses.ts';

/**
 * The records the schema resolves: plain data as the server's store returns it. The schema never
 * touches the store directly; it goes through `TemperServices` (services.ts), so these shapes and
 * that port are the whole contract between the two packages.
 */

export type ModelSource = 'UPLOADED' | 'ZOO' | 'HARDENED';
export type DatasetSource = 'BUILTIN' | 'UPLOADED';
export type DatasetFormat = 'BUILTIN' | 'IDX' | 'CIFAR10';
export type JobKind = 'HARDEN' | 'EVALUATE' | 'TRAIN_ZOO' | 'EDGE_SAMPLE';

export interface OwnerRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** An API token as its owner may see it: never the secret, which is shown once when it is minted. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly label: string | null;
  readonly createdAt: string;
  /** After this the token is refused; null: never. */
  readonly expiresAt: string | null;
}

export interface ModelFileRecord {
  /** The file name as served (model.json, weights.bin or the uploaded shard names). */
  readonly name: string;
  /** sha256 of the bytes: the artifact's content address. */
  readonly artifact: string;
  readonly bytes: number;
}

export interface ModelRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly name: string;
  readonly source: ModelSource;
  readonly format: string;
  readonly producer: string | null;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly parameterCount: number;
  readonly sha256: string;
  readonly featureLayer: string;
  readonly outputsWereSoftmax: boolean;
  readonly preprocessing: unknown;
  readonly architecture: string | null;
  readonly files: readonly ModelFileRecord[];
  readonly warnings: readonly string[];
  readonly createdByJobId: string | null;
  readonly createdAt: string;
  /** A teacher a hardening job trained for its owner (teacher: AUTO): the key later jobs reuse it by. */
  readonly autoTeacherKey?: string | null;
  /** What made the model, where Temper knows more than its lineage (an auto teacher's recipe and budget). */
  readonly metadata?: Readonly<Record<string, unknown>> | null;
}

export interface DatasetRecord {
  readonly id: string;
  /** null for the built-in datasets everyone sees. */
  readonly ownerId: string | null;
  readonly name: string;
  readonly source: DatasetSource;
  readonly format: DatasetFormat;
  readonly builtinName: string | null;
  /** Role (images, labels, batch0...) to artifact sha256. */
  readonly files: Readonly<Record<string, string>>;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly count: number;
  readonly classNames: readonly string[] | null;
  readonly trainSize: number;
  readonly testSize: number;
  readonly createdAt: string;
}

export interface JobRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  /** Hardening method, or 'natural' for zoo training, or null for evaluations. */
  readonly method: string | null;
  /** The request as the client made it (validated). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The full configuration with every default applied (null until the worker resolved it). */
  readonly config: Readonly<Record<string, unknown>> | null;
  readonly seed: number;
  readonly modelId: string | null;
  readonly teacherId: string | null;
  readonly datasetId: string;
  readonly resultModelId: string | null;
  readonly evaluationId: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** The latest progress event's payload. */
  readonly progress: JobProgressRecord | null;
  readonly attempts: number;
  readonly lastSequence: number;
  readonly checkpointEpoch: number | null;
  readonly cancelRequested: boolean;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly updatedAt: string;
}

/**
 * A progress event's payload: the union of what every job kind reports (server/src/jobs/kinds),
 * each field present where the kind and phase have it.
 */
export interface JobProgressRecord {
  /** preparing, training, evaluating, predicting. */
  readonly phase?: string;
  /** Hardening with teacher AUTO: "teacher" during the job's first stage (training its teacher), then "student". */
  readonly stage?: string;
  readonly message?: string;
  readonly epoch?: number;
  readonly epochs?: number;
  readonly step?: number;
  readonly totalSteps?: number;
  /** Done fraction in [0,1] (evaluations: of the whole evaluation). */
  readonly fraction?: number;
  readonly terms?: Readonly<Record<string, number>>;
  readonly learningRate?: number;
  readonly examplesPerSecond?: number;
  readonly etaSeconds?: number;
  readonly heldOutCleanAccuracy?: number;
  readonly heldOutPgdAccuracy?: number;
  /** Evaluations: samples attacked in the current attack stage, of how many. */
  readonly samplesDone?: number;
  readonly samplesTotal?: number;
  readonly attack?: string;
  readonly eps?: number;
  /** Evaluations: share of the sample still robust at the current eps so far. */
  readonly robustAccuracy?: number;
}

export type JobEventKind = 'STATUS' | 'PROGRESS' | 'LOG' | 'CHECKPOINT';

export interface JobEventRecord {
  readonly jobId: string;
  /** 1, 2, 3... per job, without gaps: a subscriber that sees a gap knows it missed events. */
  readonly sequence: number;
  readonly kind: JobEventKind;
  readonly status: JobStatus;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

export interface EvaluationRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly modelId: string;
  readonly datasetId: string;
  readonly jobId: string | null;
  readonly cleanAccuracy: number;
  readonly report: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** FLAGGED: the latest report's integrity is in doubt; FAILED: it is below the check's thresholds (@temper/edge: device/verdict.ts). */
export type EdgeCheckStatus = 'PENDING' | 'PASSED' | 'FLAGGED' | 'FAILED';

/** What the device runs (@temper/edge: device/transport.ts EdgeCheckSettings, as stored). */
export interface EdgeCheckSettingsRecord {
  readonly eps: number;
  readonly squareQueries: number;
  readonly pgdSteps: number;
  readonly seed: number;
  readonly attackCount: number;
  readonly sampleSize: number;
  readonly latency?: Readonly<Record<string, number>>;
  /** What a report must reach to pass; absent: only integrity is judged. */
  readonly thresholds?: EdgeThresholdsRecord;
}

export interface EdgeThresholdsRecord {
  readonly minCleanAccuracy?: number;
  readonly minRobustAccuracy?: number;
  readonly minAgreement?: number;
}

/** An edge check (issue #7): a bundle a device downloads, runs on itself and reports back. */
export interface EdgeCheckRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly modelId: string;
  readonly datasetId: string;
  readonly surrogateIds: readonly string[];
  readonly settings: EdgeCheckSettingsRecord;
  /** The binary sample's artifact (its sha256 is the file's SHA-256). */
  readonly sampleArtifact: string;
  /** The student's sha256 when the check was created: what the bundle announces. */
  readonly modelSha256: string;
  readonly status: EdgeCheckStatus;
  readonly createdAt: string;
}

export interface EdgeFlagRecord {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A device's report on an edge check, with the flags the server computed itself. */
export interface EdgeReportRecord {
  readonly id: string;
  readonly checkId: string;
  readonly ownerId: string;
  readonly backend: string;
  readonly agreementRate: number | null;
  readonly flags: readonly EdgeFlagRecord[];
  /** The EdgeReport as submitted (@temper/edge: device/report.ts). */
  readonly report: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}
