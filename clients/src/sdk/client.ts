import { isTerminalJobStatus, TERMINAL_JOB_STATUSES } from '@temper/contracts';
import { createClient as createSseClient, type Client as SseClient, type RequestParams } from 'graphql-sse';
import { fromGraphQLErrors, TemperClientError, unwrapResult, type GraphQLErrorLike } from './errors.ts';
import type {
  CreateZooModelInput,
  EvaluateModelInput,
  HardenModelInput,
  JobProgressSubscription,
  JobStatus,
  JobWithEvaluationQuery as JobWithEvaluationResult,
  ModelFieldsFragment,
  TypedDocumentString,
  UploadDatasetFormat,
} from './gql/graphql.ts';
import { multipartForm, toNamedBlob, type UploadFile } from './multipart.ts';
import {
  CancelJobMutation,
  CreateZooModelMutation,
  DatasetsQuery,
  EvaluateModelMutation,
  EvaluationExamplesQuery,
  EvaluationSamplesQuery,
  HardenModelMutation,
  JobProgressSubscription as JobProgressDocument,
  JobWithEvaluationQuery,
  NodeQuery,
  UploadDatasetMutation,
  UploadModelMutation,
} from './operations.ts';

/**
 * The Temper SDK: typed GraphQL operations over plain `fetch`, GraphQL multipart uploads, and
 * subscriptions over server-sent events (graphql-sse, distinct connections mode, which is what
 * yoga serves) that reconnect and resume after the last event seen. Runs in Node 20+ and in
 * browsers: nothing here imports a Node module.
 */

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TemperClientOptions {
  /** The server (`http://host:4000`) or its GraphQL endpoint (`http://host:4000/graphql`). */
  readonly url: string;
  /** API token, sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Defaults to the global fetch. */
  readonly fetch?: FetchFn;
  readonly headers?: Readonly<Record<string, string>>;
  /** Reconnects of a subscription in a row without a new event before giving up (default 5; backoff from 1 s). */
  readonly retryAttempts?: number;
  /** Wait before reconnect `n` (0-based); default randomized exponential backoff from 1 s. */
  readonly retryDelayMs?: (attempt: number) => number;
}

export type JobEvent = JobProgressSubscription['jobProgress'];

export const TERMINAL_STATUSES: readonly JobStatus[] = TERMINAL_JOB_STATUSES;
export const isTerminal = (s: JobStatus): boolean => isTerminalJobStatus(s);

export interface FollowJobOptions {
  /** Events after this sequence number (default 0: the whole timeline). */
  readonly afterSequence?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: JobEvent) => void;
  /** Called when the stream dropped and the client is reconnecting (with the last sequence seen). */
  readonly onReconnect?: (lastSequence: number) => void;
}

export interface FollowJobResult {
  /** The status the job ended with (or had when the caller aborted). */
  readonly status: JobStatus;
  readonly lastSequence: number;
  readonly aborted: boolean;
}

export interface DownloadedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

interface ExecutionResult<T> {
  data?: T | null;
  errors?: GraphQLErrorLike[];
}

/** A job (its evaluation included) or an evaluation, as JobWithEvaluationQuery returns it. */
export type JobOrEvaluation = Exclude<NonNullable<JobWithEvaluationResult['node']>, { __typename: 'Dataset' | 'Model' | 'EdgeCheck' }>;

type Variables<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

export class TemperClient {
  readonly endpoint: string;
  private readonly fetchFn: FetchFn;
  private sse: SseClient | null = null;
  private sseOnce: SseClient | null = null;

  constructor(readonly options: TemperClientOptions) {
    this.endpoint = graphqlEndpoint(options.url);
    const f = options.fetch ?? globalThis.fetch;
    if (!f) throw new TemperClientError('server', 'NO_FETCH', 'No fetch implementation: pass options.fetch.');
    // Browsers refuse a fetch called with a foreign `this`.
    this.fetchFn = (input, init) => f.call(globalThis, input, init);
  }

  /** Headers every request carries: the bearer token and the caller's own. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...this.options.headers, ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}), ...extra };
  }

  /** Runs a query or mutation; GraphQL errors throw a TemperClientError. */
  async request<R, V>(document: TypedDocumentString<R, V>, ...[variables]: Variables<V>): Promise<R> {
    return this.send<R>(JSON.stringify({ query: document.toString(), variables: variables ?? {} }), { 'content-type': 'application/json' });
  }

  /** A GraphQL multipart request: `files` maps variable paths ("input.weights.0") to files. */
  async upload<R, V>(document: TypedDocumentString<R, V>, variables: V, files: Readonly<Record<string, UploadFile>>): Promise<R> {
    // The preflight header satisfies yoga's CSRF guard for multipart requests.
    return this.send<R>(multipartForm(document.toString(), variables as Record<string, unknown>, files), { 'graphql-preflight': '1' });
  }

  private async send<R>(body: string | FormData, headers: Record<string, string>): Promise<R> {
    let res: Response;
    try {
      res = await this.fetchFn(this.endpoint, {
        method: 'POST',
        headers: this.headers({ accept: 'application/graphql-response+json, application/json', ...headers }),
        body,
      });
    } catch (e) {
      throw unreachable(this.endpoint, e);
    }
    let parsed: ExecutionResult<R>;
    const text = await res.text();
    try {
      parsed = JSON.parse(text) as ExecutionResult<R>;
    } catch {
      if (res.status === 401 || res.status === 403) throw new TemperClientError('unauthenticated', 'UNAUTHENTICATED', `The server refused the token (HTTP ${res.status}).`);
      throw new TemperClientError('server', `HTTP_${res.status}`, `${this.endpoint} answered HTTP ${res.status} ${res.statusText}, not GraphQL: ${text.slice(0, 200)}`);
    }
    if (parsed.errors?.length) throw fromGraphQLErrors(parsed.errors);
    if (!parsed.data) throw new TemperClientError('server', `HTTP_${res.status}`, `${this.endpoint} answered HTTP ${res.status} without data.`);
    return parsed.data;
  }

  /**
   * Subscribes over server-sent events. With `reconnect` (default) graphql-sse reconnects after a
   * network error with backoff and sends the same request again; `beforeReconnect` may change
   * `request.variables` first. Returns an unsubscribe function.
   */
  subscribe<R, V>(
    document: TypedDocumentString<R, V>,
    variables: V,
    sink: { next: (data: R) => void; error: (e: TemperClientError) => void; complete: () => void },
    options: { reconnect?: boolean; beforeReconnect?: (request: RequestParams) => void } = {},
  ): () => void {
    const request: RequestParams = { query: document.toString(), variables: variables as Record<string, unknown> };
    let failed = false;
    return this.sseClient(options.reconnect ?? true).subscribe<R>(
      request,
      {
        next: (result) => {
          if (failed) return;
          if (result.errors?.length) {
            failed = true;
            sink.error(fromGraphQLErrors(result.errors));
          } else if (result.data) sink.next(result.data);
        },
        error: (e) => {
          if (failed) return;
          failed = true;
          sink.error(sseError(this.endpoint, e));
        },
        complete: () => {
          if (!failed) sink.complete();
        },
      },
      { connecting: (reconnecting) => reconnecting && options.beforeReconnect?.(request) },
    );
  }

  /**
   * Follows a job's events until it finishes: the stored timeline after `afterSequence`, then live
   * events. A stream that breaks (network, proxy timeout, server restart) is subscribed again after
   * the last sequence seen, so nothing is missed or repeated; `retryAttempts` failures in a row
   * without a new event give up. Resolves with the final status; an abort resolves with the status
   * last seen.
   */
  followJob(id: string, options: FollowJobOptions = {}): Promise<FollowJobResult> {
    const first = options.afterSequence ?? 0;
    let lastSequence = first;
    let status: JobStatus = 'QUEUED';
    let failures = 0;
    const maxFailures = this.options.retryAttempts ?? 5;
    return new Promise<FollowJobResult>((resolve, reject) => {
      let unsubscribe: (() => void) | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const onAbort = () => {
        unsubscribe?.();
        if (timer) clearTimeout(timer);
        resolve({ status, lastSequence, aborted: true });
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (fn: () => void) => {
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const resume = (reason: TemperClientError) => {
        if (options.signal?.aborted) return;
        if (failures >= maxFailures) return done(() => reject(reason));
        const delay = this.retryDelay(failures);
        failures++;
        options.onReconnect?.(lastSequence);
        timer = setTimeout(start, delay);
      };
      const start = () => {
        timer = null;
        if (options.signal?.aborted) return;
        unsubscribe = this.subscribe(
          JobProgressDocument,
          { id, afterSequence: lastSequence },
          {
            next: ({ jobProgress: event }) => {
              if (event.sequence <= lastSequence) return;
              lastSequence = event.sequence;
              status = event.status;
              failures = 0;
              options.onEvent?.(event);
            },
            error: (e) => {
              if (e.kind === 'unreachable') return resume(e);
              // The server masks an unknown job id in a subscription as an internal error: ask plainly.
              if (e.kind === 'server' && lastSequence === first) {
                void this.node(id).then(
                  (node) => done(() => reject(node ? e : notFound(id))),
                  () => done(() => reject(e)),
                );
              } else done(() => reject(e));
            },
            complete: () => {
              if (isTerminal(status)) return done(() => resolve({ status, lastSequence, aborted: false }));
              // The server closed the stream of an unfinished job (a restart): pick it up again.
              resume(new TemperClientError('unreachable', 'STREAM_ENDED', `The event stream of job ${id} ended while the job was ${status}.`));
            },
          },
          { reconnect: false },
        );
      };
      start();
    });
  }

  private retryDelay(attempt: number): number {
    return this.options.retryDelayMs?.(attempt) ?? 1000 * 2 ** attempt + Math.floor(Math.random() * 1000);
  }

  private sseClient(reconnect: boolean): SseClient {
    const make = (retryAttempts: number) =>
      createSseClient({
        url: this.endpoint,
        headers: () => this.headers(),
        fetchFn: this.fetchFn,
        retryAttempts,
        retry: (n) => new Promise((r) => setTimeout(r, this.retryDelay(n))),
      });
    if (reconnect) return (this.sse ??= make(this.options.retryAttempts ?? 5));
    return (this.sseOnce ??= make(0));
  }

  /** Closes open subscriptions. */
  dispose(): void {
    this.sse?.dispose();
    this.sseOnce?.dispose();
    this.sse = this.sseOnce = null;
  }

  // ---- Convenience wrappers over the generated operations -------------------------------------

  /** Any object by global id; null when it does not exist or belongs to someone else. */
  async node(id: string) {
    return (await this.request(NodeQuery, { id })).node;
  }

  /** A job (with its evaluation) or an evaluation by id; throws NOT_FOUND for an unknown id. */
  async jobOrEvaluation(id: string): Promise<JobOrEvaluation> {
    const node = (await this.request(JobWithEvaluationQuery, { id })).node;
    if (!node) throw notFound(id);
    if (node.__typename === 'Dataset' || node.__typename === 'Model' || node.__typename === 'EdgeCheck') throw new TemperClientError('rejected', 'NOT_A_JOB', `${id} is a ${node.__typename}, not a job or an evaluation.`);
    return node;
  }

  /**
   * One page of an evaluation's per-example results (row order): at one eps or all, optionally only the
   * robust (or not robust) examples. Throws NOT_FOUND for an unknown id, EPS_NOT_EVALUATED for an eps it did not run.
   */
  async evaluationSamples(id: string, page: { first?: number; after?: string; eps?: number; robust?: boolean } = {}) {
    const node = (await this.request(EvaluationSamplesQuery, { id, first: page.first ?? 100, after: page.after ?? null, eps: page.eps ?? null, robust: page.robust ?? null })).node;
    if (!node || node.__typename !== 'Evaluation') throw notFound(id);
    const s = node.samples;
    return { totalCount: s.totalCount, hasNextPage: s.pageInfo.hasNextPage, endCursor: s.pageInfo.endCursor ?? null, samples: s.edges.map((e) => e.node) };
  }

  /** An evaluation's adversarial-example gallery (clean and adversarial pixels), at one eps or all. */
  async evaluationExamples(id: string, eps?: number) {
    const node = (await this.request(EvaluationExamplesQuery, { id, eps: eps ?? null })).node;
    if (!node || node.__typename !== 'Evaluation') throw notFound(id);
    return node.examples;
  }

  async datasets() {
    return (await this.request(DatasetsQuery, { first: 100 })).viewer.datasets.edges.map((e) => e.node);
  }

  /**
   * Uploads a tfjs layers model: model.json and every weight shard it lists, under the names it
   * lists. Throws a TemperClientError with the server's code (MODEL_MISSING_SHARD...) when refused.
   */
  async uploadModel(input: { name: string; modelJson: UploadFile; weights: readonly UploadFile[]; featureLayer?: string; preprocessing?: unknown }) {
    const files: Record<string, UploadFile> = { 'input.modelJson': input.modelJson };
    input.weights.forEach((w, i) => (files[`input.weights.${i}`] = w));
    const variables = {
      input: { name: input.name, featureLayer: input.featureLayer, preprocessing: input.preprocessing, modelJson: null as unknown as Blob, weights: input.weights.map(() => null as unknown as Blob) },
    };
    return unwrapResult((await this.upload(UploadModelMutation, variables, files)).uploadModel);
  }

  /** Uploads an IDX image/label pair or CIFAR-10 batches (with optional batches.meta.txt). */
  async uploadDataset(input: {
    name: string;
    format: UploadDatasetFormat;
    images?: UploadFile;
    labels?: UploadFile;
    batches?: readonly UploadFile[];
    meta?: UploadFile;
    classNames?: string[];
    numClasses?: number;
    trainSize?: number;
    testSize?: number;
  }) {
    const files: Record<string, UploadFile> = {};
    if (input.images) files['input.images'] = input.images;
    if (input.labels) files['input.labels'] = input.labels;
    if (input.meta) files['input.meta'] = input.meta;
    input.batches?.forEach((b, i) => (files[`input.batches.${i}`] = b));
    const { images: _i, labels: _l, batches: _b, meta: _m, ...rest } = input;
    const variables = { input: { ...rest, ...(input.batches ? { batches: input.batches.map(() => null as unknown as Blob) } : {}) } };
    return unwrapResult((await this.upload(UploadDatasetMutation, variables, files)).uploadDataset);
  }

  async createZooModel(input: CreateZooModelInput) {
    return unwrapResult((await this.request(CreateZooModelMutation, { input })).createZooModel);
  }

  async hardenModel(input: HardenModelInput) {
    return unwrapResult((await this.request(HardenModelMutation, { input })).hardenModel);
  }

  async evaluateModel(input: EvaluateModelInput) {
    return unwrapResult((await this.request(EvaluateModelMutation, { input })).evaluateModel);
  }

  async cancelJob(id: string) {
    return unwrapResult((await this.request(CancelJobMutation, { id })).cancelJob);
  }

  /** A file URL the API returned (relative to the server), fetched with the token. */
  async fetchFile(url: string): Promise<Uint8Array> {
    const target = new URL(url, this.endpoint).href;
    let res: Response;
    try {
      res = await this.fetchFn(target, { headers: this.headers() });
    } catch (e) {
      throw unreachable(target, e);
    }
    if (res.status === 401) throw new TemperClientError('unauthenticated', 'UNAUTHENTICATED', `The server refused the token for ${target}.`);
    if (res.status === 404) throw new TemperClientError('not-found', 'NOT_FOUND', `No such file: ${target}.`);
    if (!res.ok) throw new TemperClientError('server', `HTTP_${res.status}`, `${target} answered HTTP ${res.status}.`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** Every file of a model, each checked against the SHA-256 the server reports. */
  async downloadModel(model: Pick<ModelFieldsFragment, 'files'>): Promise<DownloadedFile[]> {
    const out: DownloadedFile[] = [];
    for (const f of model.files) {
      const bytes = await this.fetchFile(f.url);
      const sha256 = await sha256Hex(bytes);
      if (sha256 !== f.sha256) throw new TemperClientError('server', 'CHECKSUM_MISMATCH', `${f.name}: SHA-256 ${sha256} differs from the server's ${f.sha256}.`);
      out.push({ name: f.name, bytes, sha256 });
    }
    return out;
  }
}

/** `http://host:4000` and `http://host:4000/` mean `http://host:4000/graphql`. */
export function graphqlEndpoint(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TemperClientError('unreachable', 'BAD_URL', `Not a URL: "${url}" (expected e.g. http://127.0.0.1:4000).`);
  }
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/graphql';
  return u.href;
}

export function notFound(id: string): TemperClientError {
  return new TemperClientError('not-found', 'NOT_FOUND', `No object with id ${id} (or it belongs to another owner).`);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export { toNamedBlob };

function unreachable(url: string, e: unknown): TemperClientError {
  const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
  return new TemperClientError('unreachable', 'UNREACHABLE', `Cannot reach the Temper server at ${url}: ${cause}`, undefined, { cause: e });
}

function sseError(url: string, e: unknown): TemperClientError {
  if (e instanceof TemperClientError) return e;
  if (Array.isArray(e)) return fromGraphQLErrors(e as GraphQLErrorLike[]);
  const response = (e as { response?: { status: number } } | null)?.response;
  if (response) {
    if (response.status === 401 || response.status === 403) return new TemperClientError('unauthenticated', 'UNAUTHENTICATED', 'The server refused the token.');
    return new TemperClientError('server', `HTTP_${response.status}`, `${url} answered HTTP ${response.status} to a subscription.`);
  }
  // Anything else broke the stream itself (refused, reset, cut mid-event): worth reconnecting.
  return unreachable(url, e);
}
