import { randomUUID } from 'node:crypto';
import { TERMINAL_JOB_STATUSES, type EvaluationRecord, type JobEventRecord, type JobRecord, type JobStatus, type ModelRecord, type TerminalJobStatus } from '@temper/contracts';
import type { Kysely } from 'kysely';
import { now } from './clock.ts';
import { insertEvaluation } from './evaluations.ts';
import type { JobPatch } from './jobs.ts';
import { insertModel, type NewModel } from './models.ts';
import { jobEventRecord, jobRecord } from './rows.ts';
import type { Database } from './tables.ts';

const TERMINAL: readonly JobStatus[] = TERMINAL_JOB_STATUSES;

/** What a finished job leaves behind, written with its final event in one transaction (distributed mode). */
export interface JobOutcome {
  readonly status: TerminalJobStatus;
  readonly payload: Record<string, unknown>;
  readonly patch?: JobPatch;
  readonly model?: Omit<NewModel, 'id' | 'createdByJobId'>;
  /** modelId null: the evaluation is of the model this outcome creates. */
  readonly evaluation?: Omit<EvaluationRecord, 'id' | 'createdAt' | 'jobId' | 'modelId'> & { modelId: string | null };
}

export async function takeJob(db: Kysely<Database>, jobId: string, holder: string): Promise<{ before: JobRecord; previousHolder: string | null; job: JobRecord | null } | null> {
  for (let attempt = 0; ; attempt++) {
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    if (!row) return null;
    const before = jobRecord(row);
    if (TERMINAL.includes(before.status)) return { before, previousHolder: row.worker_id, job: null };
    const t = now();
    // Compare-and-set on (status, worker_id) as read: of two deliveries racing, one takes the job and the other reads again.
    const taken = await db
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

export async function finishJob(db: Kysely<Database>, jobId: string, holder: string, o: JobOutcome): Promise<{ job: JobRecord; event: JobEventRecord; model: ModelRecord | null; evaluation: EvaluationRecord | null } | null> {
  return db.transaction().execute(async (trx) => {
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
    const model = o.model ? await insertModel(trx, { ...o.model, id: modelId!, createdByJobId: jobId }) : null;
    const evaluation =
      o.evaluation && evaluationId
        ? await insertEvaluation(trx, { id: evaluationId, ownerId: o.evaluation.ownerId, modelId: o.evaluation.modelId ?? modelId!, datasetId: o.evaluation.datasetId, jobId, cleanAccuracy: o.evaluation.cleanAccuracy, report: o.evaluation.report })
        : null;
    const event = { job_id: jobId, sequence: job.last_sequence, kind: 'STATUS', status: job.status, payload: JSON.stringify(o.payload), created_at: t };
    await trx.insertInto('job_events').values(event).execute();
    await trx.deleteFrom('job_checkpoint_chunks').where('job_id', '=', jobId).execute();
    await trx.deleteFrom('job_checkpoints').where('job_id', '=', jobId).execute();
    return { job: jobRecord(job), event: jobEventRecord(event), model, evaluation };
  });
}

export async function setJobConfig(db: Kysely<Database>, jobId: string, holder: string, config: Readonly<Record<string, unknown>>): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ config: JSON.stringify(config), updated_at: now() }).where('id', '=', jobId).where('worker_id', '=', holder).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
