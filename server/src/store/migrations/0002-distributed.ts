import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from './dialect.ts';

/**
 * What distributed mode keeps in the database (both dialects get the tables, so the schema is one):
 * artifacts as chunked binary rows (no shared disk between API replicas and workers), each job's
 * latest checkpoint the same way, and when a queued job was handed to the BullMQ queue.
 */
export const distributed = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    const binary = dialect === 'postgres' ? 'bytea' : 'blob';
    await db.schema.alterTable('jobs').addColumn('dispatched_at', 'text').execute();
    await db.schema
      .createTable('artifact_blobs')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('chunks', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('artifact_chunks')
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('data', binary, (c) => c.notNull())
      .addPrimaryKeyConstraint('artifact_chunks_pk', ['hash', 'idx'])
      .execute();
    await db.schema
      .createTable('job_checkpoints')
      .addColumn('job_id', 'text', (c) => c.primaryKey())
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('chunks', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('job_checkpoint_chunks')
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('data', binary, (c) => c.notNull())
      .addPrimaryKeyConstraint('job_checkpoint_chunks_pk', ['job_id', 'idx'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['job_checkpoint_chunks', 'job_checkpoints', 'artifact_chunks', 'artifact_blobs']) await db.schema.dropTable(t).execute();
    await db.schema.alterTable('jobs').dropColumn('dispatched_at').execute();
  },
});
