import type { ApiTokenRecord, DatasetRecord, EdgeCheckRecord, EdgeReportRecord, EvaluationRecord, JobEventKind, JobEventRecord, JobFilter, JobRecord, JobStatus, ModelFilter, ModelRecord, OwnerRecord, Page } from '@temper/contracts';
import { sql, type Kysely } from 'kysely';
import * as artifactRefs from './artifact-refs.ts';
import * as attempts from './attempts.ts';
import * as autoTeachers from './auto-teachers.ts';
import type { JobOutcome } from './attempts.ts';
import { openDatabase, openPostgresDatabase } from './database.ts';
import * as datasets from './datasets.ts';
import type { NewDataset } from './datasets.ts';
import * as edgeChecks from './edge-checks.ts';
import type { NewEdgeCheck, NewEdgeReport } from './edge-checks.ts';
import * as evaluations from './evaluations.ts';
import type { NewEvaluation } from './evaluations.ts';
import * as events from './events.ts';
import * as jobs from './jobs.ts';
import type { JobPatch, NewJob } from './jobs.ts';
import { migrateToLatest } from './migrate.ts';
import type { SqlDialect } from './migrations/dialect.ts';
import * as models from './models.ts';
import type { NewModel } from './models.ts';
import * as owners from './owners.ts';
import type { Database } from './tables.ts';

export type { JobOutcome } from './attempts.ts';
export type { NewDataset } from './datasets.ts';
export type { JobPatch, NewJob } from './jobs.ts';
export type { NewModel } from './models.ts';
export { hashToken } from './owners.ts';

/** pg_advisory_lock key held while a process migrates and bootstraps a PostgreSQL store ("temper"). */
const STARTUP_LOCK = 0x74656d70;

/**
 * Temper's persistence: every query of the API, the queue and the CLI, written once against
 * Kysely. Every read that takes an owner id returns that owner's rows only. The SQL lives in one
 * file per concern (owners, models, datasets, jobs, events, attempts, evaluations, edge checks) as
 * functions of the Kysely db, so a transaction spanning concerns passes its db to the others; this
 * class only binds them to the open database, so callers keep one object to hold.
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

  // Owners and tokens (owners.ts).

  async ownerCount(): Promise<number> {
    return owners.ownerCount(this.db);
  }

  /** Every owner's id, oldest first (built-in teachers are given to each). */
  async ownerIds(): Promise<string[]> {
    return owners.ownerIds(this.db);
  }

  async ensureOwner(name: string): Promise<OwnerRecord> {
    return owners.ensureOwner(this.db, name);
  }

  /** Mints a token for the owner and returns it; it is never retrievable again. */
  async createToken(ownerId: string, label: string | null = null, expiresAt: string | null = null): Promise<string> {
    return (await this.mintToken(ownerId, label, expiresAt)).token;
  }

  /** createToken, with the token's record. */
  async mintToken(ownerId: string, label: string | null, expiresAt: string | null): Promise<{ token: string; record: ApiTokenRecord }> {
    return owners.mintToken(this.db, ownerId, label, expiresAt);
  }

  async listTokens(ownerId: string): Promise<ApiTokenRecord[]> {
    return owners.listTokens(this.db, ownerId);
  }

  /** Deletes the owner's token `id`; null when the owner has no such token. */
  async revokeToken(ownerId: string, id: string): Promise<ApiTokenRecord | null> {
    return owners.revokeToken(this.db, ownerId, id);
  }

  async ownerByToken(token: string): Promise<OwnerRecord | null> {
    return owners.ownerByToken(this.db, token);
  }

  // Models (models.ts) and the artifacts they share with datasets and edge checks (artifact-refs.ts).

  async insertModel(m: NewModel, db: Kysely<Database> = this.db): Promise<ModelRecord> {
    return models.insertModel(db, m);
  }

  /** The owner's model with these exact bytes (by sha256) and producer, if any. */
  async modelBySha256(ownerId: string, sha256: string, producer: string): Promise<ModelRecord | null> {
    return models.modelBySha256(this.db, ownerId, sha256, producer);
  }

  /** The owner's newest teacher trained for this key by a `teacher: AUTO` job (auto-teachers.ts), or null. */
  async autoTeacher(ownerId: string, key: string): Promise<ModelRecord | null> {
    return models.autoTeacher(this.db, ownerId, key);
  }

  /** A teacher the attempt `holder` trained, stored as the owner's model and made its job's teacher, in one transaction; null when the attempt lost the job. */
  async storeJobTeacher(jobId: string, holder: string, model: Omit<NewModel, 'id' | 'createdByJobId'>, payload: (model: ModelRecord) => Record<string, unknown>): Promise<{ job: JobRecord; event: JobEventRecord; model: ModelRecord } | null> {
    return autoTeachers.storeJobTeacher(this.db, jobId, holder, model, payload);
  }

  async modelsByIds(ownerId: string, ids: readonly string[]): Promise<(ModelRecord | null)[]> {
    return models.modelsByIds(this.db, ownerId, ids);
  }

  async listModels(ownerId: string, filter: ModelFilter, page: Page): Promise<ModelRecord[]> {
    return models.listModels(this.db, ownerId, filter, page);
  }

  /** Jobs that still need the model (queued or running, as student, teacher or evaluation target). */
  async activeJobsUsingModel(modelId: string): Promise<string[]> {
    return models.activeJobsUsingModel(this.db, modelId);
  }

  /**
   * Deletes the row and its artifact references in one transaction; returns the artifacts nothing
   * references any more (no model, dataset or edge check of any owner), which the caller may discard.
   */
  async deleteModel(ownerId: string, id: string): Promise<string[]> {
    return models.deleteModel(this.db, ownerId, id);
  }

  /** Of `hashes`, those some model, dataset or edge check references. */
  async referencedArtifacts(hashes: readonly string[]): Promise<Set<string>> {
    return artifactRefs.referencedArtifacts(this.db, hashes);
  }

  async modelExists(ownerId: string, id: string): Promise<boolean> {
    return models.modelExists(this.db, ownerId, id);
  }

  // Datasets (datasets.ts).

  async insertDataset(d: NewDataset): Promise<DatasetRecord> {
    return datasets.insertDataset(this.db, d);
  }

  async builtinDataset(name: string): Promise<DatasetRecord | null> {
    return datasets.builtinDataset(this.db, name);
  }

  /** The owner's datasets plus the built-in ones. */
  async datasetsByIds(ownerId: string, ids: readonly string[]): Promise<(DatasetRecord | null)[]> {
    return datasets.datasetsByIds(this.db, ownerId, ids);
  }

  async listDatasets(ownerId: string, page: Page): Promise<DatasetRecord[]> {
    return datasets.listDatasets(this.db, ownerId, page);
  }

  // Jobs (jobs.ts).

  async insertJob(j: NewJob): Promise<JobRecord> {
    return jobs.insertJob(this.db, j);
  }

  async jobsByIds(ownerId: string, ids: readonly string[]): Promise<(JobRecord | null)[]> {
    return jobs.jobsByIds(this.db, ownerId, ids);
  }

  async jobById(id: string): Promise<JobRecord | null> {
    return jobs.jobById(this.db, id);
  }

  async listJobs(ownerId: string, filter: JobFilter, page: Page): Promise<JobRecord[]> {
    return jobs.listJobs(this.db, ownerId, filter, page);
  }

  /** Jobs in `status`: the owner's, or everyone's without an owner id. */
  async countJobs(status: JobStatus, ownerId?: string): Promise<number> {
    return jobs.countJobs(this.db, status, ownerId);
  }

  /**
   * Atomically takes the oldest queued job for `workerId`; the attempt counter goes up. Edge-check
   * samples go first: a request is waiting for each, and they take seconds.
   */
  async claimNextJob(workerId: string): Promise<JobRecord | null> {
    return jobs.claimNextJob(this.db, workerId);
  }

  /** Queued jobs no API replica has handed to the queue yet, oldest first. */
  async undispatchedJobs(limit = 100): Promise<string[]> {
    return jobs.undispatchedJobs(this.db, limit);
  }

  async markDispatched(jobIds: readonly string[]): Promise<void> {
    return jobs.markDispatched(this.db, jobIds);
  }

  async jobCancelRequested(jobId: string): Promise<boolean> {
    return jobs.jobCancelRequested(this.db, jobId);
  }

  async setCancelRequested(jobId: string): Promise<void> {
    return jobs.setCancelRequested(this.db, jobId);
  }

  /** Jobs left RUNNING by a server process that is gone (not `liveServerId`). */
  async orphanedRunningJobs(liveServerId: string): Promise<JobRecord[]> {
    return jobs.orphanedRunningJobs(this.db, liveServerId);
  }

  async jobMaxAttempts(jobId: string): Promise<number> {
    return jobs.jobMaxAttempts(this.db, jobId);
  }

  /** The job's crash budget: worker deaths so far and how many it may take (max_attempts). */
  async jobCrashBudget(jobId: string): Promise<{ crashes: number; maxAttempts: number }> {
    return jobs.jobCrashBudget(this.db, jobId);
  }

  /** Epochs in the job's checkpoint stored in the database (distributed mode), null when there is none. */
  async storedCheckpointEpoch(jobId: string): Promise<number | null> {
    return jobs.storedCheckpointEpoch(this.db, jobId);
  }

  // Job events (events.ts).

  /**
   * Appends an event to the job's timeline under the next sequence number, applying `patch` to the
   * job in the same transaction, and returns both. The one writer of events, so sequences have no gaps.
   */
  async appendJobEvent(jobId: string, kind: JobEventKind, payload: Record<string, unknown>, patch: JobPatch = {}): Promise<{ job: JobRecord; event: JobEventRecord }> {
    return events.appendJobEvent(this.db, jobId, kind, payload, patch);
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
    return events.appendJobEventIf(this.db, jobId, onlyIf, kind, payload, patch, holder);
  }

  async jobEvents(jobId: string, afterSequence: number, limit = 1000): Promise<JobEventRecord[]> {
    return events.jobEvents(this.db, jobId, afterSequence, limit);
  }

  // Distributed mode: attempts delivered by the queue, fenced by the attempt's holder id (attempts.ts).

  /**
   * The attempt `holder` takes the job (status RUNNING, attempts + 1), whoever held it before.
   * Returns the row as it was (`before`, with the previous holder) and as taken (`job`); `job` is
   * null when the job already finished (a duplicate delivery), and the whole result null when the
   * job does not exist.
   */
  async takeJob(jobId: string, holder: string): Promise<{ before: JobRecord; previousHolder: string | null; job: JobRecord | null } | null> {
    return attempts.takeJob(this.db, jobId, holder);
  }

  /**
   * Ends the job held by `holder` with its outcome - the result model, the evaluation, the final
   * event, the checkpoint dropped - in one transaction, or not at all (null) when the attempt no
   * longer holds the job. A job delivered twice therefore leaves one result model and one report.
   */
  async finishJob(jobId: string, holder: string, o: JobOutcome): Promise<{ job: JobRecord; event: JobEventRecord; model: ModelRecord | null; evaluation: EvaluationRecord | null } | null> {
    return attempts.finishJob(this.db, jobId, holder, o);
  }

  /** Records the configuration the worker resolved, while the attempt `holder` holds the job; false when it no longer does. */
  async setJobConfig(jobId: string, holder: string, config: Readonly<Record<string, unknown>>): Promise<boolean> {
    return attempts.setJobConfig(this.db, jobId, holder, config);
  }

  // Evaluations (evaluations.ts).

  async insertEvaluation(e: NewEvaluation, db: Kysely<Database> = this.db): Promise<EvaluationRecord> {
    return evaluations.insertEvaluation(db, e);
  }

  async evaluationsByIds(ownerId: string, ids: readonly string[]): Promise<(EvaluationRecord | null)[]> {
    return evaluations.evaluationsByIds(this.db, ownerId, ids);
  }

  async evaluationIdsByModelIds(ownerId: string, modelIds: readonly string[]): Promise<string[][]> {
    return evaluations.evaluationIdsByModelIds(this.db, ownerId, modelIds);
  }

  // Edge checks and their device reports (edge-checks.ts).

  async insertEdgeCheck(c: NewEdgeCheck): Promise<EdgeCheckRecord> {
    return edgeChecks.insertEdgeCheck(this.db, c);
  }

  async edgeChecksByIds(ownerId: string, ids: readonly string[]): Promise<(EdgeCheckRecord | null)[]> {
    return edgeChecks.edgeChecksByIds(this.db, ownerId, ids);
  }

  async listEdgeChecks(ownerId: string, page: Page): Promise<EdgeCheckRecord[]> {
    return edgeChecks.listEdgeChecks(this.db, ownerId, page);
  }

  async edgeReportsByCheckIds(ownerId: string, checkIds: readonly string[]): Promise<EdgeReportRecord[][]> {
    return edgeChecks.edgeReportsByCheckIds(this.db, ownerId, checkIds);
  }

  /** Stores the report and sets the check's status (the caller's verdict, else from its flags), in one transaction. */
  async insertEdgeReport(r: NewEdgeReport): Promise<EdgeCheckRecord> {
    return edgeChecks.insertEdgeReport(this.db, r);
  }
}
