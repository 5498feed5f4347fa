import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from './dialect.ts';

/**
 * Teachers a hardening job trained for its owner (`teacher: AUTO`): the reuse key (dataset, eps,
 * architecture) as an indexed column, so the next job of the same owner finds one with one lookup,
 * and the model's metadata (the recipe and the budget spent) as JSON.
 */
export const autoTeachers = (_dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('models').addColumn('auto_teacher_key', 'text').execute();
    await db.schema.alterTable('models').addColumn('metadata', 'text').execute();
    await db.schema.createIndex('models_auto_teacher').on('models').columns(['owner_id', 'auto_teacher_key']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('models_auto_teacher').execute();
    await db.schema.alterTable('models').dropColumn('metadata').execute();
    await db.schema.alterTable('models').dropColumn('auto_teacher_key').execute();
  },
});
