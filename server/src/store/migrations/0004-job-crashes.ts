import type { Kysely, Migration } from 'kysely';

/**
 * How often a worker died under a job. Attempts count every start, resumes after a server restart
 * included; the crash budget (max_attempts) must count only the worker deaths (issue 13, point 6).
 */
export const jobCrashes = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('jobs').addColumn('crashes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('jobs').dropColumn('crashes').execute();
  },
});
