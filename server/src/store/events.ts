import type { JobEventKind, JobEventRecord, JobRecord, JobStatus } from '@temper/contracts';
import type { Kysely } from 'kysely';
import { now } from './clock.ts';
import type { JobPatch } from './jobs.ts';
import { jobEventRecord, jobRecord } from './rows.ts';
import type { Database } from './tables.ts';

export async function appendJobEvent(db: Kysely<Database>, jobId: string, kind: JobEventKind, payload: Record<string, unknown>, patch: JobPatch): Promise<{ job: JobRecord; event: JobEventRecord }> {
  const r = await appendJobEventIf(db, jobId, null, kind, payload, patch);
  if (!r) throw new Error(`Internal: job ${jobId} does not exist`);
  return r;
}

export async function appendJobEventIf(
  db: Kysely<Database>,
  jobId: string,
  onlyIf: readonly JobStatus[] | null,
  kind: JobEventKind,
  payload: Record<string, unknown>,
  patch: JobPatch,
  holder?: string,
): Promise<{ job: JobRecord; event: JobEventRecord } | null> {
  return db.transaction().execute(async (trx) => {
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

export async function jobEvents(db: Kysely<Database>, jobId: string, afterSequence: number, limit: number): Promise<JobEventRecord[]> {
  const rows = await db.selectFrom('job_events').selectAll().where('job_id', '=', jobId).where('sequence', '>', afterSequence).orderBy('sequence').limit(limit).execute();
  return rows.map(jobEventRecord);
}
