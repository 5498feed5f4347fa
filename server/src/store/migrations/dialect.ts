/** The SQL engines the store runs on: SQLite (embedded mode) and PostgreSQL (distributed mode). */
export type SqlDialect = 'sqlite' | 'postgres';
