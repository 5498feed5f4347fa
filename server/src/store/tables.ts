import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. JSON columns hold text; timestamps are ISO strings; booleans
 * are 0/1 (SQLite has neither). Portable: the PostgreSQL dialect (distributed mode) reuses every query.
 */
export interface OwnersTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  owner_id: string;
  /** sha256 hex of the token: tokens are random 256-bit secrets, so a fast hash is enough. */
  token_hash: string;
  label: string | null;
  created_at: string;
  last_used_at: string | null;
  /** After this the token is refused; null: never. */
  expires_at: string | null;
}

export interface ModelsTable {
  id: string;
  owner_id: string;
  name: string;
  source: string;
  format: string;
  producer: string | null;
  input_shape: string;
  num_classes: number;
  parameter_count: number;
  sha256: string;
  feature_layer: string;
  outputs_were_softmax: number;
  preprocessing: string;
  architecture: string | null;
  files: string;
  warnings: string;
  created_by_job_id: string | null;
  created_at: string;
  /** Set on a teacher a job trained for its owner (teacher: AUTO): "<dataset id>|<eps>|<architecture>". */
  auto_teacher_key?: string | null;
  /** JSON: what made the model (an auto teacher's recipe and budget); null for most models. */
  metadata?: string | null;
}

export interface DatasetsTable {
  id: string;
  owner_id: string | null;
  name: string;
  source: string;
  format: string;
  builtin_name: string | null;
  files: string;
  height: number;
  width: number;
  channels: number;
  num_classes: number;
  count: number;
  class_names: string | null;
  train_size: number;
  test_size: number;
  created_at: string;
}

export interface JobsTable {
  id: string;
  owner_id: string;
  kind: string;
  status: string;
  method: string | null;
  input: string;
  config: string | null;
  seed: number;
  model_id: string | null;
  teacher_id: string | null;
  dataset_id: string;
  result_model_id: string | null;
  evaluation_id: string | null;
  error_code: string | null;
  error_message: string | null;
  progress: string | null;
  attempts: number;
  max_attempts: number;
  last_sequence: number;
  checkpoint_epoch: number | null;
  cancel_requested: number;
  /** Which server process claimed it (a restart re-queues what a dead process held). */
  worker_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  /** Monotone insertion order (ISO timestamps collide within a millisecond). */
  seq: Generated<number>;
  /** Distributed mode: when an API replica handed the job to the BullMQ queue (null: not yet). */
  dispatched_at: string | null;
  /** Worker deaths under this job: what max_attempts limits (a server restart is not one). */
  crashes: Generated<number>;
}

export interface JobEventsTable {
  job_id: string;
  sequence: number;
  kind: string;
  status: string;
  payload: string;
  created_at: string;
}

export interface EvaluationsTable {
  id: string;
  owner_id: string;
  model_id: string;
  dataset_id: string;
  job_id: string | null;
  clean_accuracy: number;
  report: string;
  created_at: string;
}

export interface EdgeChecksTable {
  id: string;
  owner_id: string;
  model_id: string;
  dataset_id: string;
  surrogate_ids: string;
  settings: string;
  sample_artifact: string;
  model_sha256: string;
  status: string;
  created_at: string;
}

export interface EdgeReportsTable {
  id: string;
  check_id: string;
  owner_id: string;
  backend: string;
  agreement_rate: number | null;
  flags: string;
  report: string;
  created_at: string;
}

/** Distributed mode's artifacts: one row per content address, written with its chunks in one transaction. */
export interface ArtifactBlobsTable {
  hash: string;
  bytes: number;
  chunks: number;
  created_at: string;
}

export interface ArtifactChunksTable {
  hash: string;
  idx: number;
  data: Uint8Array;
}

/** Distributed mode's checkpoints: each job's latest, replaced as a whole in one transaction. */
export interface JobCheckpointsTable {
  job_id: string;
  epoch: number;
  bytes: number;
  chunks: number;
  updated_at: string;
}

export interface JobCheckpointChunksTable {
  job_id: string;
  idx: number;
  data: Uint8Array;
}

/** Which records use which artifact (holder `model:<id>`, `dataset:<id>`, `edge-check:<id>`). */
export interface ArtifactRefsTable {
  hash: string;
  holder: string;
}

export interface Database {
  owners: OwnersTable;
  api_tokens: ApiTokensTable;
  models: ModelsTable;
  datasets: DatasetsTable;
  jobs: JobsTable;
  job_events: JobEventsTable;
  evaluations: EvaluationsTable;
  edge_checks: EdgeChecksTable;
  edge_reports: EdgeReportsTable;
  artifact_blobs: ArtifactBlobsTable;
  artifact_chunks: ArtifactChunksTable;
  job_checkpoints: JobCheckpointsTable;
  job_checkpoint_chunks: JobCheckpointChunksTable;
  artifact_refs: ArtifactRefsTable;
}
