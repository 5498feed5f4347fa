import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialect } from './dialect.ts';

/**
 * Owners, tokens, models, datasets, jobs with their event timeline, evaluations. The same tables on
 * SQLite and PostgreSQL; only the auto-increment key and the float type are spelled per dialect.
 */
export const initial = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('owners')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('owners.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('label', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema
      .createTable('models')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('owners.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('producer', 'text')
      .addColumn('input_shape', 'text', (c) => c.notNull())
      .addColumn('num_classes', 'integer', (c) => c.notNull())
      .addColumn('parameter_count', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('feature_layer', 'text', (c) => c.notNull())
      .addColumn('outputs_were_softmax', 'integer', (c) => c.notNull())
      .addColumn('preprocessing', 'text', (c) => c.notNull())
      .addColumn('architecture', 'text')
      .addColumn('files', 'text', (c) => c.notNull())
      .addColumn('warnings', 'text', (c) => c.notNull())
      .addColumn('created_by_job_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('models_owner').on('models').columns(['owner_id', 'created_at']).execute();
    await db.schema
      .createTable('datasets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.references('owners.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('builtin_name', 'text')
      .addColumn('files', 'text', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('channels', 'integer', (c) => c.notNull())
      .addColumn('num_classes', 'integer', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('class_names', 'text')
      .addColumn('train_size', 'integer', (c) => c.notNull())
      .addColumn('test_size', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('jobs')
      .addColumn('seq', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('owners.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('method', 'text')
      .addColumn('input', 'text', (c) => c.notNull())
      .addColumn('config', 'text')
      .addColumn('seed', 'integer', (c) => c.notNull())
      .addColumn('model_id', 'text')
      .addColumn('teacher_id', 'text')
      .addColumn('dataset_id', 'text', (c) => c.notNull())
      .addColumn('result_model_id', 'text')
      .addColumn('evaluation_id', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('progress', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('last_sequence', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('checkpoint_epoch', 'integer')
      .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('worker_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_queue').on('jobs').columns(['status', 'seq']).execute();
    await db.schema.createIndex('jobs_owner').on('jobs').columns(['owner_id', 'seq']).execute();
    await db.schema
      .createTable('job_events')
      .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('job_events_pk', ['job_id', 'sequence'])
      .execute();
    await db.schema
      .createTable('evaluations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('owners.id'))
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('dataset_id', 'text', (c) => c.notNull())
      .addColumn('job_id', 'text')
      .addColumn('clean_accuracy', dialect === 'postgres' ? 'double precision' : 'real', (c) => c.notNull())
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('evaluations_model').on('evaluations').columns(['model_id', 'created_at']).execute();
    void sql;
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['evaluations', 'job_events', 'jobs', 'datasets', 'models', 'api_tokens', 'owners']) await db.schema.dropTable(t).execute();
  },
});
