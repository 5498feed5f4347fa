import { randomUUID } from 'node:crypto';
import type { JobFilter, JobRecord, JobStatus, Page } from '@temper/contracts';
import type { Insertable, Kysely } from 'kysely';
import { now } from './clock.ts';
import { byIds, jobRecord } from './rows.ts';
import type { Database, JobsTable } from './tables.ts';

export type NewJob = Pick<JobRecord, 'ownerId' | 'kind' | 'method' | 'input' | 'seed' | 'modelId' | 'teacherId' | 'datasetId'> & { maxAttempts: number };
export type JobPatch = Partial<Omit<Insertable<JobsTable>, 'id' | 'seq'>>;

export async function insertJob(db: Kysely<Database>, j: NewJob): Promise<JobRecord> {
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
  const inserted = await db.insertInto('jobs').values(row).returningAll().executeTakeFirstOrThrow();
  return jobRecord(inserted);
}

export async function jobsByIds(db: Kysely<Database>, ownerId: string, ids: readonly string[]): Promise<(JobRecord | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('jobs').selectAll().where('owner_id', '=', ownerId).where('id', 'in', [...ids]).execute();
  return byIds(ids, rows.map(jobRecord));
}

export async function jobById(db: Kysely<Database>, id: string): Promise<JobRecord | null> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? jobRecord(row) : null;
}

export async function listJobs(db: Kysely<Database>, ownerId: string, filter: JobFilter, page: Page): Promise<JobRecord[]> {
  let q = db.selectFrom('jobs').selectAll().where('owner_id', '=', ownerId);
  if (filter.status?.length) q = q.where('status', 'in', [...filter.status]);
  if (filter.method?.length) q = q.where('method', 'in', [...filter.method]);
  if (filter.kind?.length) q = q.where('kind', 'in', [...filter.kind]);
  const rows = await q.orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute();
  return rows.map(jobRecord);
}

export async function countJobs(db: Kysely<Database>, status: JobStatus, ownerId?: string): Promise<number> {
  let q = db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status);
  if (ownerId !== undefined) q = q.where('owner_id', '=', ownerId);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function claimNextJob(db: Kysely<Database>, workerId: string): Promise<JobRecord | null> {
  return db.transaction().execute(async (trx) => {
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

export async function undispatchedJobs(db: Kysely<Database>, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('jobs').select('id').where('status', '=', 'QUEUED').where('dispatched_at', 'is', null).orderBy('seq').limit(limit).execute();
  return rows.map((r) => r.id);
}

export async function markDispatched(db: Kysely<Database>, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db.updateTable('jobs').set({ dispatched_at: now() }).where('id', 'in', [...jobIds]).where('dispatched_at', 'is', null).execute();
}

export async function jobCancelRequested(db: Kysely<Database>, jobId: string): Promise<boolean> {
  const r = await db.selectFrom('jobs').select('cancel_requested').where('id', '=', jobId).executeTakeFirst();
  return r?.cancel_requested === 1;
}

export async function setCancelRequested(db: Kysely<Database>, jobId: string): Promise<void> {
  await db.updateTable('jobs').set({ cancel_requested: 1, updated_at: now() }).where('id', '=', jobId).execute();
}

export async function orphanedRunningJobs(db: Kysely<Database>, liveServerId: string): Promise<JobRecord[]> {
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('status', '=', 'RUNNING')
    .where((eb) => eb.or([eb('worker_id', 'is', null), eb('worker_id', 'not like', `${liveServerId}/%`)]))
    .execute();
  return rows.map(jobRecord);
}

export async function jobMaxAttempts(db: Kysely<Database>, jobId: string): Promise<number> {
  const r = await db.selectFrom('jobs').select('max_attempts').where('id', '=', jobId).executeTakeFirstOrThrow();
  return r.max_attempts;
}

export async function jobCrashBudget(db: Kysely<Database>, jobId: string): Promise<{ crashes: number; maxAttempts: number }> {
  const r = await db.selectFrom('jobs').select(['crashes', 'max_attempts']).where('id', '=', jobId).executeTakeFirstOrThrow();
  return { crashes: r.crashes, maxAttempts: r.max_attempts };
}

export async function storedCheckpointEpoch(db: Kysely<Database>, jobId: string): Promise<number | null> {
  const r = await db.selectFrom('job_checkpoints').select('epoch').where('job_id', '=', jobId).executeTakeFirst();
  return r?.epoch ?? null;
}
