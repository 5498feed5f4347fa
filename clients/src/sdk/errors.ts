/**
 * What can go wrong talking to a Temper server, sorted by what the caller does about it. `kind`
 * is the coarse class (the CLI maps it to an exit code); `code` is stable and specific: the
 * server's DomainError code (e.g. DATASET_MISMATCH) where there is one.
 */
export type TemperClientErrorKind =
  /** No HTTP answer: connection refused, DNS, TLS, timeout. */
  | 'unreachable'
  /** Missing or wrong API token. */
  | 'unauthenticated'
  /** No such object, or it belongs to another owner (the server does not tell them apart). */
  | 'not-found'
  /** The server understood and refused: a DomainError result or invalid arguments. */
  | 'rejected'
  /** Anything else: an HTTP error status, a body that is not GraphQL, an unexpected server error. */
  | 'server';

export class TemperClientError extends Error {
  override readonly name = 'TemperClientError';
  constructor(
    readonly kind: TemperClientErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface GraphQLErrorLike {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Record<string, unknown>;
}

/** The first GraphQL error of a response as a TemperClientError. */
export function fromGraphQLErrors(errors: readonly GraphQLErrorLike[]): TemperClientError {
  const first = errors[0] ?? { message: 'Unknown GraphQL error.' };
  const code = typeof first.extensions?.['code'] === 'string' ? (first.extensions['code'] as string) : 'GRAPHQL_ERROR';
  const message = errors.map((e) => e.message).join('; ');
  if (code === 'UNAUTHENTICATED') return new TemperClientError('unauthenticated', code, first.message, errors);
  // The server answers a malformed global id with BAD_GLOBAL_ID: for a caller it is just an unknown id.
  const badId = code === 'BAD_GLOBAL_ID' && typeof first.extensions?.['id'] === 'string' ? [first.message, first.extensions['id'] as string] : /Invalid global ID:?\s*(.*)$/i.exec(first.message);
  if (badId) return new TemperClientError('not-found', 'NOT_FOUND', `No object with id ${badId[1] || '(empty)'} (not a Temper id).`, errors);
  if (code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED' || /cost|depth/i.test(code)) return new TemperClientError('rejected', code, message, errors);
  return new TemperClientError('server', code, message, errors);
}

/** A mutation result union: the `...Success` member's data, or its DomainError as a thrown error. */
export interface DomainResult<T> {
  readonly __typename: string;
  readonly data?: T;
  readonly code?: string;
  readonly message?: string;
  readonly details?: unknown;
}

export function unwrapResult<T>(result: DomainResult<T>): T {
  if (result.__typename.endsWith('Success') && result.data !== undefined) return result.data;
  const kind = result.__typename === 'NotFoundError' ? 'not-found' : 'rejected';
  throw new TemperClientError(kind, result.code ?? result.__typename, result.message ?? result.__typename, result.details);
}
