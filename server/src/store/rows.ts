import type { DatasetRecord, EdgeCheckRecord, EdgeReportRecord, EvaluationRecord, JobEventRecord, JobProgressRecord, JobRecord, ModelRecord, OwnerRecord } from '@temper/contracts';
import type { Selectable } from 'kysely';
import type { DatasetsTable, EdgeChecksTable, EdgeReportsTable, EvaluationsTable, JobEventsTable, JobsTable, ModelsTable, OwnersTable } from './tables.ts';

/** Row <-> record mapping: JSON text columns parsed, 0/1 as booleans, snake_case to camelCase. */

const json = <T>(text: string | null): T | null => (text == null ? null : (JSON.parse(text) as T));

export const ownerRecord = (r: Selectable<OwnersTable>): OwnerRecord => ({ id: r.id, name: r.name, createdAt: r.created_at });

export const modelRecord = (r: Selectable<ModelsTable>): ModelRecord => ({
  id: r.id,
  ownerId: r.owner_id,
  name: r.name,
  source: r.source as ModelRecord['source'],
  format: r.format,
  producer: r.producer,
  inputShape: json<number[]>(r.input_shape) ?? [],
  numClasses: r.num_classes,
  parameterCount: r.parameter_count,
  sha256: r.sha256,
  featureLayer: r.feature_layer,
  outputsWereSoftmax: r.outputs_were_softmax === 1,
  preprocessing: json(r.preprocessing),
  architecture: r.architecture,
  files: json<ModelRecord['files']>(r.files) ?? [],
  warnings: json<string[]>(r.warnings) ?? [],
  createdByJobId: r.created_by_job_id,
  createdAt: r.created_at,
  autoTeacherKey: r.auto_teacher_key ?? null,
  metadata: json<Record<string, unknown>>(r.metadata ?? null) ?? null,
});

export const datasetRecord = (r: Selectable<DatasetsTable>): DatasetRecord => ({
  id: r.id,
  ownerId: r.owner_id,
  name: r.name,
  source: r.source as DatasetRecord['source'],
  format: r.format as DatasetRecord['format'],
  builtinName: r.builtin_name,
  files: json<Record<string, string>>(r.files) ?? {},
  height: r.height,
  width: r.width,
  channels: r.channels,
  numClasses: r.num_classes,
  count: r.count,
  classNames: json<string[]>(r.class_names),
  trainSize: r.train_size,
  testSize: r.test_size,
  createdAt: r.created_at,
});

export const jobRecord = (r: Selectable<JobsTable>): JobRecord => ({
  id: r.id,
  ownerId: r.owner_id,
  kind: r.kind as JobRecord['kind'],
  status: r.status as JobRecord['status'],
  method: r.method,
  input: json<Record<string, unknown>>(r.input) ?? {},
  config: json<Record<string, unknown>>(r.config),
  seed: r.seed,
  modelId: r.model_id,
  teacherId: r.teacher_id,
  datasetId: r.dataset_id,
  resultModelId: r.result_model_id,
  evaluationId: r.evaluation_id,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  progress: json<JobProgressRecord>(r.progress),
  attempts: r.attempts,
  lastSequence: r.last_sequence,
  checkpointEpoch: r.checkpoint_epoch,
  cancelRequested: r.cancel_requested === 1,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  updatedAt: r.updated_at,
});

export const jobEventRecord = (r: Selectable<JobEventsTable>): JobEventRecord => ({
  jobId: r.job_id,
  sequence: r.sequence,
  kind: r.kind as JobEventRecord['kind'],
  status: r.status as JobEventRecord['status'],
  payload: json<Record<string, unknown>>(r.payload) ?? {},
  createdAt: r.created_at,
});

export const evaluationRecord = (r: Selectable<EvaluationsTable>): EvaluationRecord => ({
  id: r.id,
  ownerId: r.owner_id,
  modelId: r.model_id,
  datasetId: r.dataset_id,
  jobId: r.job_id,
  cleanAccuracy: r.clean_accuracy,
  report: json<Record<string, unknown>>(r.report) ?? {},
  createdAt: r.created_at,
});

export const edgeCheckRecord = (r: Selectable<EdgeChecksTable>): EdgeCheckRecord => ({
  id: r.id,
  ownerId: r.owner_id,
  modelId: r.model_id,
  datasetId: r.dataset_id,
  surrogateIds: json<string[]>(r.surrogate_ids) ?? [],
  settings: json<EdgeCheckRecord['settings']>(r.settings)!,
  sampleArtifact: r.sample_artifact,
  modelSha256: r.model_sha256,
  status: r.status as EdgeCheckRecord['status'],
  createdAt: r.created_at,
});

export const edgeReportRecord = (r: Selectable<EdgeReportsTable>): EdgeReportRecord => ({
  id: r.id,
  checkId: r.check_id,
  ownerId: r.owner_id,
  backend: r.backend,
  agreementRate: r.agreement_rate == null ? null : Number(r.agreement_rate),
  flags: json<EdgeReportRecord['flags']>(r.flags) ?? [],
  report: json<Record<string, unknown>>(r.report) ?? {},
  createdAt: r.created_at,
});

/** Puts records in the order of `ids`, null where absent. */
export function byIds<T extends { id: string }>(ids: readonly string[], rows: readonly T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}
