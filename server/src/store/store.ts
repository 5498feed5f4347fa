import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { TERMINAL_JOB_STATUSES, type ApiTokenRecord, type DatasetRecord, type EdgeCheckRecord, type EdgeReportRecord, type EvaluationRecord, type JobEventKind, type JobEventRecord, type JobFilter, type JobRecord, type JobStatus, type ModelFilter, type ModelRecord, type OwnerRecord, type Page, type TerminalJobStatus } from '@temper/contracts';
import { sql, type Insertable, type Kysely } from 'kysely';
import { openDatabase, openPostgresDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import type { SqlDialect } from './migrations/dialect.ts';
import { byIds, datasetRecord, edgeCheckRecord, edgeReportRecord, evaluationRecord, jobEventRecord, jobRecord, modelRecord, ownerRecord } from './rows.ts';
import type { Database, JobsTable } from './tables.ts';

const now = () => new Date().toISOString();
const ACTIVE: JobStatus[] = ['QUEUED', 'RUNNING'];
const TERMINAL: readonly JobStatus[] = TERMINAL_JOB_STATUSES;
/** pg_advisory_lock key held while a process migrates and bootstraps a PostgreSQL store ("temper"). */
const STARTUP_LOCK = 0x74656d70;

export type NewModel = Omit<ModelRecord, 'id' | 'createdAt'> & { id?: string };
export type NewDataset = Omit<DatasetRecord, 'id' | 'createdAt'> & { id?: string };
export type NewJob = Pick<JobRecord, 'ownerId' | 'kind' | 'method' | 'input' | 'seed' | 'modelId' | 'teacherId' | 'datasetId'> & { maxAttempts: number };
export type JobPatch = Partial<Omit<Insertable<JobsTable>, 'id' | 'seq'>>;
/** What a finished job leaves behind, written with its final event in one transaction (distributed mode). */
export interface JobOutcome {
  readonly status: TerminalJobStatus;
  readonly payload: Record<string, unknown>;
  readonly patch?: JobPatch;
  readonly model?: Omit<NewModel, 'id' | 'createdByJobId'>;
  /** modelId null: the evaluation is of the model this outcome creates. */
  readonly evaluation?: Omit<EvaluationRecord, 'id' | 'createdAt' | 'jobId' | 'modelId'> & { modelId: string | null };
}

/** Runs `fn` in a transaction, or inside the one `db` already is. */
function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** Records that `holder` uses each of `hashes` (written with the holder's row, in its transaction). */
async function addRefs(trx: Kysely<Database>, holder: string, hashes: readonly string[]): Promise<void> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return;
  await trx.insertInto('artifact_refs').values(unique.map((hash) => ({ hash, holder }))).onConflict((oc) => oc.columns(['hash', 'holder']).doNothing()).execute();
}

/** Of `hashes`, those no holder references (read in the caller's transaction). */
async function unreferenced(trx: Kysely<Database>, hashes: readonly string[]): Promise<string[]> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return [];
  const still = new Set((await trx.selectFrom('artifact_refs').select('hash').where('hash', 'in', unique).execute()).map((r) => r.hash));
  return unique.filter((h) => !still.has(h));
}

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
    readonly dialect: SqlDialect = 'sqlite',
  ) {}

  static async open(file: string, options: { onQuery?: (sql: string) => void } = {}): Promise<Store> {
    const { db, sqlite } = openDatabase({ file, ...options });
    await migrateToLatest(db);
    return new Store(db, () => sqlite.close());
  }

  /**
   * The store on PostgreSQL (distributed mode): the same queries through Kysely's PostgresDialect.
   * Migrations run under a database-wide lock, so replicas and workers may start together.
   */
  static async openPostgres(url: string, options: { onQuery?: (sql: string) => void; poolSize?: number; migrate?: boolean } = {}): Promise<Store> {
    const { db } = openPostgresDatabase({ url, poolSize: options.poolSize, onQuery: options.onQuery });
    const store = new Store(db, () => {}, 'postgres');
    try {
      if (options.migrate !== false) await store.withStartupLock(() => migrateToLatest(db, 'postgres'));
    } catch (e) {
      await db.destroy();
      throw e;
    }
    return store;
  }

  /**
   * Runs `fn` while holding the store's startup lock: on PostgreSQL a session advisory lock, so that
   * of several processes starting at once exactly one migrates and creates the built-in rows and the
   * first owner. SQLite has one process writing at startup: `fn` just runs.
   */
  async withStartupLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'postgres') return fn();
    return this.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${STARTUP_LOCK})`.execute(conn);
      try {
        return await fn();
      } finally {
        await sql`select pg_advisory_unlock(${STARTUP_LOCK})`.execute(conn);
      }
    });
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

  async ownerIds(): Promise<string[]> {
    return (await this.db.selectFrom('owners').select('id').orderBy('created_at').execute()).map((r) => r.id);
  }

  /** The owner's model with these exact bytes (by sha256) and producer, if any. */
  async modelBySha256(ownerId: string, sha256: string, producer: string): Promise<ModelRecord | null> {
    const row = await this.db.selectFrom('models').selectAll().where('owner_id', '=', ownerId).where('sha256', '=', sha256).where('producer', '=', producer).executeTakeFirst();
    return row ? modelRecord(row) : null;
  }

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
  async createToken(ownerId: string, label: string | null = null, expiresAt: string | null = null): Promise<string> {
    return (await this.mintToken(ownerId, label, expiresAt)).token;
  }

  /** createToken, with the token's record. */
  async mintToken(ownerId: string, label: string | null, expiresAt: string | null): Promise<{ token: string; record: ApiTokenRecord }> {
    const token = `tmp_${randomBytes(32).toString('base64url')}`;
    const row = { id: randomUUID(), owner_id: ownerId, token_hash: hashToken(token), label, created_at: now(), last_used_at: null, expires_at: expiresAt };
    await this.db.insertInto('api_tokens').values(row).execute();
    return { token, record: { id: row.id, label, createdAt: row.created_at, expiresAt } };
  }

  async listTokens(ownerId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.db.selectFrom('api_tokens').select(['id', 'label', 'created_at', 'expires_at']).where('owner_id', '=', ownerId).orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at }));
  }

  /** Deletes the owner's token `id`; null when the owner has no such token. */
  async revokeToken(ownerId: string, id: string): Promise<ApiTokenRecord | null> {
    const row = await this.db.deleteFrom('api_tokens').where('id', '=', id).where('owner_id', '=', ownerId).returning(['id', 'label', 'created_at', 'expires_at']).executeTakeFirst();
    return row ? { id: row.id, label: row.label, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  async ownerByToken(token: string): Promise<OwnerRecord | null> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('owners', 'owners.id', 'api_tokens.owner_id')
      .select(['owners.id', 'owners.name', 'owners.created_at'])
      .where('api_tokens.token_hash', '=', hashToken(token))
      .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now())]))
      .executeTakeFirst();
    return row ? ownerRecord(row) : null;
  }

  // Models.

  async insertModel(m: NewModel, db: Kysely<Database> = this.db): Promise<ModelRecord> {
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
    await inTransaction(db, async (trx) => {
      await trx.insertInto('models').values(row).execute();
      await addRefs(trx, `model:${row.id}`, m.files.map((f) => f.artifact));
    });
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

  /**
   * Deletes the row and its artifact references in one transaction; returns the artifacts nothing
   * references any more (no model, dataset or edge check of any owner), which the caller may discard.
   */
  async deleteModel(ownerId: string, id: string): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('models').select('files').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
      if (!row) return [];
      await trx.deleteFrom('models').where('id', '=', id).execute();
      const holder = `model:${id}`;
      await trx.deleteFrom('artifact_refs').where('holder', '=', holder).execute();
      return unreferenced(trx, (JSON.parse(row.files) as { artifact: string }[]).map((f) => f.artifact));
    });
  }

  /** Of `hashes`, those some model, dataset or edge check references. */
  async referencedArtifacts(hashes: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await this.db.selectFrom('artifact_refs').select('hash').distinct().where('hash', 'in', hashes.slice(i, i + 500)).execute();
      for (const r of rows) out.add(r.hash);
    }
    return out;
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
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('datasets').values(row).execute();
      await addRefs(trx, `dataset:${row.id}`, Object.values(d.files));
    });
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

  /** Jobs in `status`: the owner's, or everyone's without an owner id. */
  async countJobs(status: JobStatus, ownerId?: string): Promise<number> {
    let q = this.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status);
    if (ownerId !== undefined) q = q.where('owner_id', '=', ownerId);
    const r = await q.executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Atomically takes the oldest queued job for `workerId`; the attempt counter goes up. Edge-check
   * samples go first: a request is waiting for each, and they take seconds.
   */
  async claimNextJob(workerId: string): Promise<JobRecord | null> {
    return this.db.transaction().execute(async (trx) => {
      const next = await trx
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'QUEUED')
        .orderBy((eb) => eb.case().when('kind', '=', 'EDGE_SAMPLE').then(0).else(1).end())
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst();
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
    patch: JobPatch = {},
  ): Promise<{ job: JobRecord; event: JobEventRecord }> {
    const r = await this.appendJobEventIf(jobId, null, kind, payload, patch);
    if (!r) throw new Error(`Internal: job ${jobId} does not exist`);
    return r;
  }

  /**
   * appendJobEvent, but only while the job's status is one of `onlyIf` (null: any) and, given a
   * `holder`, only while that attempt holds the job (jobs.worker_id): else null and nothing written.
   * The condition and the write are one UPDATE, so the check holds on PostgreSQL under concurrency
   * (a worker whose job was taken over by another can no longer write into its timeline).
   */
  async appendJobEventIf(
    jobId: string,
    onlyIf: readonly JobStatus[] | null,
    kind: JobEventKind,
    payload: Record<string, unknown>,
    patch: JobPatch = {},
    holder?: string,
  ): Promise<{ job: JobRecord; event: JobEventRecord } | null> {
    return this.db.transaction().execute(async (trx) => {
      const t = now();
      let q = trx
        .updateTable('jobs')
        .set((eb) => ({ ...patch, last_sequence: eb('last_sequence', '+', 1), updated_at: t }))
        .where('id', '=', jobId);
      if (onlyIf) q = q.where('status', 'in', [...onlyIf]);
      if (holder !== undefined) q = q.where('worker_id', '=', holder);
      const job = await q.returningAll().executeTakeFirst();
      if (!job) return null;
      const event = { job_id: jobId, sequence: job.last_sequence, kind, status: job.status, payload: JSON.stringify(payload), created_at: t };
      await trx.insertInto('job_events').values(event).execute();
      return { job: jobRecord(job), event: jobEventRecord(event) };
    });
  }

  // Distributed mode: attempts delivered by the queue, fenced by the attempt's holder id.

  /**
   * The attempt `holder` takes the job (status RUNNING, attempts + 1), whoever held it before.
   * Returns the row as it was (`before`, with the previous holder) and as taken (`job`); `job` is
   * null when the job already finished (a duplicate delivery), and the whole result null when the
   * job does not exist.
   */
  async takeJob(jobId: string, holder: string): Promise<{ before: JobRecord; previousHolder: string | null; job: JobRecord | null } | null> {
    for (let attempt = 0; ; attempt++) {
      const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!row) return null;
      const before = jobRecord(row);
      if (TERMINAL.includes(before.status)) return { before, previousHolder: row.worker_id, job: null };
      const t = now();
      const taken = await this.db
        .updateTable('jobs')
        .set((eb) => ({ status: 'RUNNING', worker_id: holder, attempts: eb('attempts', '+', 1), started_at: eb.fn.coalesce('started_at', eb.val(t)), updated_at: t }))
        .where('id', '=', jobId)
        .where('status', '=', row.status)
        .where((eb) => (row.worker_id === null ? eb('worker_id', 'is', null) : eb('worker_id', '=', row.worker_id)))
        .returningAll()
        .executeTakeFirst();
      if (taken) return { before, previousHolder: row.worker_id, job: jobRecord(taken) };
      if (attempt >= 20) throw new Error(`Internal: job ${jobId} kept changing while being taken`);
    }
  }

  /**
   * Ends the job held by `holder` with its outcome - the result model, the evaluation, the final
   * event, the checkpoint dropped - in one transaction, or not at all (null) when the attempt no
   * longer holds the job. A job delivered twice therefore leaves one result model and one report.
   */
  async finishJob(jobId: string, holder: string, o: JobOutcome): Promise<{ job: JobRecord; event: JobEventRecord; model: ModelRecord | null; evaluation: EvaluationRecord | null } | null> {
    return this.db.transaction().execute(async (trx) => {
      const t = now();
      const modelId = o.model ? randomUUID() : null;
      const evaluationId = o.evaluation && (o.evaluation.modelId ?? modelId) ? randomUUID() : null;
      const job = await trx
        .updateTable('jobs')
        .set((eb) => ({ ...o.patch, status: o.status, finished_at: t, result_model_id: modelId, evaluation_id: evaluationId, last_sequence: eb('last_sequence', '+', 1), updated_at: t }))
        .where('id', '=', jobId)
        .where('status', '=', 'RUNNING')
        .where('worker_id', '=', holder)
        .returningAll()
        .executeTakeFirst();
      if (!job) return null;
      const model = o.model ? await this.insertModel({ ...o.model, id: modelId!, createdByJobId: jobId }, trx) : null;
      const evaluation =
        o.evaluation && evaluationId
          ? await this.insertEvaluation({ id: evaluationId, ownerId: o.evaluation.ownerId, modelId: o.evaluation.modelId ?? modelId!, datasetId: o.evaluation.datasetId, jobId, cleanAccuracy: o.evaluation.cleanAccuracy, report: o.evaluation.report }, trx)
          : null;
      const event = { job_id: jobId, sequence: job.last_sequence, kind: 'STATUS', status: job.status, payload: JSON.stringify(o.payload), created_at: t };
      await trx.insertInto('job_events').values(event).execute();
      await trx.deleteFrom('job_checkpoint_chunks').where('job_id', '=', jobId).execute();
      await trx.deleteFrom('job_checkpoints').where('job_id', '=', jobId).execute();
      return { job: jobRecord(job), event: jobEventRecord(event), model, evaluation };
    });
  }

  /** Queued jobs no API replica has handed to the queue yet, oldest first. */
  async undispatchedJobs(limit = 100): Promise<string[]> {
    const rows = await this.db.selectFrom('jobs').select('id').where('status', '=', 'QUEUED').where('dispatched_at', 'is', null).orderBy('seq').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async markDispatched(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.db.updateTable('jobs').set({ dispatched_at: now() }).where('id', 'in', [...jobIds]).where('dispatched_at', 'is', null).execute();
  }

  async jobCancelRequested(jobId: string): Promise<boolean> {
    const r = await this.db.selectFrom('jobs').select('cancel_requested').where('id', '=', jobId).executeTakeFirst();
    return r?.cancel_requested === 1;
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

  /** The job's crash budget: worker deaths so far and how many it may take (max_attempts). */
  async jobCrashBudget(jobId: string): Promise<{ crashes: number; maxAttempts: number }> {
    const r = await this.db.selectFrom('jobs').select(['crashes', 'max_attempts']).where('id', '=', jobId).executeTakeFirstOrThrow();
    return { crashes: r.crashes, maxAttempts: r.max_attempts };
  }

  /** Records the configuration the worker resolved, while the attempt `holder` holds the job; false when it no longer does. */
  async setJobConfig(jobId: string, holder: string, config: Readonly<Record<string, unknown>>): Promise<boolean> {
    const r = await this.db.updateTable('jobs').set({ config: JSON.stringify(config), updated_at: now() }).where('id', '=', jobId).where('worker_id', '=', holder).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Epochs in the job's checkpoint stored in the database (distributed mode), null when there is none. */
  async storedCheckpointEpoch(jobId: string): Promise<number | null> {
    const r = await this.db.selectFrom('job_checkpoints').select('epoch').where('job_id', '=', jobId).executeTakeFirst();
    return r?.epoch ?? null;
  }

  // Evaluations.

  async insertEvaluation(e: Omit<EvaluationRecord, 'id' | 'createdAt'> & { id?: string }, db: Kysely<Database> = this.db): Promise<EvaluationRecord> {
    const row = {
      id: e.id ?? randomUUID(),
      owner_id: e.ownerId,
      model_id: e.modelId,
      dataset_id: e.datasetId,
      job_id: e.jobId,
      clean_accuracy: e.cleanAccuracy,
      report: JSON.stringify(e.report),
      created_at: now(),
    };
    await db.insertInto('evaluations').values(row).execute();
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

  // Edge checks and their device reports.

  async insertEdgeCheck(c: Omit<EdgeCheckRecord, 'id' | 'createdAt' | 'status'>): Promise<EdgeCheckRecord> {
    const row = {
      id: randomUUID(),
      owner_id: c.ownerId,
      model_id: c.modelId,
      dataset_id: c.datasetId,
      surrogate_ids: JSON.stringify(c.surrogateIds),
      settings: JSON.stringify(c.settings),
      sample_artifact: c.sampleArtifact,
      model_sha256: c.modelSha256,
      status: 'PENDING',
      created_at: now(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('edge_checks').values(row).execute();
      await addRefs(trx, `edge-check:${row.id}`, [row.sample_artifact]);
    });
    return edgeCheckRecord(row);
  }

  async edgeChecksByIds(ownerId: string, ids: readonly string[]): Promise<(EdgeCheckRecord | null)[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('edge_checks').selectAll().where('owner_id', '=', ownerId).where('id', 'in', [...ids]).execute();
    return byIds(ids, rows.map(edgeCheckRecord));
  }

  async listEdgeChecks(ownerId: string, page: Page): Promise<EdgeCheckRecord[]> {
    const rows = await this.db.selectFrom('edge_checks').selectAll().where('owner_id', '=', ownerId).orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
    return rows.map(edgeCheckRecord);
  }

  async edgeReportsByCheckIds(ownerId: string, checkIds: readonly string[]): Promise<EdgeReportRecord[][]> {
    if (checkIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('edge_reports')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('check_id', 'in', [...checkIds])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const records = rows.map(edgeReportRecord);
    return checkIds.map((id) => records.filter((r) => r.checkId === id));
  }

  /** Stores the report and sets the check's status (the caller's verdict, else from its flags), in one transaction. */
  async insertEdgeReport(r: Omit<EdgeReportRecord, 'id' | 'createdAt'> & { status?: EdgeCheckRecord['status'] }): Promise<EdgeCheckRecord> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('edge_reports')
        .values({
          id: randomUUID(),
          check_id: r.checkId,
          owner_id: r.ownerId,
          backend: r.backend,
          agreement_rate: r.agreementRate,
          flags: JSON.stringify(r.flags),
          report: JSON.stringify(r.report),
          created_at: now(),
        })
        .execute();
      await trx.updateTable('edge_checks').set({ status: r.status ?? (r.flags.length > 0 ? 'FLAGGED' : 'PASSED') }).where('id', '=', r.checkId).execute();
      return edgeCheckRecord(await trx.selectFrom('edge_checks').selectAll().where('id', '=', r.checkId).executeTakeFirstOrThrow());
    });
  }
}
