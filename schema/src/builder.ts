import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import type { TemperContext } from './context.ts';

/**
 * The one SchemaBuilder. Plugin order matters: scope-auth wraps resolvers first so that nothing
 * (validation messages included) runs for an unauthenticated caller.
 */
export const builder = new SchemaBuilder<{
  Context: TemperContext;
  AuthScopes: { viewer: boolean };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: string; Output: string };
    Upload: { Input: File; Output: never };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, ValidationPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({ viewer: context.viewer != null }),
    // A GraphQLError is not masked by yoga: the client learns it must authenticate, nothing more.
    unauthorizedError: () => new GraphQLError('Not authorized: send a valid API token as "Authorization: Bearer <token>".', { extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } }),
  },
  errors: { defaultTypes: [] },
  validation: {
    validationError: (result) =>
      new GraphQLError(`Invalid arguments: ${result.issues.map((i) => `${(i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || 'input'}: ${i.message}`).join('; ')}`, {
        extensions: { code: 'BAD_USER_INPUT', issues: result.issues.map((i) => ({ message: i.message, path: (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)) })) },
      }),
  },
  relay: {
    clientMutationId: 'omit',
    // The default decoder throws a PothosValidationError that reaches clients with no code; a malformed id
    // is the caller's mistake, so it gets one (and the id it was given) like every other bad input.
    decodeGlobalID: (globalID) => {
      try {
        return decodeGlobalID(globalID);
      } catch {
        throw new GraphQLError(`Invalid global ID: ${globalID.slice(0, 100)}`, { extensions: { code: 'BAD_GLOBAL_ID', id: globalID.slice(0, 100) } });
      }
    },
    cursorType: 'String',
    nodeQueryOptions: { authScopes: { viewer: true } },
    nodesQueryOptions: { authScopes: { viewer: true } },
  },
});
