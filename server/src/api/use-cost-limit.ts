import { GraphQLError, Kind, type ASTVisitor, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Page size assumed for a connection or list field without first/last/limit. */
const DEFAULT_PAGE = 20;

/**
 * Cost of one introspection root field (`__schema`, `__type`). Its answer is the whole schema (hundreds
 * of KB), far more than one field; without a price, hundreds of aliased introspections cost nothing.
 */
export const INTROSPECTION_COST = 1000;

/** Largest page size any paged field answers; larger requests are refused rather than silently clamped. */
export const MAX_PAGE_SIZE = 5000;

type Variables = Record<string, unknown>;

function argValue(v: ValueNode | undefined, variables: Variables): unknown {
  if (!v) return undefined;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.LIST) return v.values;
  if (v.kind === Kind.VARIABLE) return variables[v.name.value];
  return undefined;
}

/** A refused operation: the rule reports it and costOf stops counting. */
class CostRefusal extends Error {
  constructor(readonly error: GraphQLError) {
    super(error.message);
  }
}

function pageSize(s: FieldNode, variables: Variables): number | undefined {
  for (const name of ['first', 'last', 'limit']) {
    const raw = argValue(s.arguments?.find((a) => a.name.value === name)?.value, variables);
    if (typeof raw !== 'number') continue;
    // A negative size made the estimate negative while resolvers clamp it to a positive page: refuse both
    // ends instead of clamping, so the estimate is the page that runs.
    if (!Number.isInteger(raw) || raw < 0 || raw > MAX_PAGE_SIZE) {
      throw new CostRefusal(new GraphQLError(`${s.name.value}(${name}: ${raw}): page sizes must be integers from 0 to ${MAX_PAGE_SIZE}.`, { nodes: [s], extensions: { code: 'PAGE_SIZE_INVALID', field: s.name.value, argument: name, value: raw, max: MAX_PAGE_SIZE } }));
    }
    return raw;
  }
  return undefined;
}

/** Fields that take a list of ids (`nodes(ids:)`) answer one object per id: the list's length is their page. */
function idListSize(s: FieldNode, variables: Variables): number | undefined {
  const raw = argValue(s.arguments?.find((a) => a.name.value === 'ids')?.value, variables);
  return Array.isArray(raw) ? raw.length : undefined;
}

/**
 * Estimated cost: 1 per field, and a field with a page size (first, last or limit) or a list of ids
 * multiplies what is selected under it by that size; an introspection root costs INTROSPECTION_COST. A query of 50 jobs with 20 fields each costs ~1000.
 */
function costOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, variables: Variables, seen: Set<string>): number {
  if (!set) return 0;
  let total = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value === '__schema' || s.name.value === '__type') {
        total += INTROSPECTION_COST;
        continue;
      }
      if (s.name.value.startsWith('__')) continue;
      const paged = s.arguments?.some((a) => ['first', 'last', 'limit'].includes(a.name.value));
      const size = pageSize(s, variables) ?? idListSize(s, variables) ?? (paged ? DEFAULT_PAGE : undefined);
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
        let cost: number;
        try {
          cost = costOf(op.selectionSet, fragments, variables(), new Set());
        } catch (e) {
          if (!(e instanceof CostRefusal)) throw e;
          context.reportError(e.error);
          return;
        }
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
