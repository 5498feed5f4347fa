import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { initial } from './migrations/0001-initial.ts';
import { distributed } from './migrations/0002-distributed.ts';
import { edgeChecks } from './migrations/0003-edge-checks.ts';
import { jobCrashes } from './migrations/0004-job-crashes.ts';
import { artifactRefs } from './migrations/0005-artifact-refs.ts';
import { tokenExpiry } from './migrations/0006-token-expiry.ts';
import { autoTeachers } from './migrations/0007-auto-teachers.ts';
import type { SqlDialect } from './migrations/dialect.ts';
import type { Database } from './tables.ts';

/** Migrations are code, listed here in order (no directory scan: works the same from tsx and bundles). */
const migrations = (dialect: SqlDialect): Record<string, Migration> => ({
  '0001-initial': initial(dialect),
  '0002-distributed': distributed(dialect),
  '0003-edge-checks': edgeChecks(dialect),
  '0004-job-crashes': jobCrashes(),
  '0005-artifact-refs': artifactRefs(dialect),
  '0006-token-expiry': tokenExpiry(dialect),
  '0007-auto-teachers': autoTeachers(dialect),
});

export async function migrateToLatest(db: Kysely<Database>, dialect: SqlDialect = 'sqlite'): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
