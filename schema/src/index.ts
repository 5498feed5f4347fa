/** @temper/schema: the Pothos schema of Temper's GraphQL API and what its resolvers need. */
export { schema, printSdl } from './schema.ts';
export type * from './context.ts';
export * from './records.ts';
export * from './errors.ts';
export { HARDENING_METHODS, methodNeedsTeacher } from './types/enums.ts';
export { JOB_TYPENAMES } from './types/job.ts';
