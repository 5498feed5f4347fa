import { availableParallelism } from 'node:os';
import { tensorflowThreads } from '../config.ts';

export interface TensorflowEnv {
  /** Intra-op threads TensorFlow will use for one op. */
  readonly threads: number;
  readonly deterministic: boolean;
}

/**
 * Sets the variables libtensorflow reads once, at load: they only take effect before
 * `@tensorflow/tfjs-node-gpu` is imported. Values the operator already set win.
 *
 * - TEMPER_THREADS (default: every core) becomes TF_NUM_INTRAOP_THREADS; inter-op parallelism stays
 *   at 1 because eager execution dispatches one op at a time, and more pools only add contention.
 * - TF_DETERMINISTIC_OPS=1: a job resumed from a checkpoint must reproduce the run it continues bit for
 *   bit, and equal inputs must give equal reports. It costs little on CPU; on a GPU a few ops without a
 *   deterministic kernel raise instead (set TF_DETERMINISTIC_OPS=0 to trade that for speed).
 * - TF_CPP_MIN_LOG_LEVEL=2 keeps the 2-3 informational lines TensorFlow prints on load out of job logs.
 */
export function prepareTensorflowEnv(env: NodeJS.ProcessEnv = process.env): TensorflowEnv {
  const threads = tensorflowThreads(env) ?? availableParallelism();
  env.TF_NUM_INTRAOP_THREADS ??= String(threads);
  env.TF_NUM_INTEROP_THREADS ??= '1';
  env.TF_DETERMINISTIC_OPS ??= '1';
  env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  return { threads: Number(env.TF_NUM_INTRAOP_THREADS) || threads, deterministic: env.TF_DETERMINISTIC_OPS !== '0' && env.TF_DETERMINISTIC_OPS !== 'false' };
}
