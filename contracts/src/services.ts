import type { ApiTokenRecord, DatasetRecord, EdgeCheckRecord, EdgeReportRecord, EvaluationRecord, JobEventRecord, JobKind, JobRecord, ModelRecord } from './records.ts';
import type { JobStatus } from './job-statuses.ts';

/**
 * The service port: everything the GraphQL resolvers can ask of the server, and the requests they
 * pass. It lives below both packages so that the schema and the server agree on it without the
 * server depending on the GraphQL package.
 */

/** Offset pagination, as the relay plugin's offset helper asks for it. */
export interface Page {
  readonly limit: number;
  readonly offset: number;
}

export interface ModelFilter {
  readonly source?: readonly string[] | null;
}
export interface JobFilter {
  readonly status?: readonly JobStatus[] | null;
  readonly method?: readonly string[] | null;
  readonly kind?: readonly JobKind[] | null;
}

export interface UploadModelRequest {
  readonly name: string;
  readonly modelJson: File;
  readonly weights: readonly File[];
  readonly preprocessing?: unknown;
  readonly featureLayer?: string | null;
}

export interface UploadDatasetRequest {
  readonly name: string;
  readonly format: 'IDX' | 'CIFAR10';
  /** IDX: images and labels. CIFAR-10: one or more batch files, optional meta. */
  readonly images?: File | null;
  readonly labels?: File | null;
  readonly batches?: readonly File[] | null;
  readonly meta?: File | null;
  readonly numClasses?: number | null;
  readonly classNames?: readonly string[] | null;
  readonly trainSize?: number | null;
  readonly testSize?: number | null;
}

export interface CreateZooModelRequest {
  readonly name?: string | null;
  readonly architecture: string;
  readonly datasetId: string;
  readonly epochs: number;
  readonly seed: number;
  readonly featureWidth?: number | null;
  readonly batchSize?: number | null;
}

export interface HardenModelRequest {
  readonly method: string;
  readonly studentId: string;
  readonly teacherId?: string | null;
  /** teacher: AUTO: a robust teacher for this dataset and eps, reused if the owner has one, else trained as the job's first stage. */
  readonly autoTeacher?: boolean;
  readonly datasetId: string;
  readonly eps: number;
  readonly epochs: number;
  readonly batchSize?: number | null;
  readonly seed: number;
  readonly params?: Readonly<Record<string, unknown>> | null;
  readonly evaluation?: { readonly eps?: readonly number[] | null; readonly sampleSize?: number | null; readonly attacks?: readonly unknown[] | null } | null;
  readonly name?: string | null;
}

export interface EvaluateModelRequest {
  readonly modelId: string;
  readonly datasetId: string;
  readonly eps: readonly number[];
  /** Attack names with optional settings; null: the standard ensemble. */
  readonly attacks?: readonly { readonly attack: string; readonly config?: Readonly<Record<string, unknown>> | null }[] | null;
  readonly sampleSize?: number | null;
  readonly seed: number;
}

export interface CreateEdgeCheckRequest {
  readonly modelId: string;
  readonly datasetId: string;
  readonly surrogateIds: readonly string[];
  readonly sampleSize: number;
  readonly squareQueries: number;
  readonly eps: number;
  readonly pgdSteps: number;
  readonly attackCount?: number | null;
  readonly seed: number;
  /** Minimum clean accuracy, robust accuracy at eps and agreement a report needs to pass. */
  readonly thresholds?: { readonly minCleanAccuracy?: number | null; readonly minRobustAccuracy?: number | null; readonly minAgreement?: number | null } | null;
}

/** The compute engine beyond its name (see server/src/compute/backend.ts). */
export interface BackendDetailsRecord {
  readonly libtensorflow: string | null;
  readonly threads: number;
  readonly gpu: boolean;
}

export interface ServerInfoRecord {
  readonly version: string;
  readonly nodeVersion: string;
  readonly tfjsVersion: string;
  readonly backend: string | null;
  readonly backendReason: string | null;
  readonly backendDetails: BackendDetailsRecord | null;
  readonly workers: readonly { readonly index: number; readonly pid: number | null; readonly busyJobId: string | null; readonly restarts: number }[];
  readonly queuedJobs: number;
  readonly runningJobs: number;
  readonly hardeningAvailable: boolean;
  readonly methods: readonly string[];
  readonly zooArchitectures: readonly { readonly name: string; readonly description: string }[];
  readonly attacks: readonly string[];
}

/**
 * Everything the resolvers can do, implemented by the server. Every method that takes an owner id
 * sees only that owner's objects (built-in datasets excepted): ownership is enforced below the
 * schema, so no resolver can forget it.
 */
export interface TemperServices {
  modelsByIds(ownerId: string, ids: readonly string[]): Promise<(ModelRecord | null)[]>;
  datasetsByIds(ownerId: string, ids: readonly string[]): Promise<(DatasetRecord | null)[]>;
  jobsByIds(ownerId: string, ids: readonly string[]): Promise<(JobRecord | null)[]>;
  evaluationsByIds(ownerId: string, ids: readonly string[]): Promise<(EvaluationRecord | null)[]>;
  evaluationIdsByModelIds(ownerId: string, modelIds: readonly string[]): Promise<string[][]>;

  listModels(ownerId: string, filter: ModelFilter, page: Page): Promise<ModelRecord[]>;
  listDatasets(ownerId: string, page: Page): Promise<DatasetRecord[]>;
  listJobs(ownerId: string, filter: JobFilter, page: Page): Promise<JobRecord[]>;
  jobEvents(ownerId: string, jobId: string, afterSequence: number, limit?: number): Promise<JobEventRecord[]>;

  uploadModel(ownerId: string, request: UploadModelRequest): Promise<ModelRecord>;
  uploadDataset(ownerId: string, request: UploadDatasetRequest): Promise<DatasetRecord>;
  createZooModel(ownerId: string, request: CreateZooModelRequest): Promise<JobRecord>;
  hardenModel(ownerId: string, request: HardenModelRequest): Promise<JobRecord>;
  evaluateModel(ownerId: string, request: EvaluateModelRequest): Promise<JobRecord>;
  cancelJob(ownerId: string, jobId: string): Promise<JobRecord>;
  deleteModel(ownerId: string, modelId: string): Promise<void>;
  /** The owner's API tokens, newest first (no secrets). */
  listTokens(ownerId: string): Promise<ApiTokenRecord[]>;
  /** Mints a token; `token` is the secret, returned this once. */
  createToken(ownerId: string, r: { label: string | null; expiresInDays: number | null }): Promise<{ token: string; record: ApiTokenRecord }>;
  /** Revokes one of the owner's tokens (NotFoundError for any other id); requests with it fail from now on. */
  revokeToken(ownerId: string, tokenId: string): Promise<ApiTokenRecord>;

  /** Stored events after `afterSequence`, then live ones, until the job ends. */
  subscribeJobProgress(ownerId: string, jobId: string, afterSequence: number): AsyncIterable<JobEventRecord>;
  /** Every event of every job of the owner (status, progress, checkpoints), as it happens. */
  subscribeJobUpdates(ownerId: string): AsyncIterable<JobEventRecord>;

  edgeChecksByIds(ownerId: string, ids: readonly string[]): Promise<(EdgeCheckRecord | null)[]>;
  listEdgeChecks(ownerId: string, page: Page): Promise<EdgeCheckRecord[]>;
  /** Per check id, its reports, oldest first. */
  edgeReportsByCheckIds(ownerId: string, checkIds: readonly string[]): Promise<EdgeReportRecord[][]>;
  /** Builds the sample (test split, quantized, with the server's clean predictions) and stores the check. */
  createEdgeCheck(ownerId: string, request: CreateEdgeCheckRequest): Promise<EdgeCheckRecord>;
  /** Stores a device's report with flags recomputed here; returns the check (status updated). */
  submitEdgeReport(ownerId: string, checkId: string, report: unknown): Promise<EdgeCheckRecord>;
  /** Root-relative URL of the check's bundle manifest. */
  edgeBundleUrl(check: EdgeCheckRecord): string;

  /** What the server runs on; job counts and busy workers' job ids are the viewer's own only. */
  serverInfo(ownerId: string): Promise<ServerInfoRecord>;
  /** Absolute or root-relative URLs of the model's files. */
  modelFileUrl(model: ModelRecord, file: string): string;
  /** Known hardening methods and whether each needs a teacher. */
  methodNeedsTeacher(method: string): boolean;
}
