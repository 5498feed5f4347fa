import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations for the SDK: the client preset reads the `graphql(...)` documents in
 * src/sdk/operations.ts against the checked-in SDL and writes src/sdk/gql/. `npm run codegen -w
 * @temper/clients` regenerates; src/sdk/codegen.test.ts fails when the checked-in output is stale.
 */
const config: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['src/sdk/operations.ts'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  importExtension: '.ts',
  generates: {
    'src/sdk/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: {
        // A string document (no graphql-js AST at run time): the SDK stays small for browsers.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        scalars: { JSON: 'unknown', DateTime: 'string', Upload: 'Blob' },
        avoidOptionals: false,
      },
    },
  },
};

export default config;
