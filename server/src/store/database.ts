import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './tables.ts';

export interface OpenDatabaseOptions {
  /** Path of the SQLite file; ':memory:' for throwaway stores. */
  readonly file: string;
  /** Called once per executed SQL statement (tests count them). */
  readonly onQuery?: (sql: string) => void;
}

/**
 * SQLite through better-sqlite3 in WAL mode (readers never block the one writer; the API process
 * and the job workers' supervisor share the file), behind Kysely so that queries stay portable.
 */
export function openDatabase(o: OpenDatabaseOptions): { db: Kysely<Database>; sqlite: BetterSqlite3.Database } {
  const sqlite = new BetterSqlite3(o.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: o.onQuery ? (event) => (event.level === 'query' ? o.onQuery!(event.query.sql) : undefined) : undefined,
  });
  return { db, sqlite };
}
