/**
 * The BullMQ sandboxed processor of `temper-worker`: runs in a child process of the worker (so a
 * long synchronous tfjs step never stops the parent from renewing the job's lock) and runs one
 * Temper job per call against PostgreSQL.
 *
 * Idempotent under BullMQ's at-least-once delivery: each call is an attempt with its own holder id.
 * Taking the job writes the holder into the row; every later write (events, checkpoint, the
 * outcome) is conditional on still holding it, so an attempt that was taken over - its worker
 * killed, stalled, or cut off from Redis - can no longer write, and a job that already finished is
 * left alone. The outcome (result model, report, final event) is one transaction: one result model
 * and one report per job, however often it was delivered. Each event is stored before it is
 * published, through BullMQ's job progress, to the parent, which bridges it to the subscriptions.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { SandboxedJob } from 'bullmq';
import type { BackendDetailsRecord, JobEventKind, JobEventRecord, JobRecord } from '@temper/contracts';
import { isTemperError } from '@temper/edge';
import { DatabaseArtifactStore } from '../artifacts/database-artifact-store.ts';
import { computeBackend, type ComputeBackendChoice } from '../compute/backend.ts';
import { loadDistributedConfig } from '../config.ts';
import type { JobRunContext } from '../jobs/job-context.ts';
import { jobSpec, resultModelName } from '../jobs/job-spec.ts';
import type { JobSpec } from '../jobs/protocol.ts';
import { RUNNERS } from '../jobs/runners.ts';
import type { JobOutcome, JobPatch } from '../store/store.ts';
import { Store } from '../store/store.ts';
import { DatabaseCheckpointStore, LostJobError } from './checkpoint-store.ts';
import type { QueuedJob } from './queue.ts';

/** What the processor reports to its parent through BullMQ's job progress. */
export type ProcessorMessage = { readonly type: 'event'; readonly event: JobEventRecord; readonly job: JobRecord } | { readonly type: 'backend'; readonly name: string; readonly reason: string; readonly tfjsVersion: string; readonly details?: BackendDetailsRecord };

/** Progress events closer together than this are dropped (the last step of an epoch is always sent). */
const PROGRESS_INTERVAL_MS = Number(process.env.TEMPER_PROGRESS_INTERVAL_MS ?? 250);
/** How often a running job looks at its cancel flag in the store (the pub/sub cancel is the fast path). */
const CANCEL_POLL_MS = Number(process.env.TEMPER_CANCEL_POLL_MS ?? 2000);
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
  const send = (m: ProcessorMessage) => void bull.updateProgress(m as unknown as object).catch(() => {});
  send({ type: 'backend', name: backend.backend, reason: backend.reason, tfjsVersion: backend.tfjsVersion, details: backend.details });
  const published = <T extends { event: JobEventRecord; job: JobRecord } | null>(r: T): T => {
    if (!r) throw new LostJobError(jobId);
    send({ type: 'event', event: r.event, job: r.job });
    return r;
  };
  const event = async (kind: JobEventKind, payload: Record<string, unknown>, patch: JobPatch = {}) => published(await store.appendJobEventIf(jobId, ['RUNNING'], kind, payload, patch, holder));
  const finish = async (o: JobOutcome) => published(await store.finishJob(jobId, holder, o));

  const taken = await store.takeJob(jobId, holder);
  if (!taken) return { outcome: 'gone' };
  if (!taken.job) return { outcome: `already ${taken.before.status}` }; // a duplicate delivery of a finished job
  const job = taken.job;
  try {
    const maxAttempts = await store.jobMaxAttempts(jobId);
    if (taken.before.status === 'RUNNING') {
      const previous = taken.previousHolder?.split('/')[0] ?? 'unknown';
      if (job.attempts > maxAttempts) {
        const message = `The worker running this job (${previous}) stopped responding, after ${job.attempts - 1} attempt(s).`;
        await finish({ status: 'FAILED', payload: { message, code: 'WORKER_CRASHED' }, patch: { error_code: 'WORKER_CRASHED', error_message: message } });
        return { outcome: 'FAILED' };
      }
      // The newest checkpoint stored (its CHECKPOINT event may not have been written before the crash).
      const stored = await store.db.selectFrom('job_checkpoints').select('epoch').where('job_id', '=', jobId).executeTakeFirst();
      const epoch = stored?.epoch ?? job.checkpointEpoch;
      const where = epoch != null ? `from the checkpoint after epoch ${epoch}` : 'from the start';
      await event('STATUS', { message: `The worker running this job (${previous}) stopped responding; retrying ${where} (attempt ${job.attempts} of ${maxAttempts}).`, code: 'WORKER_CRASHED' }, epoch != null ? { checkpoint_epoch: epoch } : {});
    }
    if (job.cancelRequested) {
      await finish({ status: 'CANCELLED', payload: { message: 'Cancelled.' } });
      return { outcome: 'CANCELLED' };
    }
    let spec: JobSpec;
    try {
      spec = await jobSpec(store, job);
    } catch (e) {
      console.error(`[temper worker ${WORKER_NAME}] job ${jobId}: ${e instanceof Error ? e.message : String(e)}`);
      await finish({ status: 'FAILED', payload: { message: "The job's inputs could not be read." }, patch: { error_code: 'INTERNAL', error_message: "The job's inputs could not be read (deleted?)." } });
      return { outcome: 'FAILED' };
    }
    await event('STATUS', { message: `Started on worker ${WORKER_NAME} (pid ${process.pid}, ${backend.backend}), attempt ${job.attempts}.`, attempt: job.attempts });
    return await run(spec);
  } catch (e) {
    if (e instanceof LostJobError) return { outcome: 'lost' };
    throw e;
  }

  async function run(spec: JobSpec): Promise<{ outcome: string }> {
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort);
    // Writes from the runner's synchronous callbacks, in order; the first failure stops the run.
    let writes: Promise<unknown> = Promise.resolve();
    let writeError: unknown = null;
    const write = (fn: () => Promise<unknown>) => {
      writes = writes.then(() => (writeError ? undefined : fn())).catch((e) => {
        writeError ??= e;
        controller.abort();
      });
    };
    const cancelPoll = setInterval(() => {
      store.jobCancelRequested(jobId).then((c) => c && controller.abort(), () => {});
    }, CANCEL_POLL_MS);
    let lastProgress = 0;
    const ctx: JobRunContext = {
      job: spec,
      artifacts,
      dataDir: process.env.TEMPER_DATA_DIR ?? tmpdir(),
      backend,
      signal: controller.signal,
      progress: (payload, force = false) => {
        const t = Date.now();
        if (!force && t - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = t;
        write(() => event('PROGRESS', payload, { progress: JSON.stringify(payload) }));
      },
      log: (message) => write(() => event('LOG', { message })),
      config: (config) => write(() => store.db.updateTable('jobs').set({ config: JSON.stringify(config) }).where('id', '=', jobId).where('worker_id', '=', holder).execute()),
      checkpointSaved: (epoch) => write(() => event('CHECKPOINT', { epoch, message: `checkpoint after epoch ${epoch}` }, { checkpoint_epoch: epoch })),
      checkpoints: new DatabaseCheckpointStore(store.db, jobId, holder, (epoch) => ctx.checkpointSaved(epoch)),
    };
    try {
      const result = await RUNNERS[spec.kind](ctx);
      await writes;
      if (writeError) throw writeError;
      const owner = job.ownerId;
      await finish({
        status: 'SUCCEEDED',
        payload: { message: 'Succeeded.', ...(result.summary ?? {}) },
        ...(result.model
          ? { model: { ownerId: owner, name: resultModelName(job, spec.model?.name, spec.dataset.name), source: job.kind === 'HARDEN' ? 'HARDENED' : 'ZOO', format: 'layers-model', ...result.model } }
          : {}),
        ...(result.report ? { evaluation: { ownerId: owner, modelId: job.kind === 'EVALUATE' ? job.modelId : null, datasetId: job.datasetId, cleanAccuracy: result.report.cleanAccuracy, report: result.report } } : {}),
      });
      return { outcome: 'SUCCEEDED' };
    } catch (e) {
      await writes;
      if (e instanceof LostJobError || writeError instanceof LostJobError) return { outcome: 'lost' };
      // The store went away under the job: BullMQ retries it later, from its last checkpoint.
      if (writeError) throw writeError;
      const cancelled = controller.signal.aborted;
      if (!isTemperError(e) && !cancelled) console.error(`[temper worker ${WORKER_NAME}] job ${jobId} failed:`, e);
      const code = cancelled ? 'ABORTED' : isTemperError(e) ? e.code : 'INTERNAL';
      const message = cancelled ? 'Cancelled.' : isTemperError(e) ? e.message : `Internal error in the worker (${e instanceof Error ? e.name : 'unknown'}); see the worker log.`;
      await finish(cancelled ? { status: 'CANCELLED', payload: { message, code } } : { status: 'FAILED', payload: { message, code }, patch: { error_code: code, error_message: message } });
      return { outcome: cancelled ? 'CANCELLED' : 'FAILED' };
    } finally {
      clearInterval(cancelPoll);
      signal?.removeEventListener('abort', abort);
    }
  }
}
