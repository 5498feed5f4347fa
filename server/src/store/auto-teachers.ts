import type { JobEventRecord, JobRecord, ModelRecord } from '@temper/contracts';
import type { Kysely } from 'kysely';
import { now } from './clock.ts';
import { insertModel, type NewModel } from './models.ts';
import { jobEventRecord, jobRecord } from './rows.ts';
import type { Database } from './tables.ts';

/** Rolls the transaction back when the attempt no longer holds its job. */
class NotHeld extends Error {}

/**
 * A teacher a running job trained (teacher: AUTO), stored as a model of the job's owner and made the
 * job's teacher, with its timeline event, in one transaction and only while the attempt `holder`
 * holds the job: a job killed after this reuses the stored teacher, and one taken over before it
 * leaves no orphan model. Null when the attempt lost the job.
 */
export async function storeJobTeacher(
  db: Kysely<Database>,
  jobId: string,
  holder: string,
  model: Omit<NewModel, 'id' | 'createdByJobId'>,
  payload: (model: ModelRecord) => Record<string, unknown>,
): Promise<{ job: JobRecord; event: JobEventRecord; model: ModelRecord } | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      const stored = await insertModel(trx, { ...model, createdByJobId: jobId });
      const t = now();
      const job = await trx
        .updateTable('jobs')
        .set((eb) => ({ teacher_id: stored.id, last_sequence: eb('last_sequence', '+', 1), updated_at: t }))
        .where('id', '=', jobId)
        .where('status', '=', 'RUNNING')
        .where('worker_id', '=', holder)
        .returningAll()
        .executeTakeFirst();
      if (!job) throw new NotHeld();
      const event = { job_id: jobId, sequence: job.last_sequence, kind: 'LOG', status: job.status, payload: JSON.stringify(payload(stored)), created_at: t };
      await trx.insertInto('job_events').values(event).execute();
      return { job: jobRecord(job), event: jobEventRecord(event), model: stored };
    });
  } catch (e) {
    if (e instanceof NotHeld) return null;
    throw e;
  }
}
