import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Page size assumed for a connection or list field without first/last/limit. */
const DEFAULT_PAGE = 20;

function intArg(v: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!v) return undefined;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const x = variables[v.name.value];
    return typeof x === 'number' ? x : undefined;
  }
  return undefined;
}

/**
 * Estimated cost: 1 per field, and a field with a page size (first, last or limit) multiplies
 * what is selected under it by that size. A query of 50 jobs with 20 fields each costs ~1000.
 */
function costOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, seen: Set<string>): number {
  if (!set) return 0;
  let total = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value.startsWith('__')) continue;
      const arg = (name: string) => intArg(s.arguments?.find((a) => a.name.value === name)?.value, variables);
      const paged = s.arguments?.some((a) => ['first', 'last', 'limit'].includes(a.name.value));
      const size = arg('first') ?? arg('last') ?? arg('limit') ?? (paged ? DEFAULT_PAGE : undefined);
      const isConnection = s.selectionSet?.selections.some((c) => c.kind === Kind.FIELD && (c.name.value === 'edges' || c.name.value === 'nodes'));
      const multiplier = size ?? (isConnection ? DEFAULT_PAGE : 1);
      total += 1 + multiplier * costOf(s.selectionSet, fragments, variables, seen);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      total += costOf(s.selectionSet, fragments, variables, seen);
    } else {
      const name = s.name.value;
      if (seen.has(name) || !fragments[name]) continue;
      total += costOf(fragments[name].selectionSet, fragments, variables, new Set([...seen, name]));
    }
  }
  return total;
}

export function costLimitRule(maxCost: number, variables: () => Record<string, unknown>) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = Object.fromEntries(context.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    return {
      OperationDefinition(op) {
        const cost = costOf(op.selectionSet, fragments, variables(), new Set());
        if (cost > maxCost) {
          context.reportError(new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}; ask for fewer items per page.`, { nodes: [op], extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost } }));
        }
      },
    };
  };
}

/** Refuses operations whose estimated cost exceeds `maxCost`, before they execute. */
export function useCostLimit(maxCost: number): Plugin {
  return {
    onValidate({ addValidationRule, context }) {
      const params = (context as { params?: { variables?: Record<string, unknown> } }).params;
      addValidationRule(costLimitRule(maxCost, () => params?.variables ?? {}));
    },
  };
}
