import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from './dialect.ts';

/**
 * Edge checks (issue #7): the check a device downloads (student, surrogates, settings, the sample's
 * artifact) and the reports devices submit back, each with the flags the server computed.
 */
export const edgeChecks = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    const float = dialect === 'postgres' ? 'double precision' : 'real';
    await db.schema
      .createTable('edge_checks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('owners.id'))
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('dataset_id', 'text', (c) => c.notNull())
      .addColumn('surrogate_ids', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('sample_artifact', 'text', (c) => c.notNull())
      .addColumn('model_sha256', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('edge_checks_owner').on('edge_checks').columns(['owner_id', 'created_at']).execute();
    await db.schema
      .createTable('edge_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('check_id', 'text', (c) => c.notNull().references('edge_checks.id').onDelete('cascade'))
      .addColumn('owner_id', 'text', (c) => c.notNull().references('owners.id'))
      .addColumn('backend', 'text', (c) => c.notNull())
      .addColumn('agreement_rate', float)
      .addColumn('flags', 'text', (c) => c.notNull())
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('edge_reports_check').on('edge_reports').columns(['check_id', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['edge_reports', 'edge_checks']) await db.schema.dropTable(t).execute();
  },
});
