import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from './dialect.ts';

/** API tokens may expire (null: never); revoking deletes the row. */
export const tokenExpiry = (_dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
    await db.schema.createIndex('api_tokens_owner').on('api_tokens').column('owner_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('api_tokens_owner').execute();
    await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  },
});
