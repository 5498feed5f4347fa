import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/**
 * Runs `fn` in a transaction, or inside the one `db` already is: a concern's write can then stand
 * alone or be part of another's (finishJob inserts a model inside its own transaction).
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
