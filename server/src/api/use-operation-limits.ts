import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface OperationLimits {
  /** TEMPER_MAX_TOKENS: lexical tokens in one document, counted while parsing, so a huge query stops early. */
  readonly maxTokens: number;
  /** TEMPER_MAX_ALIASES: aliases in one operation (10,000 aliases of one cheap field still run 10,000 times). */
  readonly maxAliases: number;
  /** Directives in one operation (not configurable: Temper's schema defines none beyond the built-ins). */
  readonly maxDirectives?: number;
}

/** graphql-armor's errors carry no code; Temper's clients branch on `extensions.code`. */
function withCode(code: string) {
  return [(_: unknown, error: GraphQLError) => Object.assign(error.extensions as Record<string, unknown>, { code })];
}

/**
 * Limits that the depth and cost rules cannot see: document size (counted during parsing, before any
 * validation), aliases and directives. graphql-armor's envelop plugins; each refusal has a stable code.
 */
export function useOperationLimits(limits: OperationLimits): Plugin[] {
  return [
    maxTokensPlugin({ n: limits.maxTokens, exposeLimits: true, onReject: withCode('QUERY_TOO_LARGE') }),
    maxAliasesPlugin({ n: limits.maxAliases, exposeLimits: true, onReject: withCode('TOO_MANY_ALIASES') }),
    maxDirectivesPlugin({ n: limits.maxDirectives ?? 50, exposeLimits: true, onReject: withCode('TOO_MANY_DIRECTIVES') }),
  ] as Plugin[];
}
