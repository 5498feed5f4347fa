import type { TemperClient } from '../sdk/client.ts';
import type { IdIndexQuery as IdIndexResult } from '../sdk/gql/graphql.ts';
import { IdIndexQuery } from '../sdk/operations.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/**
 * Global ids are base64 of "Type:uuid" (~50-70 characters): unreadable in a table and unpleasant to
 * type. A short id is the first 8 hex digits of the uuid; any unique prefix of it (4+ characters),
 * a prefix of the global id, or an object's name resolves back to the global id.
 */

export const SHORT_ID_LENGTH = 8;
const MIN_PREFIX = 4;

/** "Model:0b7c..." out of a global id; null when the text is not one. */
export function decodeGlobalId(id: string): { type: string; local: string } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(id) || id.length % 4 !== 0) return null;
  let text: string;
  try {
    text = atob(id);
  } catch {
    return null;
  }
  const m = /^([A-Z][A-Za-z]+):(.+)$/.exec(text);
  return m ? { type: m[1], local: m[2] } : null;
}

/** What a table shows for an id: 8 hex digits of its uuid (or the whole local id when short). */
export function shortId(id: string): string {
  const g = decodeGlobalId(id);
  if (!g) return id;
  const local = g.local.replace(/-/g, '');
  return /^[0-9a-f]{32}$/i.test(local) ? local.slice(0, SHORT_ID_LENGTH).toLowerCase() : g.local;
}

export interface IndexedObject {
  readonly id: string;
  readonly type: string;
  readonly name: string | null;
}

/** Everything the viewer owns, as (id, type, name): what a short id can stand for. */
export async function idIndex(client: TemperClient): Promise<IndexedObject[]> {
  const out: IndexedObject[] = [];
  let jobsAfter: string | null = null;
  let modelsAfter: string | null = null;
  let first = true;
  // Jobs and models grow without bound: page through them; datasets and edge checks come once.
  for (let page = 0; page < 100 && (first || jobsAfter || modelsAfter); page++) {
    const r: IdIndexResult = await client.request(IdIndexQuery, { first: 100, jobsAfter, modelsAfter });
    const v: IdIndexResult['viewer'] = r.viewer;
    if (first || modelsAfter) {
      for (const { node } of v.models.edges) {
        out.push({ id: node.id, type: 'Model', name: node.name });
        for (const e of node.evaluations) out.push({ id: e.id, type: 'Evaluation', name: null });
      }
    }
    if (first || jobsAfter) for (const { node } of v.jobs.edges) out.push({ id: node.id, type: node.__typename, name: null });
    if (first) {
      for (const { node } of v.datasets.edges) out.push({ id: node.id, type: 'Dataset', name: node.name });
      for (const { node } of v.edgeChecks.edges) out.push({ id: node.id, type: 'EdgeCheck', name: null });
    }
    modelsAfter = (first || modelsAfter) && v.models.pageInfo.hasNextPage ? (v.models.pageInfo.endCursor ?? null) : null;
    jobsAfter = (first || jobsAfter) && v.jobs.pageInfo.hasNextPage ? (v.jobs.pageInfo.endCursor ?? null) : null;
    first = false;
  }
  // An object can appear twice (an evaluation of a model seen on two pages): one entry per id.
  return [...new Map(out.map((o) => [o.id, o])).values()];
}

/** The objects `ref` could mean: exact id, name, short-id prefix, global-id prefix (in that order of preference). */
export function matchRef(ref: string, objects: readonly IndexedObject[]): IndexedObject[] {
  const exact = objects.filter((o) => o.id === ref);
  if (exact.length) return exact;
  const named = objects.filter((o) => o.name !== null && o.name === ref);
  if (named.length) return named;
  if (ref.length < MIN_PREFIX) return [];
  const hex = ref.toLowerCase().replace(/-/g, '');
  return objects.filter((o) => {
    const g = decodeGlobalId(o.id);
    return (g !== null && g.local.replace(/-/g, '').toLowerCase().startsWith(hex)) || o.id.startsWith(ref);
  });
}

/**
 * A full global id for `ref`, which is a global id, a short id (unique prefix) or a name, among the
 * viewer's objects of the given types. A full global id passes through unchecked (the server answers
 * for it, so an unknown one is still NOT_FOUND with the server's words).
 */
export async function resolveRef(client: TemperClient, ref: string, types: readonly string[]): Promise<string> {
  const g = decodeGlobalId(ref);
  if (g) return ref;
  const matches = matchRef(ref, (await idIndex(client)).filter((o) => types.includes(o.type)));
  if (matches.length === 1) return matches[0].id;
  if (matches.length > 1) {
    const list = matches.slice(0, 5).map((m) => `${shortId(m.id)} (${m.type}${m.name ? ` "${m.name}"` : ''})`).join(', ');
    throw new CliError(ExitCode.USAGE, `"${ref}" matches ${matches.length} objects: ${list}${matches.length > 5 ? ', ...' : ''}; give more characters or the full id`);
  }
  // Same words as the server's answer for a malformed id: nothing of yours is called that either.
  throw new CliError(ExitCode.NOT_FOUND, `No object with id ${ref} (not a Temper id).`);
}
