import type { JobsOptions } from 'bullmq';
import type { BackendDetailsRecord } from '@temper/schema';

/** The BullMQ side shared by API replicas and workers: one queue, one BullMQ job per Temper job. */

export const BULL_JOB_NAME = 'run';

/** What a BullMQ job carries: only the Temper job id (everything else is in PostgreSQL). */
export interface QueuedJob {
  readonly jobId: string;
}

/**
 * BullMQ's own retries (for failures of the infrastructure - PostgreSQL unreachable mid-job -,
 * never for the job's own errors, which end it) and record keeping. A worker's crash is a stalled
 * job, governed by the workers' maxStalledCount; the job's row counts attempts either way, and the
 * processor ends the job once the row's max_attempts is used up.
 */
export function bullJobOptions(jobId: string, maxAttempts: number): JobsOptions {
  return {
    jobId,
    attempts: maxAttempts + 1,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Redis key of a worker's heartbeat (TTL 3 x the beat): API replicas list workers from these. */
export const workerKey = (queue: string, name: string) => `${queue}:temper-worker:${name}`;
export const WORKER_BEAT_MS = 5000;

export interface WorkerBeat {
  readonly name: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly busyJobId: string | null;
  readonly jobs: number;
  readonly restarts: number;
  readonly backend: { readonly name: string; readonly reason: string; readonly tfjsVersion: string; readonly details?: BackendDetailsRecord } | null;
}
