import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Server settings from the environment, with the defaults `npm start` runs on. */
export interface ServerConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly workers: number;
  /** Largest request body (uploads included). Default 128 MiB: fits a 100 MB model plus the form overhead. */
  readonly bodyLimitBytes: number;
  readonly maxDepth: number;
  readonly maxCost: number;
  /** Attempts a job gets when its worker crashes. */
  readonly maxAttempts: number;
  readonly graphiql: boolean;
  /** Niceness of the worker processes (TEMPER_WORKER_NICE, default 10). */
  readonly workerNice: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** TEMPER_DATA_DIR, else ./data at the repository root (gitignored). */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPER_DATA_DIR ? resolve(env.TEMPER_DATA_DIR) : join(REPO_ROOT, 'data');
}

export const storeFile = (dataDir: string) => join(dataDir, 'temper.sqlite');

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    dataDir: resolveDataDir(env),
    host: env.TEMPER_HOST ?? '127.0.0.1',
    port: int(env, 'TEMPER_PORT', 4000),
    workers: int(env, 'TEMPER_WORKERS', 1),
    bodyLimitBytes: int(env, 'TEMPER_BODY_LIMIT_MB', 128, 1) * 1024 * 1024,
    maxDepth: int(env, 'TEMPER_MAX_DEPTH', 12, 1),
    maxCost: int(env, 'TEMPER_MAX_COST', 20000, 1),
    maxAttempts: int(env, 'TEMPER_JOB_ATTEMPTS', 2, 1),
    graphiql: env.NODE_ENV !== 'production',
    workerNice: int(env, 'TEMPER_WORKER_NICE', 10),
  };
}
