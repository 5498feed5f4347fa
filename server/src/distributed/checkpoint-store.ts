import type { Kysely } from 'kysely';
import { chunksOf, joinChunks } from '../artifacts/database-artifact-store.ts';
import type { CheckpointStore, HardeningCheckpoint } from '../hardening/contract.ts';
import { LostJobError } from '../jobs/attempt-errors.ts';
import type { Database } from '../store/tables.ts';

export { LostJobError } from '../jobs/attempt-errors.ts';

/**
 * A job's latest checkpoint in the database (distributed mode), so that whichever worker resumes
 * the job finds it. A save replaces the previous one in one transaction, fenced by the attempt that
 * holds the job: a worker that lost its job (killed, stalled, cut off from Redis) cannot overwrite
 * the checkpoint of the attempt that took over.
 */
export class DatabaseCheckpointStore implements CheckpointStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly jobId: string,
    private readonly holder: string,
    private readonly onSaved: (epoch: number) => void | Promise<void> = () => {},
  ) {}

  async load(): Promise<HardeningCheckpoint | undefined> {
    const head = await this.db.selectFrom('job_checkpoints').selectAll().where('job_id', '=', this.jobId).executeTakeFirst();
    if (!head) return undefined;
    const rows = await this.db.selectFrom('job_checkpoint_chunks').select('data').where('job_id', '=', this.jobId).orderBy('idx').execute();
    if (rows.length !== head.chunks) return undefined;
    return { epoch: head.epoch, payload: joinChunks(rows, head.bytes) };
  }

  async save(c: HardeningCheckpoint): Promise<void> {
    const chunks = chunksOf(c.payload);
    await this.db.transaction().execute(async (trx) => {
      // Locks the job's row until commit: a takeover waits for this save or this save sees it.
      const held = await trx.updateTable('jobs').set({ updated_at: new Date().toISOString() }).where('id', '=', this.jobId).where('status', '=', 'RUNNING').where('worker_id', '=', this.holder).returning('id').executeTakeFirst();
      if (!held) throw new LostJobError(this.jobId);
      await trx.deleteFrom('job_checkpoint_chunks').where('job_id', '=', this.jobId).execute();
      for (let i = 0; i < chunks.length; i++) await trx.insertInto('job_checkpoint_chunks').values({ job_id: this.jobId, idx: i, data: chunks[i] }).execute();
      const head = { epoch: c.epoch, bytes: c.payload.byteLength, chunks: chunks.length, updated_at: new Date().toISOString() };
      await trx
        .insertInto('job_checkpoints')
        .values({ job_id: this.jobId, ...head })
        .onConflict((oc) => oc.column('job_id').doUpdateSet(head))
        .execute();
    });
    await this.onSaved(c.epoch);
  }
}
