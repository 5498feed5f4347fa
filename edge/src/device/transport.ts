import { AbortedError, ErrorCodes, type ErrorCode } from '../errors.ts';
import { isObject } from '../util/is-object.ts';
import { invalidBundle, parseEdgeBundleManifest, type EdgeBundleManifest, type EdgeModelRef } from './bundle-format.ts';
import type { EdgeReport } from './report.ts';
import { transportError } from './transport-error.ts';

/**
 * How a device talks to Temper's server for an edge check: plain `fetch`, nothing else, so it runs in
 * browsers, workers and Node alike. The server implements exactly this:
 *
 * 1. `GET {url}/edge/checks/{checkId}/bundle` (checkId URL-encoded), `Authorization: Bearer {token}`
 *    → 200 `application/json`, an EdgeBundleManifest (bundle-format.ts: its fields, and the model,
 *    shard and sample files it points at). Any non-2xx status (401 bad token, 404 unknown check)
 *    fails the run with EDGE_BUNDLE_FETCH_FAILED carrying the status.
 * 2. Every file the manifest names is fetched with the same bearer token when it has the API's
 *    origin, and with no credentials otherwise (signed URLs on a CDN).
 * 3. `POST {url}/graphql`, `Authorization: Bearer {token}`, `Content-Type: application/json`, body
 *    `{ "query": SUBMIT_EDGE_REPORT_MUTATION, "variables": { "input": { "checkId": "c1", "report": <EdgeReport> } } }`:
 *    the API's `submitEdgeReport` mutation with its usual result union (DomainError or
 *    MutationSubmitEdgeReportSuccess). The SDK's codegen never sees this document (edge sits below
 *    the clients), so schema/src/edge-report-mutation.test.ts validates it against the schema.
 *
 *    The server recomputes the flags (edgeReportFlags: EDGE_PREDICTION_DISAGREEMENT below 99.5%
 *    agreement) from the submitted report rather than trusting the device's, and should check
 *    `report.model.sha256` against the student it served.
 */

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** The API's base URL, e.g. "https://temper.example" (no trailing /graphql). */
  readonly url: string;
  readonly token: string;
  readonly fetch?: FetchLike;
  readonly signal?: AbortSignal;
}

export const SUBMIT_EDGE_REPORT_MUTATION = `mutation SubmitEdgeReport($input: SubmitEdgeReportInput!) {
  submitEdgeReport(input: $input) {
    __typename
    ... on DomainError { code message details }
    ... on MutationSubmitEdgeReportSuccess { data { id flags { code message } } }
  }
}`;

function base(url: string): URL {
  const loc = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    const u = new URL(url, loc);
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    return u;
  } catch (e) {
    throw transportError(ErrorCodes.EDGE_BUNDLE_FETCH_FAILED, `"${url}" is not a usable API URL.`, { url }, e);
  }
}

export function edgeBundleUrl(url: string, checkId: string): string {
  return new URL(`edge/checks/${encodeURIComponent(checkId)}/bundle`, base(url)).href;
}

export function edgeGraphqlUrl(url: string): string {
  return new URL('graphql', base(url)).href;
}

function doFetch(o: TransportOptions): FetchLike {
  return o.fetch ?? ((input, init) => globalThis.fetch(input, init));
}

function authHeaders(o: TransportOptions, target: string): Record<string, string> {
  return new URL(target).origin === base(o.url).origin ? { authorization: `Bearer ${o.token}` } : {};
}

async function request(o: TransportOptions, target: string, init: RequestInit, code: ErrorCode, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await doFetch(o)(target, { ...init, signal: o.signal, headers: { ...authHeaders(o, target), ...(init.headers as Record<string, string> | undefined) } });
  } catch (e) {
    if (o.signal?.aborted) throw new AbortedError();
    throw transportError(code, `Could not fetch ${what} (${target}): ${(e as Error)?.message ?? String(e)}`, { url: target }, e);
  }
  return res;
}

async function getBytes(o: TransportOptions, target: string, what: string): Promise<Uint8Array> {
  const res = await request(o, target, { method: 'GET' }, ErrorCodes.EDGE_BUNDLE_FETCH_FAILED, what);
  if (!res.ok) {
    throw transportError(ErrorCodes.EDGE_BUNDLE_FETCH_FAILED, `Fetching ${what} failed: HTTP ${res.status} ${res.statusText} (${target}).`, { url: target, status: res.status });
  }
  try {
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (o.signal?.aborted) throw new AbortedError();
    throw transportError(ErrorCodes.EDGE_BUNDLE_FETCH_FAILED, `Reading ${what} failed: ${(e as Error)?.message ?? String(e)}`, { url: target }, e);
  }
}

/** A model's files as fetched: the exact bytes, ready for loadClassifier. */
export interface FetchedModel {
  readonly ref: EdgeModelRef;
  readonly modelJson: Uint8Array;
  readonly shards: Record<string, Uint8Array>;
}

export interface FetchedBundle {
  readonly manifest: EdgeBundleManifest;
  readonly bundleUrl: string;
  readonly student: FetchedModel;
  readonly surrogates: readonly FetchedModel[];
  readonly sampleBytes: Uint8Array;
}

export async function fetchEdgeManifest(o: TransportOptions & { checkId: string }): Promise<{ manifest: EdgeBundleManifest; bundleUrl: string }> {
  const bundleUrl = edgeBundleUrl(o.url, o.checkId);
  const bytes = await getBytes(o, bundleUrl, 'the edge check bundle');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw transportError(ErrorCodes.EDGE_BUNDLE_INVALID, `The edge check bundle is not JSON (${bundleUrl}).`, { url: bundleUrl }, e);
  }
  const manifest = parseEdgeBundleManifest(json);
  if (manifest.checkId !== o.checkId) throw invalidBundle('$.checkId', `the server answered for check "${manifest.checkId}", not "${o.checkId}"`);
  return { manifest, bundleUrl };
}

/** Manifest paths of a model.json's shards, in order (duplicates and malformed entries are loadClassifier's to refuse). */
function shardPaths(modelJson: Uint8Array, what: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(modelJson));
  } catch (e) {
    throw transportError(ErrorCodes.EDGE_BUNDLE_INVALID, `${what}'s model.json is not JSON.`, {}, e);
  }
  const groups = isObject(parsed) && Array.isArray(parsed.weightsManifest) ? parsed.weightsManifest : [];
  const paths: string[] = [];
  for (const g of groups) if (isObject(g) && Array.isArray(g.paths)) for (const p of g.paths) if (typeof p === 'string') paths.push(p);
  return paths;
}

export async function fetchEdgeModel(o: TransportOptions, ref: EdgeModelRef, bundleUrl: string): Promise<FetchedModel> {
  const modelUrl = new URL(ref.modelJsonUrl, bundleUrl).href;
  const modelJson = await getBytes(o, modelUrl, `model "${ref.name}" (model.json)`);
  const shards: Record<string, Uint8Array> = {};
  for (const p of shardPaths(modelJson, `Model "${ref.name}"`)) {
    if (Object.hasOwn(shards, p)) continue;
    const given = ref.weightUrls?.[p];
    if (ref.weightUrls && given === undefined) throw invalidBundle(`$.weightUrls`, `model "${ref.name}" lists shard "${p}" but weightUrls has no URL for it`);
    const target = given !== undefined ? new URL(given, bundleUrl).href : new URL(p, modelUrl).href;
    shards[p] = await getBytes(o, target, `model "${ref.name}" shard "${p}"`);
  }
  return { ref, modelJson, shards };
}

/** Downloads the manifest, every model's files and the sample, in that order. */
export async function fetchEdgeBundle(o: TransportOptions & { checkId: string; onFile?: (done: number, total: number, what: string) => void }): Promise<FetchedBundle> {
  const { manifest, bundleUrl } = await fetchEdgeManifest(o);
  const total = 2 + manifest.surrogates.length;
  let done = 0;
  o.onFile?.(done, total, 'the student');
  const student = await fetchEdgeModel(o, manifest.student, bundleUrl);
  o.onFile?.(++done, total, 'the surrogates');
  const surrogates: FetchedModel[] = [];
  for (const ref of manifest.surrogates) {
    surrogates.push(await fetchEdgeModel(o, ref, bundleUrl));
    o.onFile?.(++done, total, `surrogate ${ref.name}`);
  }
  const sampleBytes = await getBytes(o, new URL(manifest.sampleUrl, bundleUrl).href, 'the sample');
  o.onFile?.(++done, total, 'the sample');
  return { manifest, bundleUrl, student, surrogates, sampleBytes };
}

export interface EdgeSubmission {
  /** The server's id of the stored check. */
  readonly id: string;
  /** Flags the server raised on the report. */
  readonly flags: readonly { readonly code: string; readonly message: string }[];
}

/** POSTs the report through the submitEdgeReport mutation. */
export async function submitEdgeReport(o: TransportOptions & { checkId: string; report: EdgeReport }): Promise<EdgeSubmission> {
  const target = edgeGraphqlUrl(o.url);
  const res = await request(
    o,
    target,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: SUBMIT_EDGE_REPORT_MUTATION, variables: { input: { checkId: o.checkId, report: o.report } } }),
    },
    ErrorCodes.EDGE_SUBMIT_FAILED,
    'the GraphQL endpoint',
  );
  const text = await res.text().catch(() => '');
  let body: { data?: { submitEdgeReport?: Record<string, unknown> | null } | null; errors?: { message?: string }[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body?.errors?.length) {
    const messages = body.errors.map((e) => e?.message ?? String(e));
    throw transportError(ErrorCodes.EDGE_SUBMIT_FAILED, `The server refused the report: ${messages.join('; ')}`, { status: res.status, errors: messages });
  }
  if (!res.ok || !body) {
    throw transportError(ErrorCodes.EDGE_SUBMIT_FAILED, `Submitting the report failed: HTTP ${res.status} ${res.statusText}.`, { status: res.status, body: text.slice(0, 500) });
  }
  const result = body.data?.submitEdgeReport;
  if (!isObject(result)) throw transportError(ErrorCodes.EDGE_SUBMIT_FAILED, 'The server answered without a submitEdgeReport result.', { status: res.status });
  if (typeof result.code === 'string') {
    throw transportError(ErrorCodes.EDGE_SUBMIT_REJECTED, `The server rejected the report (${result.code}): ${String(result.message ?? '')}`, {
      typename: result.__typename,
      code: result.code,
      message: result.message,
      details: result.details,
    });
  }
  const data = result.data;
  if (!isObject(data) || typeof data.id !== 'string') {
    throw transportError(ErrorCodes.EDGE_SUBMIT_FAILED, `The server answered ${String(result.__typename)} without data.id.`, { typename: result.__typename });
  }
  const flags = Array.isArray(data.flags) ? data.flags.filter(isObject).map((f) => ({ code: String(f.code), message: String(f.message ?? '') })) : [];
  return { id: data.id, flags };
}
