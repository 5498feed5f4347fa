/**
 * The BullMQ sandboxed processor of `temper-worker`: runs in a child process of the worker (so a
 * long synchronous tfjs step never stops the parent from renewing the job's lock) and runs one
 * Temper job per call against PostgreSQL - an adapter from a BullMQ delivery to one attempt
 * (jobs/attempt.ts), the same attempt code the embedded supervisor runs.
 *
 * Idempotent under BullMQ's at-least-once delivery: each call is an attempt with its own holder id.
 * Taking the job writes the holder into the row; every later write (events, checkpoint, the
 * outcome) is conditional on still holding it, so an attempt that was taken over - its worker
 * killed, stalled, or cut off from Redis - can no longer write, and a job that already finished is
 * left alone. A delivery of a job still RUNNING means the worker that ran it died: a crash the
 * attempt records before it resumes from the last checkpoint. Each event is stored before it is
 * published, through BullMQ's job progress, to the parent, which bridges it to the subscriptions.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { SandboxedJob } from 'bullmq';
import type { BackendDetailsRecord, JobEventRecord, JobRecord } from '@temper/contracts';
import { DatabaseArtifactStore } from '../artifacts/database-artifact-store.ts';
import { computeBackend, type ComputeBackendChoice } from '../compute/backend.ts';
import { loadDistributedConfig } from '../config.ts';
import { recordWorkerCrash, runAttempt, type AttemptHost } from '../jobs/attempt.ts';
import { runInProcess } from '../jobs/run-in-process.ts';
import { Store } from '../store/store.ts';
import { DatabaseCheckpointStore } from './checkpoint-store.ts';
import type { QueuedJob } from './queue.ts';

/** What the processor reports to its parent through BullMQ's job progress. */
export type ProcessorMessage = { readonly type: 'event'; readonly event: JobEventRecord; readonly job: JobRecord } | { readonly type: 'backend'; readonly name: string; readonly reason: string; readonly tfjsVersion: string; readonly details?: BackendDetailsRecord };

const WORKER_NAME = process.env.TEMPER_WORKER_NAME ?? `pid${process.pid}`;

// A worker killed with SIGKILL leaves this process orphaned: stop at once, before writing anything
// more (the fencing would refuse it anyway once another attempt holds the job).
process.on('disconnect', () => process.exit(0));

interface Environment {
  readonly store: Store;
  readonly artifacts: DatabaseArtifactStore;
  readonly backend: ComputeBackendChoice;
}

let environment: Promise<Environment> | null = null;

function open(): Promise<Environment> {
  environment ??= (async () => {
    const config = loadDistributedConfig();
    if (!config) throw new Error('temper-worker: TEMPER_MODE=distributed is not set');
    const store = await Store.openPostgres(config.databaseUrl, { poolSize: 2, migrate: false });
    const backend = await computeBackend();
    return { store, artifacts: new DatabaseArtifactStore(store.db), backend };
  })();
  environment.catch(() => (environment = null));
  return environment;
}

export default async function processJob(bull: SandboxedJob<QueuedJob>, _token?: string, signal?: AbortSignal): Promise<{ outcome: string }> {
  const { store, artifacts, backend } = await open();
  const { jobId } = bull.data;
  const holder = `${WORKER_NAME}/${randomUUID().slice(0, 8)}`;
  // BullMQ's progress takes a JSON object; the parent reads it back as a ProcessorMessage (worker-main.ts).
  const send = (m: ProcessorMessage) => void bull.updateProgress(m).catch(() => {});
  send({ type: 'backend', name: backend.backend, reason: backend.reason, tfjsVersion: backend.tfjsVersion, details: backend.details });
  const host: AttemptHost = {
    store,
    publish: (event, job) => send({ type: 'event', event, job }),
    log: (line) => console.error(`[temper worker ${WORKER_NAME}] ${line}`),
    where: `worker ${WORKER_NAME} (pid ${process.pid}, ${backend.backend})`,
    logName: 'worker',
    ...(signal ? { signal } : {}),
    execute: (spec, sink, attemptSignal) =>
      runInProcess(spec, sink, {
        artifacts,
        dataDir: process.env.TEMPER_DATA_DIR ?? tmpdir(),
        backend,
        signal: attemptSignal,
        checkpoints: (s) => new DatabaseCheckpointStore(store.db, jobId, holder, (epoch) => s.checkpointSaved(epoch)),
      }),
  };

  const taken = await store.takeJob(jobId, holder);
  if (!taken) return { outcome: 'gone' };
  if (!taken.job) return { outcome: `already ${taken.before.status}` }; // a duplicate delivery of a finished job
  if (taken.before.status === 'RUNNING') {
    const previous = taken.previousHolder?.split('/')[0] ?? 'unknown';
    const crash = await recordWorkerCrash(host, jobId, holder, `The worker running this job (${previous}) stopped responding`, 'resume');
    if (crash !== 'RESUMED') return { outcome: crash };
  }
  const job = await store.jobById(jobId);
  if (!job) return { outcome: 'gone' };
  const outcome = await runAttempt(job, holder, host);
  return { outcome };
}
