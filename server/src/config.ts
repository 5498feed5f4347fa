import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendError, ErrorCodes } from '@temper/edge';

/*
 * Every environment variable the server reads is read here (README, "Configuration", lists them
 * with their defaults). Each reader takes the environment as a parameter, so tests pass their own.
 * The native TensorFlow variables (TF_*) are libtensorflow's own: compute/tensorflow-env.ts sets
 * them from TEMPER_THREADS before the library loads.
 */

/**
 * `embedded` (the default): SQLite, artifacts and checkpoints in the data directory, jobs in worker
 * child processes of the API. `distributed`: PostgreSQL (metadata, artifacts, checkpoints), jobs in
 * BullMQ on Redis run by `temper-worker` processes, subscriptions across API replicas over Redis.
 */
export type ServerMode = 'embedded' | 'distributed';

export interface DistributedConfig {
  /** TEMPER_DATABASE_URL: postgres://user:password@host:port/database */
  readonly databaseUrl: string;
  /** TEMPER_REDIS_URL: redis://[:password@]host:port[/db] */
  readonly redisUrl: string;
  /** TEMPER_QUEUE (default "temper"): the BullMQ queue, and the prefix of Temper's pub/sub channels. */
  readonly queueName: string;
  /** TEMPER_LOCK_MS (default 30000): a worker that stops renewing its job's lock this long loses the job to another worker. */
  readonly lockMs: number;
  /** TEMPER_DB_POOL (default 10): PostgreSQL connections per API replica. */
  readonly dbPoolSize: number;
}

/** Server settings from the environment, with the defaults `npm start` runs on. */
export interface ServerConfig {
  readonly mode: ServerMode;
  /** Set in distributed mode. */
  readonly distributed: DistributedConfig | null;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly workers: number;
  /** Largest request body (uploads included). Default 128 MiB: fits a 100 MB model plus the form overhead. */
  readonly bodyLimitBytes: number;
  readonly maxDepth: number;
  readonly maxCost: number;
  /** TEMPER_MAX_TOKENS (default 10000): lexical tokens in one GraphQL document. */
  readonly maxTokens: number;
  /** TEMPER_MAX_ALIASES (default 30): aliases in one GraphQL operation. */
  readonly maxAliases: number;
  /** Attempts a job gets when its worker crashes. */
  readonly maxAttempts: number;
  readonly graphiql: boolean;
  /** Niceness of the worker processes (TEMPER_WORKER_NICE, default 10). */
  readonly workerNice: number;
  /** TEMPER_EDGE_PAGE_DIR (default edge/page/dist): the built /edge page. */
  readonly edgePageDir?: string;
  /** TEMPER_WEB_APP_DIR (default web/dist): the built web app served at /. */
  readonly webAppDir?: string;
  /** TEMPER_ARTIFACT_GRACE_S (default 600): an unreferenced artifact written more recently than this is kept (artifact-gc.ts). */
  readonly artifactGraceMs: number;
  /** TEMPER_PARSE_THREADS (default 1): upload checks that run at once, each on its own thread. */
  readonly parseThreads: number;
  /** TEMPER_PARSE_TIMEOUT_S (default 60): the longest one upload check may run. */
  readonly parseTimeoutMs: number;
  /** TEMPER_PARSE_MEMORY_MB (default 2048): heap of one upload-check thread. */
  readonly parseMemoryMb: number;
}

/** What a job worker process reads (embedded and distributed alike). */
export interface WorkerConfig {
  /** TEMPER_PROGRESS_INTERVAL_MS (default 250): least time between two progress events of a job; 0 writes every one. */
  readonly progressIntervalMs: number;
  /** TEMPER_CANCEL_POLL_MS (default 2000): how often a distributed worker looks for a cancellation of its job. */
  readonly cancelPollMs: number;
  /** TEMPER_WORKER_NAME: the worker's name in job timelines and serverInfo; unset, the worker names itself. */
  readonly workerName: string | undefined;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The directory the user typed the command in. npm runs a script in its package's folder (server/
 * for `npm start` and `npm run token`) and records where it was invoked in INIT_CWD; a relative
 * path the user gave means that directory, so every script resolves against it.
 */
export function userDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD || process.cwd();
}

/** A path argument or variable as the user meant it: relative to where they ran the command. */
export function userPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(userDir(env), path);
}

/** TEMPER_DATA_DIR (relative to where the command was run), else ./data at the repository root (gitignored). */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPER_DATA_DIR ? userPath(env.TEMPER_DATA_DIR, env) : join(REPO_ROOT, 'data');
}

export const storeFile = (dataDir: string) => join(dataDir, 'temper.sqlite');

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

function mode(env: NodeJS.ProcessEnv): ServerMode {
  const m = env.TEMPER_MODE || 'embedded';
  if (m !== 'embedded' && m !== 'distributed') throw new Error(`TEMPER_MODE must be "embedded" or "distributed", got "${m}"`);
  return m;
}

/** The distributed-mode settings; null in embedded mode. Both URLs are required in distributed mode. */
export function loadDistributedConfig(env: NodeJS.ProcessEnv = process.env): DistributedConfig | null {
  if (mode(env) !== 'distributed') return null;
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new Error(`TEMPER_MODE=distributed needs ${name} (see docs/deploy.md)`);
    return v;
  };
  const queueName = env.TEMPER_QUEUE || 'temper';
  if (!/^[\w.-]{1,64}$/.test(queueName)) throw new Error(`TEMPER_QUEUE must be letters, digits, "_", "." or "-", got "${queueName}"`);
  return {
    databaseUrl: need('TEMPER_DATABASE_URL'),
    redisUrl: need('TEMPER_REDIS_URL'),
    queueName,
    lockMs: int(env, 'TEMPER_LOCK_MS', 30_000, 1000),
    dbPoolSize: int(env, 'TEMPER_DB_POOL', 10, 1),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    mode: mode(env),
    distributed: loadDistributedConfig(env),
    dataDir: resolveDataDir(env),
    host: env.TEMPER_HOST ?? '127.0.0.1',
    port: int(env, 'TEMPER_PORT', 4000),
    workers: int(env, 'TEMPER_WORKERS', 1),
    bodyLimitBytes: int(env, 'TEMPER_BODY_LIMIT_MB', 128, 1) * 1024 * 1024,
    maxDepth: int(env, 'TEMPER_MAX_DEPTH', 12, 1),
    maxCost: int(env, 'TEMPER_MAX_COST', 20000, 1),
    maxTokens: int(env, 'TEMPER_MAX_TOKENS', 10_000, 100),
    maxAliases: int(env, 'TEMPER_MAX_ALIASES', 30, 0),
    maxAttempts: int(env, 'TEMPER_JOB_ATTEMPTS', 2, 1),
    graphiql: env.NODE_ENV !== 'production',
    workerNice: int(env, 'TEMPER_WORKER_NICE', 10),
    edgePageDir: optionalPath(env, 'TEMPER_EDGE_PAGE_DIR'),
    webAppDir: optionalPath(env, 'TEMPER_WEB_APP_DIR'),
    artifactGraceMs: int(env, 'TEMPER_ARTIFACT_GRACE_S', 600) * 1000,
    parseThreads: int(env, 'TEMPER_PARSE_THREADS', 1, 1),
    parseTimeoutMs: int(env, 'TEMPER_PARSE_TIMEOUT_S', 60, 1) * 1000,
    parseMemoryMb: int(env, 'TEMPER_PARSE_MEMORY_MB', 2048, 64),
  };
}

function optionalPath(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v ? userPath(v, env) : undefined;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    progressIntervalMs: int(env, 'TEMPER_PROGRESS_INTERVAL_MS', 250),
    cancelPollMs: int(env, 'TEMPER_CANCEL_POLL_MS', 2000, 1),
    workerName: env.TEMPER_WORKER_NAME || undefined,
  };
}

/** TEMPER_BACKEND: the compute backend a worker must use (tensorflow, wasm or cpu); undefined lets it pick the first that loads. */
export function forcedBackendName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TEMPER_BACKEND?.trim() || undefined;
}

/** TEMPER_TEST_BACKEND: the backend of the training, hardening and evaluation tests; undefined means the workers' own choice. */
export function testBackendName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TEMPER_TEST_BACKEND?.trim() || undefined;
}

/**
 * TEMPER_THREADS: the threads one TensorFlow op may use (1 to 1024); undefined means every core.
 * Read only when the tensorflow backend loads, so a bad value does not stop a wasm worker.
 */
export function tensorflowThreads(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.TEMPER_THREADS?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new BackendError(ErrorCodes.BACKEND_INVALID_CONFIG, `TEMPER_THREADS must be a whole number from 1 to 1024, got "${raw}"`, { value: raw });
  }
  return n;
}
