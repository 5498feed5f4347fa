import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.ts';

export interface OpenDatabaseOptions {
  /** Path of the SQLite file; ':memory:' for throwaway stores. */
  readonly file: string;
  /** Called once per executed SQL statement (tests count them). */
  readonly onQuery?: (sql: string) => void;
}

const logger = (onQuery?: (sql: string) => void) => (onQuery ? (event: { level: string; query: { sql: string } }) => (event.level === 'query' ? onQuery(event.query.sql) : undefined) : undefined);

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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), log: logger(o.onQuery) });
  return { db, sqlite };
}

/**
 * Kysely's SQLite driver prepares every statement anew; a prepared statement per distinct SQL text
 * is reused instead (preparing was ~20% of a typical API request's SQL time). Bounded: `in (?, ?)`
 * lists make many distinct texts. Safe because Kysely runs one statement at a time per connection.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= max) cache.clear();
        stmt = sqlite.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  } as SqliteDatabase;
}

export interface OpenPostgresOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** Connections in the pool (API replicas: TEMPER_DB_POOL); at least 2: the startup lock holds one while the other migrates. */
  readonly poolSize?: number;
  readonly onQuery?: (sql: string) => void;
}

/** PostgreSQL through node-postgres' pool, behind the same Kysely query builder (distributed mode). */
export function openPostgresDatabase(o: OpenPostgresOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: o.url, max: Math.max(2, o.poolSize ?? 10), idleTimeoutMillis: 30_000 });
  // An idle client whose server went away emits 'error' on the pool; the next checkout reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: logger(o.onQuery) });
  return { db, pool };
}
