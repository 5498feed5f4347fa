import type { JobEventKind, JobEventRecord, JobRecord, TerminalJobStatus } from '@temper/contracts';
import { loadWorkerConfig } from '../config.ts';
import type { JobOutcome, JobPatch, Store } from '../store/store.ts';
import { AttemptAbandonedError, describeFailure, isUnexpectedFailure, LostJobError, WorkerCrashedError } from './attempt-errors.ts';
import type { JobSink } from './job-context.ts';
import { jobSpec, resultModelName } from './job-spec.ts';
import { JobDataError, parseJobResult, type AnyJobResult } from './kinds/index.ts';
import type { JobSpec } from './protocol.ts';

/** How often a running job looks at its cancel flag in the store (the direct cancel is the fast path). */
const CANCEL_POLL_MS = loadWorkerConfig().cancelPollMs;

/** What an attempt needs from the mode it runs in: the embedded process pool or distributed mode's BullMQ processor. */
export interface AttemptHost {
  readonly store: Store;
  /** Hands a stored event to the subscribers (the embedded EventHub; the BullMQ worker's Redis bridge). */
  readonly publish: (event: JobEventRecord, job: JobRecord) => void;
  readonly log: (line: string) => void;
  /** Runs the job where its compute lives, its reports going to `sink`; resolves with the runner's result, unchecked. */
  execute(spec: JobSpec, sink: JobSink, signal: AbortSignal): Promise<unknown>;
  /** Where this attempt runs, for the timeline ("worker 0 (pid 123)"). */
  readonly where: string;
  /** Whose log has the full story of an unexpected error ("server", "worker"). */
  readonly logName: string;
  /** The mode's own cancel (distributed: BullMQ's worker.cancelJob), besides the job's cancel flag. */
  readonly signal?: AbortSignal;
}

/** How an attempt ended: the job's final status, back in the queue after its worker died, taken over by another attempt, or left for the next start. */
export type AttemptOutcome = TerminalJobStatus | 'REQUEUED' | 'LOST' | 'ABANDONED';

/** A job's timeline as one attempt may write it: only while the attempt holds the job (jobs.worker_id = holder). */
function fencedTimeline(host: Pick<AttemptHost, 'store' | 'publish'>, jobId: string, holder: string) {
  const published = <T extends { event: JobEventRecord; job: JobRecord } | null>(r: T): NonNullable<T> => {
    if (!r) throw new LostJobError(jobId);
    host.publish(r.event, r.job);
    return r as NonNullable<T>;
  };
  return {
    event: async (kind: JobEventKind, payload: Record<string, unknown>, patch: JobPatch = {}) => published(await host.store.appendJobEventIf(jobId, ['RUNNING'], kind, payload, patch, holder)),
    /** The outcome - result model, evaluation, final event, status - in one transaction. */
    finish: async (o: JobOutcome): Promise<TerminalJobStatus> => {
      published(await host.store.finishJob(jobId, holder, o));
      return o.status;
    },
  };
}

/**
 * One attempt at a job that `holder` has taken (status RUNNING, attempts counted): its spec, the
 * run where the host executes it, every report as a fenced event, and one transactional finish.
 * The embedded supervisor and the distributed processor both run jobs through here; they differ
 * only in how they take a job and where `execute` runs it.
 */
export async function runAttempt(job: JobRecord, holder: string, host: AttemptHost): Promise<AttemptOutcome> {
  const timeline = fencedTimeline(host, job.id, holder);
  try {
    if (job.cancelRequested) return await timeline.finish({ status: 'CANCELLED', payload: { message: 'Cancelled.' } });
    let spec: JobSpec;
    try {
      spec = await jobSpec(host.store, job);
    } catch (e) {
      if (e instanceof JobDataError) return await timeline.finish({ status: 'FAILED', payload: { message: e.message, code: e.code }, patch: { error_code: e.code, error_message: e.message } });
      host.log(`job ${job.id}: ${e instanceof Error ? e.message : String(e)}`);
      return await timeline.finish({ status: 'FAILED', payload: { message: "The job's inputs could not be read." }, patch: { error_code: 'INTERNAL', error_message: "The job's inputs could not be read (deleted?)." } });
    }
    await timeline.event('STATUS', { message: `Started on ${host.where}, attempt ${job.attempts}.`, attempt: job.attempts });
    spec = await reuseAutoTeacher(host.store, job, spec, timeline);
    // Operators follow jobs in the server log: one line when an attempt starts and one when it ends.
    const what = `job ${job.id} (${job.kind}${job.method ? ` ${job.method}` : ''})`;
    host.log(`${what} started on ${host.where}, attempt ${job.attempts}`);
    const started = Date.now();
    const outcome = await run(job, spec, holder, host, timeline);
    host.log(`${what} ${outcome} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return outcome;
  } catch (e) {
    if (e instanceof LostJobError) return 'LOST';
    throw e;
  }
}

async function run(job: JobRecord, spec: JobSpec, holder: string, host: AttemptHost, timeline: ReturnType<typeof fencedTimeline>): Promise<AttemptOutcome> {
  const { store } = host;
  const controller = new AbortController();
  // The sink's callbacks are synchronous: their writes are chained in order, and the first failure stops the run.
  let writes: Promise<unknown> = Promise.resolve();
  let writeError: unknown = null;
  const write = (fn: () => Promise<unknown>) => {
    writes = writes
      .then(() => (writeError ? undefined : fn()))
      .catch((e) => {
        writeError ??= e;
        controller.abort();
      });
  };
  const sink: JobSink = {
    progress: (payload) => write(() => timeline.event('PROGRESS', { ...payload }, { progress: JSON.stringify(payload) })),
    log: (message) => write(() => timeline.event('LOG', { message })),
    config: (config) =>
      write(async () => {
        if (!(await store.setJobConfig(job.id, holder, config))) throw new LostJobError(job.id);
      }),
    checkpointSaved: (epoch) => write(() => timeline.event('CHECKPOINT', { epoch, message: `checkpoint after epoch ${epoch}` }, { checkpoint_epoch: epoch })),
    teacherTrained: (t) =>
      write(async () => {
        const stored = await store.storeJobTeacher(
          job.id,
          holder,
          { ownerId: job.ownerId, name: t.name, source: 'ZOO', format: 'layers-model', ...t.model, autoTeacherKey: t.key, metadata: t.metadata },
          (m) => ({ message: `stored the trained teacher as model "${m.name}" (${m.id}); later jobs of this dataset and eps reuse it`, teacherId: m.id }),
        );
        if (!stored) throw new LostJobError(job.id);
        host.publish(stored.event, stored.job);
      }),
  };
  const cancelPoll = setInterval(() => {
    store.jobCancelRequested(job.id).then((c) => c && controller.abort(), () => {});
  }, CANCEL_POLL_MS);
  const cancel = () => controller.abort();
  if (host.signal?.aborted) controller.abort();
  host.signal?.addEventListener('abort', cancel);
  try {
    const raw = await host.execute(spec, sink, controller.signal);
    await writes;
    if (writeError) throw writeError;
    return await timeline.finish(success(job, spec, parseJobResult(spec.kind, raw)));
  } catch (e) {
    await writes;
    if (e instanceof LostJobError || writeError instanceof LostJobError) return 'LOST';
    // The store failed under the job: the host decides (distributed: BullMQ retries from the last checkpoint).
    if (writeError) throw writeError;
    if (e instanceof AttemptAbandonedError) return 'ABANDONED';
    if (e instanceof WorkerCrashedError) {
      const crashed = await recordWorkerCrash(host, job.id, holder, e.message, 'requeue');
      return crashed === 'RESUMED' ? 'REQUEUED' : crashed;
    }
    const aborted = controller.signal.aborted;
    if (isUnexpectedFailure(e, aborted)) host.log(`job ${job.id} failed: ${e instanceof Error ? e.stack : String(e)}`);
    const f = describeFailure(e, aborted, host.logName);
    return await timeline.finish(
      f.cancelled ? { status: 'CANCELLED', payload: { message: f.message, code: f.code } } : { status: 'FAILED', payload: { message: f.message, code: f.code }, patch: { error_code: f.code, error_message: f.message } },
    );
  } finally {
    clearInterval(cancelPoll);
    host.signal?.removeEventListener('abort', cancel);
  }
}

/**
 * teacher: AUTO with no teacher yet: the owner may have one for the key by now (another job stored
 * it after this one was queued), so the attempt takes it instead of training a second one, and the
 * job records it as its teacher.
 */
async function reuseAutoTeacher(store: Store, job: JobRecord, spec: JobSpec, timeline: ReturnType<typeof fencedTimeline>): Promise<JobSpec> {
  if (spec.kind !== 'HARDEN' || spec.teacher || !spec.input.autoTeacher) return spec;
  const found = await store.autoTeacher(job.ownerId, spec.input.autoTeacher.key);
  if (!found) return spec;
  const { job: updated } = await timeline.event('LOG', { message: `reusing the owner's teacher "${found.name}" (${found.id})`, teacherId: found.id }, { teacher_id: found.id });
  return jobSpec(store, updated);
}

/** What a successful run leaves: the produced model, the report (of that model, or of the evaluated one), the summary in the final event. */
function success(job: JobRecord, spec: JobSpec, result: AnyJobResult): JobOutcome {
  const owner = job.ownerId;
  const model =
    'model' in result
      ? { ownerId: owner, name: resultModelName(spec, spec.model?.name, spec.dataset.name), source: job.kind === 'HARDEN' ? ('HARDENED' as const) : ('ZOO' as const), format: 'layers-model', ...result.model }
      : undefined;
  const evaluation =
    'report' in result
      ? { ownerId: owner, modelId: job.kind === 'EVALUATE' ? job.modelId : null, datasetId: job.datasetId, cleanAccuracy: result.report.cleanAccuracy, report: { ...result.report } }
      : undefined;
  const summary = 'summary' in result && result.summary ? { ...result.summary } : {};
  return { status: 'SUCCEEDED', payload: { message: 'Succeeded.', ...summary }, ...(model ? { model } : {}), ...(evaluation ? { evaluation } : {}) };
}

/**
 * A worker died under the job (`who` says which and how). It counts against the job's crash budget
 * (max_attempts) - a server restart does not. Within the budget the job is retried from its last
 * checkpoint: put back in the queue (`requeue`, embedded mode) or continued by the attempt that
 * took it over (`resume`, distributed mode); past it, the job fails.
 */
export async function recordWorkerCrash(host: Pick<AttemptHost, 'store' | 'publish' | 'log'>, jobId: string, holder: string, who: string, then: 'requeue' | 'resume'): Promise<AttemptOutcome | 'RESUMED'> {
  const { store } = host;
  const timeline = fencedTimeline(host, jobId, holder);
  try {
    const job = await store.jobById(jobId);
    if (!job || job.status !== 'RUNNING') return 'LOST';
    const { crashes, maxAttempts } = await store.jobCrashBudget(jobId);
    const n = crashes + 1;
    if (job.cancelRequested) return await timeline.finish({ status: 'CANCELLED', payload: { message: `Cancelled (${who}).` }, patch: { crashes: n } });
    // The newest checkpoint stored (distributed mode: its CHECKPOINT event may not have been written before the crash).
    const epoch = (await store.storedCheckpointEpoch(jobId)) ?? job.checkpointEpoch;
    const at = epoch != null ? { checkpoint_epoch: epoch } : {};
    if (n < maxAttempts) {
      const where = epoch != null ? `from the checkpoint after epoch ${epoch}` : 'from the start';
      const message = `${who}; retrying ${where} (worker crash ${n}; the job fails at ${maxAttempts}).`;
      await timeline.event('STATUS', { message, code: 'WORKER_CRASHED' }, then === 'requeue' ? { ...at, crashes: n, status: 'QUEUED', worker_id: null } : { ...at, crashes: n });
      host.log(`job ${jobId}: ${who}; ${then === 'requeue' ? 're-queued' : 'resuming'}`);
      return then === 'requeue' ? 'REQUEUED' : 'RESUMED';
    }
    const message = `${who}, after ${n} worker crash(es).`;
    host.log(`job ${jobId}: ${message}`);
    return await timeline.finish({ status: 'FAILED', payload: { message, code: 'WORKER_CRASHED' }, patch: { crashes: n, error_code: 'WORKER_CRASHED', error_message: message } });
  } catch (e) {
    if (e instanceof LostJobError) return 'LOST';
    throw e;
  }
}
