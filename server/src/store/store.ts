import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DatasetRecord, EvaluationRecord, JobEventKind, JobEventRecord, JobFilter, JobRecord, JobStatus, ModelFilter, ModelRecord, OwnerRecord, Page } from '@temper/schema';
import type { Insertable, Kysely } from 'kysely';
import { openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { byIds, datasetRecord, evaluationRecord, jobEventRecord, jobRecord, modelRecord, ownerRecord } from './rows.ts';
import type { Database, JobsTable } from './tables.ts';

const now = () => new Date().toISOString();
const ACTIVE: JobStatus[] = ['QUEUED', 'RUNNING'];

export type NewModel = Omit<ModelRecord, 'id' | 'createdAt'> & { id?: string };
export type NewDataset = Omit<DatasetRecord, 'id' | 'createdAt'> & { id?: string };
export type NewJob = Pick<JobRecord, 'ownerId' | 'kind' | 'method' | 'input' | 'seed' | 'modelId' | 'teacherId' | 'datasetId'> & { maxAttempts: number };

/** API tokens: "tmp_" + 32 random bytes, base64url. Only their sha256 is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Temper's persistence: every query of the API, the queue and the CLI, written once against
 * Kysely. Every read that takes an owner id returns that owner's rows only.
 */
export class Store {
  private constructor(
    readonly db: Kysely<Database>,
    private readonly closeSqlite: () => void,
  ) {}

  static async open(file: string, options: { onQuery?: (sql: string) => void } = {}): Promise<Store> {
    const { db, sqlite } = openDatabase({ file, ...options });
    await migrateToLatest(db);
    return new Store(db, () => sqlite.close());
  }

  async close(): Promise<void> {
    await this.db.destroy();
    try {
      this.closeSqlite();
    } catch {
      // Already closed by Kysely.
    }
  }

  // Owners and tokens.

  async ownerCount(): Promise<number> {
    const r = await this.db.selectFrom('owners').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async ensureOwner(name: string): Promise<OwnerRecord> {
    const existing = await this.db.selectFrom('owners').selectAll().where('name', '=', name).executeTakeFirst();
    if (existing) return ownerRecord(existing);
    const row = { id: randomUUID(), name, created_at: now() };
    await this.db.insertInto('owners').values(row).execute();
    return ownerRecord(row);
  }

  /** Mints a token for the owner and returns it; it is never retrievable again. */
  async createToken(ownerId: string, label: string | null = null): Promise<string> {
    const token = `tmp_${randomBytes(32).toString('base64url')}`;
    await this.db.insertInto('api_tokens').values({ id: randomUUID(), owner_id: ownerId, token_hash: hashToken(token), label, created_at: now(), last_used_at: null }).execute();
    return token;
  }

  async ownerByToken(token: string): Promise<OwnerRecord | null> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('owners', 'owners.id', 'api_tokens.owner_id')
      .select(['owners.id', 'owners.name', 'owners.created_at'])
      .where('api_tokens.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    return row ? ownerRecord(row) : null;
  }

  // Models.

  async insertModel(m: NewModel): Promise<ModelRecord> {
    const row = {
      id: m.id ?? randomUUID(),
      owner_id: m.ownerId,
      name: m.name,
      source: m.source,
      format: m.format,
      producer: m.producer,
      input_shape: JSON.stringify(m.inputShape),
      num_classes: m.numClasses,
      parameter_count: m.parameterCount,
      sha256: m.sha256,
      feature_layer: m.featureLayer,
      outputs_were_softmax: m.outputsWereSoftmax ? 1 : 0,
      preprocessing: JSON.stringify(m.preprocessing ?? null),
      architecture: m.architecture,
      files: JSON.stringify(m.files),
      warnings: JSON.stringify(m.warnings),
      created_by_job_id: m.createdByJobId,
      created_at: now(),
    };
    await this.db.insertInto('models').values(row).execute();
    return modelRecord(row);
  }

  async modelsByIds(ownerId: string, ids: readonly string[]): Promise<(ModelRecord | null)[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('models').selectAll().where('owner_id', '=', ownerId).where('id', 'in', [...ids]).execute();
    return byIds(ids, rows.map(modelRecord));
  }

  async listModels(ownerId: string, filter: ModelFilter, page: Page): Promise<ModelRecord[]> {
    let q = this.db.selectFrom('models').selectAll().where('owner_id', '=', ownerId);
    if (filter.source?.length) q = q.where('source', 'in', [...filter.source]);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
    return rows.map(modelRecord);
  }

  /** Jobs that still need the model (queued or running, as student, teacher or evaluation target). */
  async activeJobsUsingModel(modelId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('status', 'in', ACTIVE)
      .where((eb) => eb.or([eb('model_id', '=', modelId), eb('teacher_id', '=', modelId)]))
      .execute();
    return rows.map((r) => r.id);
  }

  /** Deletes the row; returns the artifacts it referenced that no other model references. */
  async deleteModel(ownerId: string, id: string): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('models').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
      if (!row) return [];
      await trx.deleteFrom('models').where('id', '=', id).execute();
      const artifacts = (JSON.parse(row.files) as { artifact: string }[]).map((f) => f.artifact);
      const still = new Set<string>();
      for (const other of await trx.selectFrom('models').select('files').execute()) {
        for (const f of JSON.parse(other.files) as { artifact: string }[]) still.add(f.artifact);
      }
      return artifacts.filter((a) => !still.has(a));
    });
  }

  async modelExists(ownerId: string, id: string): Promise<boolean> {
    return (await this.db.selectFrom('models').select('id').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst()) !== undefined;
  }

  // Datasets.

  async insertDataset(d: NewDataset): Promise<DatasetRecord> {
    const row = {
      id: d.id ?? randomUUID(),
      owner_id: d.ownerId,
      name: d.name,
      source: d.source,
      format: d.format,
      builtin_name: d.builtinName,
      files: JSON.stringify(d.files),
      height: d.height,
      width: d.width,
      channels: d.channels,
      num_classes: d.numClasses,
      count: d.count,
      class_names: d.classNames ? JSON.stringify(d.classNames) : null,
      train_size: d.trainSize,
      test_size: d.testSize,
      created_at: now(),
    };
    await this.db.insertInto('datasets').values(row).execute();
    return datasetRecord(row);
  }

  async builtinDataset(name: string): Promise<DatasetRecord | null> {
    const row = await this.db.selectFrom('datasets').selectAll().where('owner_id', 'is', null).where('builtin_name', '=', name).executeTakeFirst();
    return row ? datasetRecord(row) : null;
  }

  /** The owner's datasets plus the built-in ones. */
  async datasetsByIds(ownerId: string, ids: readonly string[]): Promise<(DatasetRecord | null)[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('datasets')
      .selectAll()
      .where('id', 'in', [...ids])
      .where((eb) => eb.or([eb('owner_id', '=', ownerId), eb('owner_id', 'is', null)]))
      .execute();
    return byIds(ids, rows.map(datasetRecord));
  }

  async listDatasets(ownerId: string, page: Page): Promise<DatasetRecord[]> {
    const rows = await this.db
      .selectFrom('datasets')
      .selectAll()
      .where((eb) => eb.or([eb('owner_id', '=', ownerId), eb('owner_id', 'is', null)]))
      .orderBy((eb) => eb.case().when('owner_id', 'is', null).then(0).else(1).end())
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(datasetRecord);
  }

  // Jobs and their events.

  async insertJob(j: NewJob): Promise<JobRecord> {
    const t = now();
    const row: Insertable<JobsTable> = {
      id: randomUUID(),
      owner_id: j.ownerId,
      kind: j.kind,
      status: 'QUEUED',
      method: j.method,
      input: JSON.stringify(j.input),
      config: null,
      seed: j.seed,
      model_id: j.modelId,
      teacher_id: j.teacherId,
      dataset_id: j.datasetId,
      result_model_id: null,
      evaluation_id: null,
      error_code: null,
      error_message: null,
      progress: null,
      attempts: 0,
      max_attempts: j.maxAttempts,
      last_sequence: 0,
      checkpoint_epoch: null,
      cancel_requested: 0,
      worker_id: null,
      created_at: t,
      started_at: null,
      finished_at: null,
      updated_at: t,
    };
    const inserted = await this.db.insertInto('jobs').values(row).returningAll().executeTakeFirstOrThrow();
    return jobRecord(inserted);
  }

  async jobsByIds(ownerId: string, ids: readonly string[]): Promise<(JobRecord | null)[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('jobs').selectAll().where('owner_id', '=', ownerId).where('id', 'in', [...ids]).execute();
    return byIds(ids, rows.map(jobRecord));
  }

  async jobById(id: string): Promise<JobRecord | null> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? jobRecord(row) : null;
  }

  async listJobs(ownerId: string, filter: JobFilter, page: Page): Promise<JobRecord[]> {
    let q = this.db.selectFrom('jobs').selectAll().where('owner_id', '=', ownerId);
    if (filter.status?.length) q = q.where('status', 'in', [...filter.status]);
    if (filter.method?.length) q = q.where('method', 'in', [...filter.method]);
    if (filter.kind?.length) q = q.where('kind', 'in', [...filter.kind]);
    const rows = await q.orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute();
    return rows.map(jobRecord);
  }

  async countJobs(status: JobStatus): Promise<number> {
    const r = await this.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Atomically takes the oldest queued job for `workerId`; the attempt counter goes up. */
  async claimNextJob(workerId: string): Promise<JobRecord | null> {
    return this.db.transaction().execute(async (trx) => {
      const next = await trx.selectFrom('jobs').select('id').where('status', '=', 'QUEUED').orderBy('seq').limit(1).executeTakeFirst();
      if (!next) return null;
      const t = now();
      const row = await trx
        .updateTable('jobs')
        .set((eb) => ({ status: 'RUNNING', worker_id: workerId, attempts: eb('attempts', '+', 1), started_at: eb.fn.coalesce('started_at', eb.val(t)), updated_at: t }))
        .where('id', '=', next.id)
        .where('status', '=', 'QUEUED')
        .returningAll()
        .executeTakeFirst();
      return row ? jobRecord(row) : null;
    });
  }

  /**
   * Appends an event to the job's timeline under the next sequence number, applying `patch` to the
   * job in the same transaction, and returns both. The one writer of events, so sequences have no gaps.
   */
  async appendJobEvent(
    jobId: string,
    kind: JobEventKind,
    payload: Record<string, unknown>,
    patch: Partial<Omit<Insertable<JobsTable>, 'id' | 'seq'>> = {},
  ): Promise<{ job: JobRecord; event: JobEventRecord }> {
    const r = await this.appendJobEventIf(jobId, null, kind, payload, patch);
    return r!;
  }

  /** appendJobEvent, but only while the job's status is one of `onlyIf` (null: any); else null and nothing written. */
  async appendJobEventIf(
    jobId: string,
    onlyIf: readonly JobStatus[] | null,
    kind: JobEventKind,
    payload: Record<string, unknown>,
    patch: Partial<Omit<Insertable<JobsTable>, 'id' | 'seq'>> = {},
  ): Promise<{ job: JobRecord; event: JobEventRecord } | null> {
    return this.db.transaction().execute(async (trx) => {
      if (onlyIf) {
        const current = await trx.selectFrom('jobs').select('status').where('id', '=', jobId).executeTakeFirst();
        if (!current || !onlyIf.includes(current.status as JobStatus)) return null;
      }
      const t = now();
      const job = await trx
        .updateTable('jobs')
        .set((eb) => ({ ...patch, last_sequence: eb('last_sequence', '+', 1), updated_at: t }))
        .where('id', '=', jobId)
        .returningAll()
        .executeTakeFirstOrThrow();
      const event = { job_id: jobId, sequence: job.last_sequence, kind, status: job.status, payload: JSON.stringify(payload), created_at: t };
      await trx.insertInto('job_events').values(event).execute();
      return { job: jobRecord(job), event: jobEventRecord(event) };
    });
  }

  async jobEvents(jobId: string, afterSequence: number, limit = 1000): Promise<JobEventRecord[]> {
    const rows = await this.db.selectFrom('job_events').selectAll().where('job_id', '=', jobId).where('sequence', '>', afterSequence).orderBy('sequence').limit(limit).execute();
    return rows.map(jobEventRecord);
  }

  async setCancelRequested(jobId: string): Promise<void> {
    await this.db.updateTable('jobs').set({ cancel_requested: 1, updated_at: now() }).where('id', '=', jobId).execute();
  }

  /** Jobs left RUNNING by a server process that is gone (not `liveServerId`). */
  async orphanedRunningJobs(liveServerId: string): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'RUNNING')
      .where((eb) => eb.or([eb('worker_id', 'is', null), eb('worker_id', 'not like', `${liveServerId}/%`)]))
      .execute();
    return rows.map(jobRecord);
  }

  async jobMaxAttempts(jobId: string): Promise<number> {
    const r = await this.db.selectFrom('jobs').select('max_attempts').where('id', '=', jobId).executeTakeFirstOrThrow();
    return r.max_attempts;
  }

  // Evaluations.

  async insertEvaluation(e: Omit<EvaluationRecord, 'id' | 'createdAt'>): Promise<EvaluationRecord> {
    const row = {
      id: randomUUID(),
      owner_id: e.ownerId,
      model_id: e.modelId,
      dataset_id: e.datasetId,
      job_id: e.jobId,
      clean_accuracy: e.cleanAccuracy,
      report: JSON.stringify(e.report),
      created_at: now(),
    };
    await this.db.insertInto('evaluations').values(row).execute();
    return evaluationRecord(row);
  }

  async evaluationsByIds(ownerId: string, ids: readonly string[]): Promise<(EvaluationRecord | null)[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('evaluations').selectAll().where('owner_id', '=', ownerId).where('id', 'in', [...ids]).execute();
    return byIds(ids, rows.map(evaluationRecord));
  }

  async evaluationIdsByModelIds(ownerId: string, modelIds: readonly string[]): Promise<string[][]> {
    if (modelIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('evaluations')
      .select(['id', 'model_id'])
      .where('owner_id', '=', ownerId)
      .where('model_id', 'in', [...modelIds])
      .orderBy('created_at', 'desc')
      .execute();
    return modelIds.map((m) => rows.filter((r) => r.model_id === m).map((r) => r.id));
  }
}
