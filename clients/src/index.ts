/**
 * @temper/clients: the typed GraphQL SDK (isomorphic: Node 20+ and browsers). The `temper` CLI
 * lives in src/cli/ and is bundled to dist/temper.mjs; nothing here imports it.
 */
export { TemperClient, graphqlEndpoint, isTerminal, notFound, sha256Hex, TERMINAL_STATUSES } from './sdk/client.ts';
export type { DownloadedFile, FetchFn, FollowJobOptions, FollowJobResult, JobEvent, JobOrEvaluation, TemperClientOptions } from './sdk/client.ts';
export { TemperClientError, fromGraphQLErrors, unwrapResult } from './sdk/errors.ts';
export type { DomainResult, GraphQLErrorLike, TemperClientErrorKind } from './sdk/errors.ts';
export { multipartForm, toNamedBlob } from './sdk/multipart.ts';
export type { NamedBlob, UploadFile } from './sdk/multipart.ts';
export * as operations from './sdk/operations.ts';
export type * from './sdk/gql/graphql.ts';
