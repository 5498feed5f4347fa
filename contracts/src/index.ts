/**
 * @temper/contracts: what the schema, the server, the edge core and the clients agree on, with no
 * dependencies of its own: the records, the service port the GraphQL resolvers call, and the
 * catalogues (hardening methods, attacks, job statuses) every other list derives from.
 */
export type * from './records.ts';
export type * from './services.ts';
export * from './job-statuses.ts';
export * from './methods.ts';
export * from './attacks.ts';
export * from './model-warnings.ts';
