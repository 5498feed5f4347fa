import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from '../builder.ts';

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
    default:
      throw new GraphQLError('JSON literals cannot contain variables.');
  }
}

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});

builder.scalarType('DateTime', {
  description: 'An ISO-8601 timestamp (UTC).',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new GraphQLError('DateTime must be an ISO-8601 string.');
    return v;
  },
});

builder.scalarType('Upload', {
  description: 'A file in a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec).',
  serialize: () => {
    throw new GraphQLError('Upload is an input-only scalar.');
  },
  parseValue: (v) => {
    if (typeof v !== 'object' || v === null || typeof (v as File).arrayBuffer !== 'function') {
      throw new GraphQLError('Upload expects a file part of a multipart request.');
    }
    return v as File;
  },
});
