/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AttackInput = {
  /** fgsm, pgd, apgd-ce, apgd-t, apgd-dlr, square... */
  attack: string;
  /** Attack settings (eps comes from the evaluation). */
  config?: unknown;
};

export type CreateEdgeCheckInput = {
  /** Rows Square and transfer attack (default min(sampleSize, 100)). */
  attackCount?: number | null | undefined;
  /** The sample is the first sampleSize rows of its test split. */
  dataset: string | number;
  eps: number;
  /** A report whose clean predictions match the server's on less than this fraction FAILS. */
  minAgreement?: number | null | undefined;
  /** A report below this clean accuracy FAILS. */
  minCleanAccuracy?: number | null | undefined;
  /** A report below this robust accuracy at eps (lower of Square and transfer) FAILS. */
  minRobustAccuracy?: number | null | undefined;
  /** The student the device checks. */
  model: string | number;
  pgdSteps?: number | null | undefined;
  sampleSize?: number | null | undefined;
  seed?: number | null | undefined;
  squareQueries?: number | null | undefined;
  /** Models the transfer attack crafts on (at least one). */
  surrogates: Array<string | number>;
};

export type CreateZooModelInput = {
  /** A zoo architecture name (serverInfo.zooArchitectures). */
  architecture: string;
  batchSize?: number | null | undefined;
  /** Fixes the input shape and class count; the training data when epochs > 0. */
  dataset: string | number;
  /** 0: initialized only; more: trained naturally for that many epochs. */
  epochs?: number | null | undefined;
  featureWidth?: number | null | undefined;
  name?: string | null | undefined;
  seed?: number | null | undefined;
};

export type DatasetFormat =
  | 'BUILTIN'
  | 'CIFAR10'
  | 'IDX';

export type DatasetSource =
  | 'BUILTIN'
  | 'UPLOADED';

/** PENDING until a device reports; then the latest report's verdict: FLAGGED when it raised integrity flags (the device may not compute the served model), FAILED when it is below the check's thresholds, PASSED when neither. */
export type EdgeCheckStatus =
  | 'FAILED'
  | 'FLAGGED'
  | 'PASSED'
  | 'PENDING';

/** OK, or FLAGGED when the server raised integrity flags on the report (the device may not compute the served model). */
export type EdgeIntegrity =
  | 'FLAGGED'
  | 'OK';

/** PASSED or FAILED against the thresholds; NOT_CHECKED when the check has none. */
export type EdgeRobustness =
  | 'FAILED'
  | 'NOT_CHECKED'
  | 'PASSED';

export type EvaluateModelInput = {
  /** The ensemble, in order; default: standard (APGD-CE, APGD-T, Square). */
  attacks?: Array<AttackInput> | null | undefined;
  /** Its test split is attacked. */
  dataset: string | number;
  eps: Array<number>;
  model: string | number;
  /** Test examples attacked (default 1000). */
  sampleSize?: number | null | undefined;
  seed?: number | null | undefined;
};

export type HardenModelInput = {
  batchSize?: number | null | undefined;
  dataset: string | number;
  epochs: number;
  /** L-inf radius in [0,1] pixel units. */
  eps: number;
  evaluation?: HardeningEvaluationInput | null | undefined;
  method: HardeningMethod;
  /** Name of the hardened model. */
  name?: string | null | undefined;
  /** Method parameters (lambda, beta, steps, stepSize, lr...); unknown keys fail the job with TRAINING_INVALID_CONFIG. */
  params?: unknown;
  seed?: number | null | undefined;
  /** Copied and trained; the original stays as it is. */
  student: string | number;
  /** Required by KD, ARD, RSLAD, RRM and IGAM; refused otherwise. A Model id, or "AUTO" (any case): the owner's robust teacher for this dataset and eps, trained by PGD-AT as the job's first stage when there is none yet and reused by later jobs (params.teacherEpochs, teacherArchitecture, teacherBatchSize set its budget; see docs/teachers.md). */
  teacher?: string | number | null | undefined;
};

/** The final robustness evaluation; default: the standard ensemble at [eps] on 1000 test examples. */
export type HardeningEvaluationInput = {
  /** A list of {attack, config} (edge AttackSpec); default: standard. */
  attacks?: unknown;
  eps?: Array<number> | null | undefined;
  sampleSize?: number | null | undefined;
};

/** How a model is hardened (see docs/methods.md). */
export type HardeningMethod =
  /** Adversarial logit pairing. */
  | 'ALP'
  /** Adversarially robust distillation (Goldblum et al.). */
  | 'ARD'
  /** Clean logit pairing. */
  | 'CLP'
  /** FGSM with random start (Wong et al.). */
  | 'FAST_AT'
  /** Free adversarial training (Shafahi et al.). */
  | 'FREE_AT'
  /** Input-gradient adversarial matching with the teacher. */
  | 'IGAM'
  /** Knowledge distillation from the teacher, no attack. */
  | 'KD'
  /** Logit squeezing. */
  | 'LSQ'
  /** Plain cross-entropy training (the reference point). */
  | 'NATURAL'
  /** Madry et al. PGD adversarial training. */
  | 'PGD_AT'
  /** Robust representation matching with the teacher's features. */
  | 'RRM'
  /** Robust soft-label adversarial distillation (Zi et al.). */
  | 'RSLAD'
  /** TRADES (Zhang et al.). */
  | 'TRADES';

export type JobEventKind =
  /** A checkpoint was saved; a restarted job resumes from the latest one. */
  | 'CHECKPOINT'
  /** A log line. */
  | 'LOG'
  /** A training or evaluation progress report. */
  | 'PROGRESS'
  /** The job changed status. */
  | 'STATUS';

export type JobKind =
  /** createEdgeCheck's sample */
  | 'EDGE_SAMPLE'
  /** evaluateModel */
  | 'EVALUATE'
  /** hardenModel */
  | 'HARDEN'
  /** createZooModel */
  | 'TRAIN_ZOO';

export type JobStatus =
  /** Cancelled by its owner (cancelJob). */
  | 'CANCELLED'
  /** See `error`. */
  | 'FAILED'
  /** Waiting in the durable queue for a worker. */
  | 'QUEUED'
  /** A worker process is running it. */
  | 'RUNNING'
  /** Finished with a result (a model, a report). */
  | 'SUCCEEDED';

export type ModelSource =
  /** The student a hardening job produced. */
  | 'HARDENED'
  /** Uploaded through uploadModel. */
  | 'UPLOADED'
  /** Built from a zoo architecture (createZooModel). */
  | 'ZOO';

export type UploadDatasetFormat =
  | 'CIFAR10'
  | 'IDX';

export type UploadDatasetInput = {
  /** CIFAR10: binary batch files (data_batch_*.bin, test_batch.bin), in order. */
  batches?: Array<Blob> | null | undefined;
  classNames?: Array<string> | null | undefined;
  format: UploadDatasetFormat;
  /** IDX: the images file (raw or gzip). */
  images?: Blob | null | undefined;
  /** IDX: the labels file (raw or gzip). */
  labels?: Blob | null | undefined;
  /** CIFAR10: batches.meta.txt. */
  meta?: Blob | null | undefined;
  name: string;
  numClasses?: number | null | undefined;
  testSize?: number | null | undefined;
  trainSize?: number | null | undefined;
};

export type UploadModelInput = {
  featureLayer?: string | null | undefined;
  /** The model.json file of a tfjs layers model. */
  modelJson: Blob;
  name: string;
  /** How the model expects [0,1] pixels to be transformed; default: what model.json records, else none. */
  preprocessing?: unknown;
  /** Every weight shard model.json lists, under the file names it lists. */
  weights: Array<Blob>;
};

export type ProgressFieldsFragment = { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null };

export type ModelFieldsFragment = { id: string, name: string, source: ModelSource, architecture: string | null, sha256: string, parameterCount: number, inputShape: Array<number>, numClasses: number, featureLayer: string, createdAt: string, warnings: Array<string>, preprocessing: unknown, producer: string | null, outputsWereSoftmax: boolean, warningDetails: Array<{ code: string | null, message: string }>, files: Array<{ name: string, bytes: number, sha256: string, url: string }> };

export type DatasetFieldsFragment = { id: string, name: string, count: number, trainSize: number, testSize: number, inputShape: Array<number>, numClasses: number, datasetFormat: DatasetFormat, datasetSource: DatasetSource };

export type EvaluationFieldsFragment = { id: string, createdAt: string, cleanAccuracy: number, numExamples: number, backend: string, seed: number, report: unknown, epsCurve: Array<{ eps: number, robustAccuracy: number }>, flags: Array<{ code: string, message: string, eps: number | null }>, model: { id: string, name: string, sha256: string } | null, dataset: { id: string, name: string } | null };

type JobFields_EdgeSampleJob_Fragment = { __typename: 'EdgeSampleJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null };

type JobFields_EvaluationJob_Fragment = { __typename: 'EvaluationJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evalEps: Array<number>, model: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null };

type JobFields_HardeningJob_Fragment = { __typename: 'HardeningJob', method: HardeningMethod, eps: number, epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null };

type JobFields_ZooTrainingJob_Fragment = { __typename: 'ZooTrainingJob', epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, zooArchitecture: string, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null };

export type JobFieldsFragment =
  | JobFields_EdgeSampleJob_Fragment
  | JobFields_EvaluationJob_Fragment
  | JobFields_HardeningJob_Fragment
  | JobFields_ZooTrainingJob_Fragment
;

export type WhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoAmIQuery = { viewer: { name: string }, serverInfo: { version: string, backend: string | null, hardeningAvailable: boolean, queuedJobs: number, runningJobs: number } };

export type DatasetsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type DatasetsQuery = { viewer: { datasets: { edges: Array<{ node: { id: string, name: string, count: number, trainSize: number, testSize: number, inputShape: Array<number>, numClasses: number, datasetFormat: DatasetFormat, datasetSource: DatasetSource } }> } } };

export type NodeQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeQuery = { node:
    | { __typename: 'Dataset', id: string, name: string, count: number, trainSize: number, testSize: number, inputShape: Array<number>, numClasses: number, datasetFormat: DatasetFormat, datasetSource: DatasetSource }
    | { __typename: 'EdgeCheck', id: string, createdAt: string, settings: unknown, modelSha256: string, bundleUrl: string, checkStatus: EdgeCheckStatus, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, surrogates: Array<{ id: string, name: string } | null>, flags: Array<{ code: string, message: string }>, thresholds: { minCleanAccuracy: number | null, minRobustAccuracy: number | null, minAgreement: number | null } | null, verdict: { status: string, integrity: EdgeIntegrity, robustness: EdgeRobustness, flagCodes: Array<string>, summary: string, reasons: Array<{ code: string, message: string, measure: string, threshold: number, actual: number | null }> } | null, reports: Array<{ id: string, createdAt: string, backend: string, cleanAccuracy: number | null, squareRobustAccuracy: number | null, transferRobustAccuracy: number | null, agreement: { agree: number, count: number, rate: number, ok: boolean } | null, flags: Array<{ code: string, message: string }> }> }
    | { __typename: 'EdgeSampleJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'Evaluation', id: string, createdAt: string, cleanAccuracy: number, numExamples: number, backend: string, seed: number, report: unknown, epsCurve: Array<{ eps: number, robustAccuracy: number }>, flags: Array<{ code: string, message: string, eps: number | null }>, model: { id: string, name: string, sha256: string } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'EvaluationJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evalEps: Array<number>, model: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'HardeningJob', id: string, method: HardeningMethod, eps: number, epochs: number, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'Model', id: string, name: string, source: ModelSource, architecture: string | null, sha256: string, parameterCount: number, inputShape: Array<number>, numClasses: number, featureLayer: string, createdAt: string, warnings: Array<string>, preprocessing: unknown, producer: string | null, outputsWereSoftmax: boolean, createdBy:
        | { __typename: 'EdgeSampleJob', id: string, dataset: { id: string, name: string } | null }
        | { __typename: 'EvaluationJob', id: string, dataset: { id: string, name: string } | null }
        | { __typename: 'HardeningJob', id: string, dataset: { id: string, name: string } | null }
        | { __typename: 'ZooTrainingJob', id: string, dataset: { id: string, name: string } | null }
       | null, warningDetails: Array<{ code: string | null, message: string }>, files: Array<{ name: string, bytes: number, sha256: string, url: string }> }
    | { __typename: 'ZooTrainingJob', id: string, epochs: number, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, zooArchitecture: string, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
   | null };

export type JobWithEvaluationQueryVariables = Exact<{
  id: string | number;
}>;


export type JobWithEvaluationQuery = { node:
    | { __typename: 'Dataset', id: string }
    | { __typename: 'EdgeCheck', id: string }
    | { __typename: 'EdgeSampleJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'Evaluation', id: string, createdAt: string, cleanAccuracy: number, numExamples: number, backend: string, seed: number, report: unknown, epsCurve: Array<{ eps: number, robustAccuracy: number }>, flags: Array<{ code: string, message: string, eps: number | null }>, model: { id: string, name: string, sha256: string } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'EvaluationJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evalEps: Array<number>, evaluation: { id: string, createdAt: string, cleanAccuracy: number, numExamples: number, backend: string, seed: number, report: unknown, epsCurve: Array<{ eps: number, robustAccuracy: number }>, flags: Array<{ code: string, message: string, eps: number | null }>, model: { id: string, name: string, sha256: string } | null, dataset: { id: string, name: string } | null } | null, model: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'HardeningJob', id: string, method: HardeningMethod, eps: number, epochs: number, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evaluation: { id: string, createdAt: string, cleanAccuracy: number, numExamples: number, backend: string, seed: number, report: unknown, epsCurve: Array<{ eps: number, robustAccuracy: number }>, flags: Array<{ code: string, message: string, eps: number | null }>, model: { id: string, name: string, sha256: string } | null, dataset: { id: string, name: string } | null } | null, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'Model', id: string }
    | { __typename: 'ZooTrainingJob', id: string, epochs: number, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, zooArchitecture: string, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
   | null };

export type JobTimelineQueryVariables = Exact<{
  id: string | number;
  afterSequence?: number | null | undefined;
  limit?: number | null | undefined;
}>;


export type JobTimelineQuery = { node:
    | { __typename: 'Dataset' }
    | { __typename: 'EdgeCheck' }
    | { __typename: 'EdgeSampleJob', timeline: Array<{ sequence: number, kind: JobEventKind, status: JobStatus, message: string | null, createdAt: string }> }
    | { __typename: 'Evaluation' }
    | { __typename: 'EvaluationJob', timeline: Array<{ sequence: number, kind: JobEventKind, status: JobStatus, message: string | null, createdAt: string }> }
    | { __typename: 'HardeningJob', timeline: Array<{ sequence: number, kind: JobEventKind, status: JobStatus, message: string | null, createdAt: string }> }
    | { __typename: 'Model' }
    | { __typename: 'ZooTrainingJob', timeline: Array<{ sequence: number, kind: JobEventKind, status: JobStatus, message: string | null, createdAt: string }> }
   | null };

export type JobsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  status?: Array<JobStatus> | JobStatus | null | undefined;
  kind?: Array<JobKind> | JobKind | null | undefined;
}>;


export type JobsQuery = { viewer: { jobs: { edges: Array<{ node:
          | { __typename: 'EdgeSampleJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
          | { __typename: 'EvaluationJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evalEps: Array<number>, model: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
          | { __typename: 'HardeningJob', method: HardeningMethod, eps: number, epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
          | { __typename: 'ZooTrainingJob', epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, zooArchitecture: string, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
         }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type UploadModelMutationVariables = Exact<{
  input: UploadModelInput;
}>;


export type UploadModelMutation = { uploadModel:
    | { __typename: 'ModelCompatibilityError', code: string, message: string, details: unknown }
    | { __typename: 'ModelFormatError', code: string, message: string, details: unknown }
    | { __typename: 'MutationUploadModelSuccess', data: { id: string, name: string, source: ModelSource, architecture: string | null, sha256: string, parameterCount: number, inputShape: Array<number>, numClasses: number, featureLayer: string, createdAt: string, warnings: Array<string>, preprocessing: unknown, producer: string | null, outputsWereSoftmax: boolean, warningDetails: Array<{ code: string | null, message: string }>, files: Array<{ name: string, bytes: number, sha256: string, url: string }> } }
    | { __typename: 'UploadError', code: string, message: string, details: unknown }
   };

export type UploadDatasetMutationVariables = Exact<{
  input: UploadDatasetInput;
}>;


export type UploadDatasetMutation = { uploadDataset:
    | { __typename: 'DatasetError', code: string, message: string, details: unknown }
    | { __typename: 'DatasetFormatError', code: string, message: string, details: unknown }
    | { __typename: 'MutationUploadDatasetSuccess', data: { id: string, name: string, count: number, trainSize: number, testSize: number, inputShape: Array<number>, numClasses: number, datasetFormat: DatasetFormat, datasetSource: DatasetSource } }
    | { __typename: 'UploadError', code: string, message: string, details: unknown }
   };

export type CreateZooModelMutationVariables = Exact<{
  input: CreateZooModelInput;
}>;


export type CreateZooModelMutation = { createZooModel:
    | { __typename: 'DatasetError', code: string, message: string, details: unknown }
    | { __typename: 'MutationCreateZooModelSuccess', data: { __typename: 'ZooTrainingJob', epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, zooArchitecture: string, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null } }
    | { __typename: 'NotFoundError', code: string, message: string, details: unknown }
    | { __typename: 'ZooError', code: string, message: string, details: unknown }
   };

export type HardenModelMutationVariables = Exact<{
  input: HardenModelInput;
}>;


export type HardenModelMutation = { hardenModel:
    | { __typename: 'AttackConfigError', code: string, message: string, details: unknown }
    | { __typename: 'DatasetError', code: string, message: string, details: unknown }
    | { __typename: 'InvalidRequestError', code: string, message: string, details: unknown }
    | { __typename: 'ModelCompatibilityError', code: string, message: string, details: unknown }
    | { __typename: 'MutationHardenModelSuccess', data: { __typename: 'HardeningJob', method: HardeningMethod, eps: number, epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null } }
    | { __typename: 'NotFoundError', code: string, message: string, details: unknown }
    | { __typename: 'TrainingConfigError', code: string, message: string, details: unknown }
   };

export type EvaluateModelMutationVariables = Exact<{
  input: EvaluateModelInput;
}>;


export type EvaluateModelMutation = { evaluateModel:
    | { __typename: 'AttackConfigError', code: string, message: string, details: unknown }
    | { __typename: 'DatasetError', code: string, message: string, details: unknown }
    | { __typename: 'ModelCompatibilityError', code: string, message: string, details: unknown }
    | { __typename: 'MutationEvaluateModelSuccess', data: { __typename: 'EvaluationJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evalEps: Array<number>, model: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null } }
    | { __typename: 'NotFoundError', code: string, message: string, details: unknown }
   };

export type CancelJobMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelJobMutation = { cancelJob:
    | { __typename: 'ConflictError', code: string, message: string, details: unknown }
    | { __typename: 'MutationCancelJobSuccess', data:
        | { __typename: 'EdgeSampleJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
        | { __typename: 'EvaluationJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evalEps: Array<number>, model: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
        | { __typename: 'HardeningJob', method: HardeningMethod, eps: number, epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
        | { __typename: 'ZooTrainingJob', epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, zooArchitecture: string, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
       }
    | { __typename: 'NotFoundError', code: string, message: string, details: unknown }
   };

export type JobProgressSubscriptionVariables = Exact<{
  id: string | number;
  afterSequence?: number | null | undefined;
}>;


export type JobProgressSubscription = { jobProgress: { sequence: number, kind: JobEventKind, status: JobStatus, message: string | null, createdAt: string, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null } };

export type EdgeCheckFieldsFragment = { id: string, createdAt: string, settings: unknown, modelSha256: string, bundleUrl: string, checkStatus: EdgeCheckStatus, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, surrogates: Array<{ id: string, name: string } | null>, flags: Array<{ code: string, message: string }>, thresholds: { minCleanAccuracy: number | null, minRobustAccuracy: number | null, minAgreement: number | null } | null, verdict: { status: string, integrity: EdgeIntegrity, robustness: EdgeRobustness, flagCodes: Array<string>, summary: string, reasons: Array<{ code: string, message: string, measure: string, threshold: number, actual: number | null }> } | null, reports: Array<{ id: string, createdAt: string, backend: string, cleanAccuracy: number | null, squareRobustAccuracy: number | null, transferRobustAccuracy: number | null, agreement: { agree: number, count: number, rate: number, ok: boolean } | null, flags: Array<{ code: string, message: string }> }> };

export type ModelsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  source?: Array<ModelSource> | ModelSource | null | undefined;
}>;


export type ModelsQuery = { viewer: { models: { edges: Array<{ node: { id: string, name: string, source: ModelSource, architecture: string | null, sha256: string, parameterCount: number, inputShape: Array<number>, numClasses: number, featureLayer: string, createdAt: string, warnings: Array<string>, preprocessing: unknown, producer: string | null, outputsWereSoftmax: boolean, warningDetails: Array<{ code: string | null, message: string }>, files: Array<{ name: string, bytes: number, sha256: string, url: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type DatasetsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DatasetsPageQuery = { viewer: { datasets: { edges: Array<{ node: { createdAt: string, classNames: Array<string> | null, id: string, name: string, count: number, trainSize: number, testSize: number, inputShape: Array<number>, numClasses: number, datasetFormat: DatasetFormat, datasetSource: DatasetSource } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type EdgeChecksQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type EdgeChecksQuery = { viewer: { edgeChecks: { edges: Array<{ node: { id: string, createdAt: string, settings: unknown, modelSha256: string, bundleUrl: string, checkStatus: EdgeCheckStatus, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, surrogates: Array<{ id: string, name: string } | null>, flags: Array<{ code: string, message: string }>, thresholds: { minCleanAccuracy: number | null, minRobustAccuracy: number | null, minAgreement: number | null } | null, verdict: { status: string, integrity: EdgeIntegrity, robustness: EdgeRobustness, flagCodes: Array<string>, summary: string, reasons: Array<{ code: string, message: string, measure: string, threshold: number, actual: number | null }> } | null, reports: Array<{ id: string, createdAt: string, backend: string, cleanAccuracy: number | null, squareRobustAccuracy: number | null, transferRobustAccuracy: number | null, agreement: { agree: number, count: number, rate: number, ok: boolean } | null, flags: Array<{ code: string, message: string }> }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type ModelEvaluationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ModelEvaluationsQuery = { viewer: { models: { edges: Array<{ node: { id: string, name: string, evaluations: Array<{ id: string, createdAt: string, cleanAccuracy: number, numExamples: number, backend: string, seed: number, epsCurve: Array<{ eps: number, robustAccuracy: number }>, flags: Array<{ code: string }>, dataset: { id: string, name: string } | null }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type IdIndexQueryVariables = Exact<{
  first?: number | null | undefined;
  jobsAfter?: string | null | undefined;
  modelsAfter?: string | null | undefined;
}>;


export type IdIndexQuery = { viewer: { models: { edges: Array<{ node: { id: string, name: string, evaluations: Array<{ id: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, datasets: { edges: Array<{ node: { id: string, name: string } }> }, edgeChecks: { edges: Array<{ node: { id: string } }> }, jobs: { edges: Array<{ node:
          | { __typename: 'EdgeSampleJob', id: string }
          | { __typename: 'EvaluationJob', id: string }
          | { __typename: 'HardeningJob', id: string }
          | { __typename: 'ZooTrainingJob', id: string }
         }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type DeleteModelMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteModelMutation = { deleteModel:
    | { __typename: 'ConflictError', code: string, message: string, details: unknown }
    | { __typename: 'MutationDeleteModelSuccess', data: string }
    | { __typename: 'NotFoundError', code: string, message: string, details: unknown }
   };

export type CreateEdgeCheckMutationVariables = Exact<{
  input: CreateEdgeCheckInput;
}>;


export type CreateEdgeCheckMutation = { createEdgeCheck:
    | { __typename: 'DatasetError', code: string, message: string, details: unknown }
    | { __typename: 'InvalidRequestError', code: string, message: string, details: unknown }
    | { __typename: 'ModelCompatibilityError', code: string, message: string, details: unknown }
    | { __typename: 'MutationCreateEdgeCheckSuccess', data: { id: string, createdAt: string, settings: unknown, modelSha256: string, bundleUrl: string, checkStatus: EdgeCheckStatus, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, surrogates: Array<{ id: string, name: string } | null>, flags: Array<{ code: string, message: string }>, thresholds: { minCleanAccuracy: number | null, minRobustAccuracy: number | null, minAgreement: number | null } | null, verdict: { status: string, integrity: EdgeIntegrity, robustness: EdgeRobustness, flagCodes: Array<string>, summary: string, reasons: Array<{ code: string, message: string, measure: string, threshold: number, actual: number | null }> } | null, reports: Array<{ id: string, createdAt: string, backend: string, cleanAccuracy: number | null, squareRobustAccuracy: number | null, transferRobustAccuracy: number | null, agreement: { agree: number, count: number, rate: number, ok: boolean } | null, flags: Array<{ code: string, message: string }> }> } }
    | { __typename: 'NotFoundError', code: string, message: string, details: unknown }
   };

export type ModelDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type ModelDetailQuery = { node:
    | { __typename: 'Dataset' }
    | { __typename: 'EdgeCheck' }
    | { __typename: 'EdgeSampleJob' }
    | { __typename: 'Evaluation' }
    | { __typename: 'EvaluationJob' }
    | { __typename: 'HardeningJob' }
    | { __typename: 'Model', modelJsonUrl: string, id: string, name: string, source: ModelSource, architecture: string | null, sha256: string, parameterCount: number, inputShape: Array<number>, numClasses: number, featureLayer: string, createdAt: string, warnings: Array<string>, preprocessing: unknown, producer: string | null, outputsWereSoftmax: boolean, createdBy:
        | { __typename: 'EdgeSampleJob', id: string, dataset: { id: string, name: string } | null }
        | { __typename: 'EvaluationJob', id: string, dataset: { id: string, name: string } | null }
        | { __typename: 'HardeningJob', id: string, dataset: { id: string, name: string } | null }
        | { __typename: 'ZooTrainingJob', id: string, dataset: { id: string, name: string } | null }
       | null, evaluations: Array<{ id: string, createdAt: string, cleanAccuracy: number, numExamples: number, epsCurve: Array<{ eps: number, robustAccuracy: number }>, dataset: { id: string, name: string } | null }>, warningDetails: Array<{ code: string | null, message: string }>, files: Array<{ name: string, bytes: number, sha256: string, url: string }> }
    | { __typename: 'ZooTrainingJob' }
   | null };

export type RunsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  status?: Array<JobStatus> | JobStatus | null | undefined;
  kind?: Array<JobKind> | JobKind | null | undefined;
}>;


export type RunsQuery = { viewer: { jobs: { edges: Array<{ node:
          | { __typename: 'EdgeSampleJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
          | { __typename: 'EvaluationJob', id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evalEps: Array<number>, evaluation: { id: string, cleanAccuracy: number, backend: string, epsCurve: Array<{ eps: number, robustAccuracy: number }> } | null, model: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
          | { __typename: 'HardeningJob', params: unknown, method: HardeningMethod, eps: number, epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evaluation: { id: string, cleanAccuracy: number, backend: string, epsCurve: Array<{ eps: number, robustAccuracy: number }> } | null, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
          | { __typename: 'ZooTrainingJob', epochs: number, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, zooArchitecture: string, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
         }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type ModelsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ModelsPageQuery = { viewer: { models: { edges: Array<{ node: { id: string, name: string, source: ModelSource, architecture: string | null, sha256: string, parameterCount: number, inputShape: Array<number>, numClasses: number, featureLayer: string, createdAt: string, warnings: Array<string>, preprocessing: unknown, producer: string | null, outputsWereSoftmax: boolean, createdBy:
            | { __typename: 'EdgeSampleJob', id: string, dataset: { id: string, name: string } | null }
            | { __typename: 'EvaluationJob', id: string, dataset: { id: string, name: string } | null }
            | { __typename: 'HardeningJob', method: HardeningMethod, eps: number, id: string, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, dataset: { id: string, name: string } | null }
            | { __typename: 'ZooTrainingJob', epochs: number, id: string, dataset: { id: string, name: string } | null }
           | null, warningDetails: Array<{ code: string | null, message: string }>, files: Array<{ name: string, bytes: number, sha256: string, url: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type ServerCatalogueQueryVariables = Exact<{ [key: string]: never; }>;


export type ServerCatalogueQuery = { serverInfo: { backend: string | null, hardeningAvailable: boolean, attacks: Array<string>, methods: Array<{ name: string, needsTeacher: boolean }>, zooArchitectures: Array<{ name: string, description: string }> } };

export type JobPageQueryVariables = Exact<{
  id: string | number;
}>;


export type JobPageQuery = { node:
    | { __typename: 'Dataset', id: string }
    | { __typename: 'EdgeCheck', id: string }
    | { __typename: 'EdgeSampleJob', config: unknown, input: unknown, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'Evaluation', id: string }
    | { __typename: 'EvaluationJob', config: unknown, input: unknown, id: string, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evalEps: Array<number>, evaluation: { id: string } | null, model: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'HardeningJob', config: unknown, input: unknown, params: unknown, id: string, method: HardeningMethod, eps: number, epochs: number, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, evaluation: { id: string } | null, student: { id: string, name: string } | null, teacher: { id: string, name: string } | null, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
    | { __typename: 'Model', id: string }
    | { __typename: 'ZooTrainingJob', config: unknown, input: unknown, id: string, epochs: number, kind: JobKind, status: JobStatus, createdAt: string, startedAt: string | null, finishedAt: string | null, attempts: number, checkpointEpoch: number | null, lastSequence: number, seed: number, zooArchitecture: string, resultModel: { id: string, name: string } | null, error: { code: string, message: string } | null, progress: { phase: string | null, stage: string | null, fraction: number, epoch: number | null, epochs: number | null, step: number | null, totalSteps: number | null, etaSeconds: number | null, examplesPerSecond: number | null, learningRate: number | null, terms: unknown, heldOutCleanAccuracy: number | null, heldOutPgdAccuracy: number | null, message: string | null } | null, dataset: { id: string, name: string } | null }
   | null };

export type EvaluationSamplesQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  eps?: number | null | undefined;
  robust?: boolean | null | undefined;
}>;


export type EvaluationSamplesQuery = { node:
    | { __typename: 'Dataset' }
    | { __typename: 'EdgeCheck' }
    | { __typename: 'EdgeSampleJob' }
    | { __typename: 'Evaluation', id: string, samples: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { index: number, label: number | null, cleanPrediction: number | null, cleanCorrect: boolean, results: Array<{ eps: number, epsFraction: string | null, robust: boolean, attack: string | null, step: number | null, query: number | null, margin: number | null, prediction: number | null }> } }> } }
    | { __typename: 'EvaluationJob' }
    | { __typename: 'HardeningJob' }
    | { __typename: 'Model' }
    | { __typename: 'ZooTrainingJob' }
   | null };

export type EvaluationExamplesQueryVariables = Exact<{
  id: string | number;
  eps?: number | null | undefined;
  first?: number | null | undefined;
}>;


export type EvaluationExamplesQuery = { node:
    | { __typename: 'Dataset' }
    | { __typename: 'EdgeCheck' }
    | { __typename: 'EdgeSampleJob' }
    | { __typename: 'Evaluation', id: string, examples: Array<{ eps: number, epsFraction: string | null, index: number, label: number, cleanPrediction: number, adversarialPrediction: number, attack: string, margin: number, shape: Array<number>, clean: Array<number>, adversarial: Array<number> }> }
    | { __typename: 'EvaluationJob' }
    | { __typename: 'HardeningJob' }
    | { __typename: 'Model' }
    | { __typename: 'ZooTrainingJob' }
   | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ModelFieldsFragmentDoc = new TypedDocumentString(`
    fragment ModelFields on Model {
  id
  name
  source
  architecture
  sha256
  parameterCount
  inputShape
  numClasses
  featureLayer
  createdAt
  warnings
  warningDetails {
    code
    message
  }
  preprocessing
  producer
  outputsWereSoftmax
  files {
    name
    bytes
    sha256
    url
  }
}
    `, {"fragmentName":"ModelFields"}) as unknown as TypedDocumentString<ModelFieldsFragment, unknown>;
export const DatasetFieldsFragmentDoc = new TypedDocumentString(`
    fragment DatasetFields on Dataset {
  id
  name
  datasetFormat: format
  datasetSource: source
  count
  trainSize
  testSize
  inputShape
  numClasses
}
    `, {"fragmentName":"DatasetFields"}) as unknown as TypedDocumentString<DatasetFieldsFragment, unknown>;
export const EvaluationFieldsFragmentDoc = new TypedDocumentString(`
    fragment EvaluationFields on Evaluation {
  id
  createdAt
  cleanAccuracy
  numExamples
  backend
  seed
  epsCurve {
    eps
    robustAccuracy
  }
  flags {
    code
    message
    eps
  }
  report
  model {
    id
    name
    sha256
  }
  dataset {
    id
    name
  }
}
    `, {"fragmentName":"EvaluationFields"}) as unknown as TypedDocumentString<EvaluationFieldsFragment, unknown>;
export const ProgressFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
    `, {"fragmentName":"ProgressFields"}) as unknown as TypedDocumentString<ProgressFieldsFragment, unknown>;
export const JobFieldsFragmentDoc = new TypedDocumentString(`
    fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}`, {"fragmentName":"JobFields"}) as unknown as TypedDocumentString<JobFieldsFragment, unknown>;
export const EdgeCheckFieldsFragmentDoc = new TypedDocumentString(`
    fragment EdgeCheckFields on EdgeCheck {
  id
  createdAt
  checkStatus: status
  settings
  modelSha256
  bundleUrl
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  surrogates {
    id
    name
  }
  flags {
    code
    message
  }
  thresholds {
    minCleanAccuracy
    minRobustAccuracy
    minAgreement
  }
  verdict {
    status
    integrity
    robustness
    flagCodes
    summary
    reasons {
      code
      message
      measure
      threshold
      actual
    }
  }
  reports {
    id
    createdAt
    backend
    cleanAccuracy
    squareRobustAccuracy
    transferRobustAccuracy
    agreement {
      agree
      count
      rate
      ok
    }
    flags {
      code
      message
    }
  }
}
    `, {"fragmentName":"EdgeCheckFields"}) as unknown as TypedDocumentString<EdgeCheckFieldsFragment, unknown>;
export const WhoAmIDocument = new TypedDocumentString(`
    query WhoAmI {
  viewer {
    name
  }
  serverInfo {
    version
    backend
    hardeningAvailable
    queuedJobs
    runningJobs
  }
}
    `) as unknown as TypedDocumentString<WhoAmIQuery, WhoAmIQueryVariables>;
export const DatasetsDocument = new TypedDocumentString(`
    query Datasets($first: Int) {
  viewer {
    datasets(first: $first) {
      edges {
        node {
          ...DatasetFields
        }
      }
    }
  }
}
    fragment DatasetFields on Dataset {
  id
  name
  datasetFormat: format
  datasetSource: source
  count
  trainSize
  testSize
  inputShape
  numClasses
}`) as unknown as TypedDocumentString<DatasetsQuery, DatasetsQueryVariables>;
export const NodeDocument = new TypedDocumentString(`
    query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ...JobFields
    ... on Model {
      ...ModelFields
      createdBy {
        __typename
        id
        dataset {
          id
          name
        }
      }
    }
    ... on Dataset {
      ...DatasetFields
    }
    ... on Evaluation {
      ...EvaluationFields
    }
    ... on EdgeCheck {
      ...EdgeCheckFields
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment ModelFields on Model {
  id
  name
  source
  architecture
  sha256
  parameterCount
  inputShape
  numClasses
  featureLayer
  createdAt
  warnings
  warningDetails {
    code
    message
  }
  preprocessing
  producer
  outputsWereSoftmax
  files {
    name
    bytes
    sha256
    url
  }
}
fragment DatasetFields on Dataset {
  id
  name
  datasetFormat: format
  datasetSource: source
  count
  trainSize
  testSize
  inputShape
  numClasses
}
fragment EvaluationFields on Evaluation {
  id
  createdAt
  cleanAccuracy
  numExamples
  backend
  seed
  epsCurve {
    eps
    robustAccuracy
  }
  flags {
    code
    message
    eps
  }
  report
  model {
    id
    name
    sha256
  }
  dataset {
    id
    name
  }
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}
fragment EdgeCheckFields on EdgeCheck {
  id
  createdAt
  checkStatus: status
  settings
  modelSha256
  bundleUrl
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  surrogates {
    id
    name
  }
  flags {
    code
    message
  }
  thresholds {
    minCleanAccuracy
    minRobustAccuracy
    minAgreement
  }
  verdict {
    status
    integrity
    robustness
    flagCodes
    summary
    reasons {
      code
      message
      measure
      threshold
      actual
    }
  }
  reports {
    id
    createdAt
    backend
    cleanAccuracy
    squareRobustAccuracy
    transferRobustAccuracy
    agreement {
      agree
      count
      rate
      ok
    }
    flags {
      code
      message
    }
  }
}`) as unknown as TypedDocumentString<NodeQuery, NodeQueryVariables>;
export const JobWithEvaluationDocument = new TypedDocumentString(`
    query JobWithEvaluation($id: ID!) {
  node(id: $id) {
    __typename
    id
    ...JobFields
    ... on HardeningJob {
      evaluation {
        ...EvaluationFields
      }
    }
    ... on EvaluationJob {
      evaluation {
        ...EvaluationFields
      }
    }
    ... on Evaluation {
      ...EvaluationFields
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment EvaluationFields on Evaluation {
  id
  createdAt
  cleanAccuracy
  numExamples
  backend
  seed
  epsCurve {
    eps
    robustAccuracy
  }
  flags {
    code
    message
    eps
  }
  report
  model {
    id
    name
    sha256
  }
  dataset {
    id
    name
  }
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<JobWithEvaluationQuery, JobWithEvaluationQueryVariables>;
export const JobTimelineDocument = new TypedDocumentString(`
    query JobTimeline($id: ID!, $afterSequence: Int, $limit: Int) {
  node(id: $id) {
    __typename
    ... on Job {
      timeline(afterSequence: $afterSequence, limit: $limit) {
        sequence
        kind
        status
        message
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobTimelineQuery, JobTimelineQueryVariables>;
export const JobsDocument = new TypedDocumentString(`
    query Jobs($first: Int, $after: String, $status: [JobStatus!], $kind: [JobKind!]) {
  viewer {
    jobs(first: $first, after: $after, status: $status, kind: $kind) {
      edges {
        node {
          ...JobFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<JobsQuery, JobsQueryVariables>;
export const UploadModelDocument = new TypedDocumentString(`
    mutation UploadModel($input: UploadModelInput!) {
  uploadModel(input: $input) {
    __typename
    ... on MutationUploadModelSuccess {
      data {
        ...ModelFields
      }
    }
    ... on DomainError {
      code
      message
      details
    }
  }
}
    fragment ModelFields on Model {
  id
  name
  source
  architecture
  sha256
  parameterCount
  inputShape
  numClasses
  featureLayer
  createdAt
  warnings
  warningDetails {
    code
    message
  }
  preprocessing
  producer
  outputsWereSoftmax
  files {
    name
    bytes
    sha256
    url
  }
}`) as unknown as TypedDocumentString<UploadModelMutation, UploadModelMutationVariables>;
export const UploadDatasetDocument = new TypedDocumentString(`
    mutation UploadDataset($input: UploadDatasetInput!) {
  uploadDataset(input: $input) {
    __typename
    ... on MutationUploadDatasetSuccess {
      data {
        ...DatasetFields
      }
    }
    ... on DomainError {
      code
      message
      details
    }
  }
}
    fragment DatasetFields on Dataset {
  id
  name
  datasetFormat: format
  datasetSource: source
  count
  trainSize
  testSize
  inputShape
  numClasses
}`) as unknown as TypedDocumentString<UploadDatasetMutation, UploadDatasetMutationVariables>;
export const CreateZooModelDocument = new TypedDocumentString(`
    mutation CreateZooModel($input: CreateZooModelInput!) {
  createZooModel(input: $input) {
    __typename
    ... on MutationCreateZooModelSuccess {
      data {
        ...JobFields
      }
    }
    ... on DomainError {
      code
      message
      details
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<CreateZooModelMutation, CreateZooModelMutationVariables>;
export const HardenModelDocument = new TypedDocumentString(`
    mutation HardenModel($input: HardenModelInput!) {
  hardenModel(input: $input) {
    __typename
    ... on MutationHardenModelSuccess {
      data {
        ...JobFields
      }
    }
    ... on DomainError {
      code
      message
      details
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<HardenModelMutation, HardenModelMutationVariables>;
export const EvaluateModelDocument = new TypedDocumentString(`
    mutation EvaluateModel($input: EvaluateModelInput!) {
  evaluateModel(input: $input) {
    __typename
    ... on MutationEvaluateModelSuccess {
      data {
        ...JobFields
      }
    }
    ... on DomainError {
      code
      message
      details
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<EvaluateModelMutation, EvaluateModelMutationVariables>;
export const CancelJobDocument = new TypedDocumentString(`
    mutation CancelJob($id: ID!) {
  cancelJob(id: $id) {
    __typename
    ... on MutationCancelJobSuccess {
      data {
        ...JobFields
      }
    }
    ... on DomainError {
      code
      message
      details
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<CancelJobMutation, CancelJobMutationVariables>;
export const JobProgressDocument = new TypedDocumentString(`
    subscription JobProgress($id: ID!, $afterSequence: Int) {
  jobProgress(id: $id, afterSequence: $afterSequence) {
    sequence
    kind
    status
    message
    createdAt
    progress {
      ...ProgressFields
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}`) as unknown as TypedDocumentString<JobProgressSubscription, JobProgressSubscriptionVariables>;
export const ModelsDocument = new TypedDocumentString(`
    query Models($first: Int, $after: String, $source: [ModelSource!]) {
  viewer {
    models(first: $first, after: $after, source: $source) {
      edges {
        node {
          ...ModelFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment ModelFields on Model {
  id
  name
  source
  architecture
  sha256
  parameterCount
  inputShape
  numClasses
  featureLayer
  createdAt
  warnings
  warningDetails {
    code
    message
  }
  preprocessing
  producer
  outputsWereSoftmax
  files {
    name
    bytes
    sha256
    url
  }
}`) as unknown as TypedDocumentString<ModelsQuery, ModelsQueryVariables>;
export const DatasetsPageDocument = new TypedDocumentString(`
    query DatasetsPage($first: Int, $after: String) {
  viewer {
    datasets(first: $first, after: $after) {
      edges {
        node {
          ...DatasetFields
          createdAt
          classNames
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment DatasetFields on Dataset {
  id
  name
  datasetFormat: format
  datasetSource: source
  count
  trainSize
  testSize
  inputShape
  numClasses
}`) as unknown as TypedDocumentString<DatasetsPageQuery, DatasetsPageQueryVariables>;
export const EdgeChecksDocument = new TypedDocumentString(`
    query EdgeChecks($first: Int, $after: String) {
  viewer {
    edgeChecks(first: $first, after: $after) {
      edges {
        node {
          ...EdgeCheckFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment EdgeCheckFields on EdgeCheck {
  id
  createdAt
  checkStatus: status
  settings
  modelSha256
  bundleUrl
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  surrogates {
    id
    name
  }
  flags {
    code
    message
  }
  thresholds {
    minCleanAccuracy
    minRobustAccuracy
    minAgreement
  }
  verdict {
    status
    integrity
    robustness
    flagCodes
    summary
    reasons {
      code
      message
      measure
      threshold
      actual
    }
  }
  reports {
    id
    createdAt
    backend
    cleanAccuracy
    squareRobustAccuracy
    transferRobustAccuracy
    agreement {
      agree
      count
      rate
      ok
    }
    flags {
      code
      message
    }
  }
}`) as unknown as TypedDocumentString<EdgeChecksQuery, EdgeChecksQueryVariables>;
export const ModelEvaluationsDocument = new TypedDocumentString(`
    query ModelEvaluations($first: Int, $after: String) {
  viewer {
    models(first: $first, after: $after) {
      edges {
        node {
          id
          name
          evaluations {
            id
            createdAt
            cleanAccuracy
            numExamples
            backend
            seed
            epsCurve {
              eps
              robustAccuracy
            }
            flags {
              code
            }
            dataset {
              id
              name
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelEvaluationsQuery, ModelEvaluationsQueryVariables>;
export const IdIndexDocument = new TypedDocumentString(`
    query IdIndex($first: Int, $jobsAfter: String, $modelsAfter: String) {
  viewer {
    models(first: $first, after: $modelsAfter) {
      edges {
        node {
          id
          name
          evaluations {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    datasets(first: $first) {
      edges {
        node {
          id
          name
        }
      }
    }
    edgeChecks(first: $first) {
      edges {
        node {
          id
        }
      }
    }
    jobs(first: $first, after: $jobsAfter) {
      edges {
        node {
          __typename
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<IdIndexQuery, IdIndexQueryVariables>;
export const DeleteModelDocument = new TypedDocumentString(`
    mutation DeleteModel($id: ID!) {
  deleteModel(id: $id) {
    __typename
    ... on MutationDeleteModelSuccess {
      data
    }
    ... on DomainError {
      code
      message
      details
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteModelMutation, DeleteModelMutationVariables>;
export const CreateEdgeCheckDocument = new TypedDocumentString(`
    mutation CreateEdgeCheck($input: CreateEdgeCheckInput!) {
  createEdgeCheck(input: $input) {
    __typename
    ... on MutationCreateEdgeCheckSuccess {
      data {
        ...EdgeCheckFields
      }
    }
    ... on DomainError {
      code
      message
      details
    }
  }
}
    fragment EdgeCheckFields on EdgeCheck {
  id
  createdAt
  checkStatus: status
  settings
  modelSha256
  bundleUrl
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  surrogates {
    id
    name
  }
  flags {
    code
    message
  }
  thresholds {
    minCleanAccuracy
    minRobustAccuracy
    minAgreement
  }
  verdict {
    status
    integrity
    robustness
    flagCodes
    summary
    reasons {
      code
      message
      measure
      threshold
      actual
    }
  }
  reports {
    id
    createdAt
    backend
    cleanAccuracy
    squareRobustAccuracy
    transferRobustAccuracy
    agreement {
      agree
      count
      rate
      ok
    }
    flags {
      code
      message
    }
  }
}`) as unknown as TypedDocumentString<CreateEdgeCheckMutation, CreateEdgeCheckMutationVariables>;
export const ModelDetailDocument = new TypedDocumentString(`
    query ModelDetail($id: ID!) {
  node(id: $id) {
    __typename
    ... on Model {
      ...ModelFields
      modelJsonUrl
      createdBy {
        __typename
        id
        dataset {
          id
          name
        }
      }
      evaluations {
        id
        createdAt
        cleanAccuracy
        numExamples
        epsCurve {
          eps
          robustAccuracy
        }
        dataset {
          id
          name
        }
      }
    }
  }
}
    fragment ModelFields on Model {
  id
  name
  source
  architecture
  sha256
  parameterCount
  inputShape
  numClasses
  featureLayer
  createdAt
  warnings
  warningDetails {
    code
    message
  }
  preprocessing
  producer
  outputsWereSoftmax
  files {
    name
    bytes
    sha256
    url
  }
}`) as unknown as TypedDocumentString<ModelDetailQuery, ModelDetailQueryVariables>;
export const RunsDocument = new TypedDocumentString(`
    query Runs($first: Int, $after: String, $status: [JobStatus!], $kind: [JobKind!]) {
  viewer {
    jobs(first: $first, after: $after, status: $status, kind: $kind) {
      edges {
        node {
          ...JobFields
          ... on HardeningJob {
            params
            evaluation {
              id
              cleanAccuracy
              backend
              epsCurve {
                eps
                robustAccuracy
              }
            }
          }
          ... on EvaluationJob {
            evaluation {
              id
              cleanAccuracy
              backend
              epsCurve {
                eps
                robustAccuracy
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<RunsQuery, RunsQueryVariables>;
export const ModelsPageDocument = new TypedDocumentString(`
    query ModelsPage($first: Int, $after: String) {
  viewer {
    models(first: $first, after: $after) {
      edges {
        node {
          ...ModelFields
          createdBy {
            __typename
            id
            dataset {
              id
              name
            }
            ... on HardeningJob {
              method
              eps
              student {
                id
                name
              }
              teacher {
                id
                name
              }
            }
            ... on ZooTrainingJob {
              epochs
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment ModelFields on Model {
  id
  name
  source
  architecture
  sha256
  parameterCount
  inputShape
  numClasses
  featureLayer
  createdAt
  warnings
  warningDetails {
    code
    message
  }
  preprocessing
  producer
  outputsWereSoftmax
  files {
    name
    bytes
    sha256
    url
  }
}`) as unknown as TypedDocumentString<ModelsPageQuery, ModelsPageQueryVariables>;
export const ServerCatalogueDocument = new TypedDocumentString(`
    query ServerCatalogue {
  serverInfo {
    backend
    hardeningAvailable
    attacks
    methods {
      name
      needsTeacher
    }
    zooArchitectures {
      name
      description
    }
  }
}
    `) as unknown as TypedDocumentString<ServerCatalogueQuery, ServerCatalogueQueryVariables>;
export const JobPageDocument = new TypedDocumentString(`
    query JobPage($id: ID!) {
  node(id: $id) {
    __typename
    id
    ...JobFields
    ... on Job {
      config
      input
    }
    ... on HardeningJob {
      params
      evaluation {
        id
      }
    }
    ... on EvaluationJob {
      evaluation {
        id
      }
    }
  }
}
    fragment ProgressFields on JobProgress {
  phase
  stage
  fraction
  epoch
  epochs
  step
  totalSteps
  etaSeconds
  examplesPerSecond
  learningRate
  terms
  heldOutCleanAccuracy
  heldOutPgdAccuracy
  message
}
fragment JobFields on Job {
  __typename
  id
  kind
  status
  createdAt
  startedAt
  finishedAt
  attempts
  checkpointEpoch
  lastSequence
  seed
  error {
    code
    message
  }
  progress {
    ...ProgressFields
  }
  dataset {
    id
    name
  }
  ... on HardeningJob {
    method
    eps
    epochs
    student {
      id
      name
    }
    teacher {
      id
      name
    }
    resultModel {
      id
      name
    }
  }
  ... on EvaluationJob {
    evalEps: eps
    model {
      id
      name
    }
  }
  ... on ZooTrainingJob {
    zooArchitecture: architecture
    epochs
    resultModel {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<JobPageQuery, JobPageQueryVariables>;
export const EvaluationSamplesDocument = new TypedDocumentString(`
    query EvaluationSamples($id: ID!, $first: Int, $after: String, $eps: Float, $robust: Boolean) {
  node(id: $id) {
    __typename
    ... on Evaluation {
      id
      samples(first: $first, after: $after, eps: $eps, robust: $robust) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            index
            label
            cleanPrediction
            cleanCorrect
            results {
              eps
              epsFraction
              robust
              attack
              step
              query
              margin
              prediction
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<EvaluationSamplesQuery, EvaluationSamplesQueryVariables>;
export const EvaluationExamplesDocument = new TypedDocumentString(`
    query EvaluationExamples($id: ID!, $eps: Float, $first: Int) {
  node(id: $id) {
    __typename
    ... on Evaluation {
      id
      examples(eps: $eps, first: $first) {
        eps
        epsFraction
        index
        label
        cleanPrediction
        adversarialPrediction
        attack
        margin
        shape
        clean
        adversarial
      }
    }
  }
}
    `) as unknown as TypedDocumentString<EvaluationExamplesQuery, EvaluationExamplesQueryVariables>;