/** @temper/schema: the Pothos schema of Temper's GraphQL API and what its resolvers need. */
export { schema, printSdl } from './schema.ts';
export type * from './context.ts';
// The records, the service port and the catalogues live in @temper/contracts; re-exported so that
// code written against this package keeps compiling.
export * from '@temper/contracts';
export * from './errors.ts';
export { JOB_TYPENAMES } from './types/job.ts';
