import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type MaskError } from 'graphql-yoga';
import { NotFoundError } from '@temper/schema';
import { StorageError } from '../artifacts/storage-error.ts';

/**
 * yoga's masking (clients see "Unexpected error." for anything unexpected), plus two things it lacks:
 * every masked error reaches the server log with its cause, so an operator can find what a client only
 * saw as "Unexpected error."; and storage failures (a full disk) keep their code and a message without
 * server paths, because the client can act on them (retry later) and they are not the client's fault.
 */
export function temperMaskError(log: (line: string) => void): MaskError {
  return (error, message, isDev) => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof StorageError) {
      log(`storage error (${original.code}): ${describe(original.cause)}`);
      return new GraphQLError(original.message, { extensions: { code: original.code } });
    }
    // Outside a typed result (a subscription's stream ends with it): still NOT_FOUND, not INTERNAL.
    if (original instanceof NotFoundError) return new GraphQLError(original.message, { path: error instanceof GraphQLError ? error.path : undefined, extensions: { code: original.code } });
    const masked = yogaMaskError(error, message, isDev);
    if (masked !== error) log(`masked error: ${describe(original)}`);
    return masked;
  };
}

function describe(e: unknown): string {
  if (e instanceof Error) return (e.stack ?? `${e.name}: ${e.message}`).split('\n').slice(0, 4).join(' | ');
  return String(e);
}
