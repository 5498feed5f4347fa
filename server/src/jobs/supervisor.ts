import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TERMINAL_JOB_STATUSES, type BackendDetailsRecord, type JobEventKind, type JobRecord, type JobStatus } from '@temper/contracts';
import type { Store } from '../store/store.ts';
import type { EventHub } from './event-hub.ts';
import { jobSpec, resultModelName } from './job-spec.ts';
import { checkpointPath, type FromWorker, type JobResult, type JobSpec, type ToWorker } from './protocol.ts';
import type { JobScheduler } from './scheduler.ts';

export interface SupervisorOptions {
  readonly store: Store;
  readonly hub: EventHub;
  readonly dataDir: string;
  /** Worker child processes (default 1). 0 leaves jobs queued (tests of the queue itself). */
  readonly workers?: number;
  /** Identifies this server process in jobs.worker_id; RUNNING jobs held by any other id are orphans. */
  readonly serverId: string;
  readonly log?: (line: string) => void;
  /** Extra environment for workers (TEMPER_BACKEND...). */
  readonly workerEnv?: Readonly<Record<string, string>>;
  /** Niceness of worker processes (default 10: below the API). */
  readonly workerNice?: number;
  /** How often to look at the queue even when nothing kicked it. */
  readonly pollMs?: number;
}

interface WorkerSlot {
  readonly index: number;
  child: ChildProcess | null;
  ready: boolean;
  busyJobId: string | null;
  restarts: number;
}

const TERMINAL: readonly JobStatus[] = TERMINAL_JOB_STATUSES;
const WORKER_MAIN = fileURLToPath(new URL('./worker-main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Runs queued jobs in worker child processes: claims them from the durable queue in the store,
 * relays worker messages into the job's timeline (the single writer of sequence numbers) and out
 * to subscribers, and handles crashes (retry from the last checkpoint, or fail with the reason)
 * and restarts (RUNNING jobs of a dead server process go back to the queue).
 */
export class Supervisor implements JobScheduler {
  readonly slots: WorkerSlot[];
  backend: { name: string; reason: string; tfjsVersion: string; details?: BackendDetailsRecord } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private dispatching: Promise<void> | null = null;
  private dispatchAgain = false;

  constructor(private readonly o: SupervisorOptions) {
    this.slots = Array.from({ length: o.workers ?? 1 }, (_, index) => ({ index, child: null, ready: false, busyJobId: null, restarts: 0 }));
  }

  private log(line: string): void {
    (this.o.log ?? ((l: string) => console.log(l)))(`[temper jobs] ${line}`);
  }

  async start(): Promise<void> {
    for (const job of await this.o.store.orphanedRunningJobs(this.o.serverId)) {
      const where = job.checkpointEpoch != null ? `from the checkpoint after epoch ${job.checkpointEpoch}` : 'from the start';
      await this.event(job.id, 'STATUS', { message: `The server restarted while this job ran; it resumes ${where}.` }, { status: 'QUEUED', worker_id: null }, ['RUNNING']);
      this.log(`re-queued job ${job.id} left running by a previous server process`);
    }
    for (const slot of this.slots) this.spawn(slot);
    this.timer = setInterval(() => this.kick(), this.o.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Stops the workers. Jobs they were running stay RUNNING and resume on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.dispatching;
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            const child = slot.child;
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
  }

  async ready(): Promise<boolean> {
    return this.slots.length === 0 || this.slots.some((s) => s.ready);
  }

  workerInfo() {
    return this.slots.map((s) => ({ index: s.index, pid: s.child?.pid ?? null, busyJobId: s.busyJobId, restarts: s.restarts }));
  }

  /** Looks at the queue now (after a new job, a finished one, a worker that became ready). */
  kick(): void {
    if (this.stopping) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = this.dispatch()
      .catch((e) => this.log(`dispatch failed: ${e instanceof Error ? e.stack : String(e)}`))
      .finally(() => {
        this.dispatching = null;
        if (this.dispatchAgain) {
          this.dispatchAgain = false;
          this.kick();
        }
      });
  }

  /** Asks the worker running the job to stop at its next step. */
  cancelRunning(jobId: string): boolean {
    const slot = this.slots.find((s) => s.busyJobId === jobId);
    if (!slot?.child) return false;
    this.send(slot, { type: 'cancel', jobId });
    return true;
  }

  private send(slot: WorkerSlot, m: ToWorker): void {
    slot.child?.send(m);
  }

  private spawn(slot: WorkerSlot): void {
    const child = fork(WORKER_MAIN, [], {
      execArgv: ['--import', TSX_LOADER],
      env: { ...process.env, ...this.o.workerEnv, TEMPER_DATA_DIR: this.o.dataDir },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    slot.child = child;
    slot.ready = false;
    // Training is background work: on a shared machine the API's requests should win the CPU.
    try {
      if (child.pid) setPriority(child.pid, this.o.workerNice ?? 10);
    } catch {
      // Not permitted here (some containers): run at normal priority.
    }
    child.on('message', (m: FromWorker) => {
      this.onMessage(slot, m).catch((e) => this.log(`handling ${m.type} from worker ${slot.index} failed: ${e instanceof Error ? e.stack : String(e)}`));
    });
    child.on('exit', (code, signal) => {
      if (slot.child !== child) return;
      slot.child = null;
      slot.ready = false;
      const jobId = slot.busyJobId;
      slot.busyJobId = null;
      const reason = signal ? `killed by ${signal}` : `exit code ${code}`;
      void (async () => {
        if (jobId) await this.onWorkerCrash(jobId, child.pid ?? 0, reason);
        if (!this.stopping) {
          slot.restarts++;
          this.log(`worker ${slot.index} (pid ${child.pid}) ${reason}; starting a new one`);
          setTimeout(() => !this.stopping && this.spawn(slot), 200).unref();
        }
      })().catch((e) => this.log(`crash handling failed: ${String(e)}`));
    });
  }

  private async dispatch(): Promise<void> {
    for (const slot of this.slots) {
      if (this.stopping) return;
      if (!slot.child || !slot.ready || slot.busyJobId) continue;
      const job = await this.o.store.claimNextJob(`${this.o.serverId}/${slot.index}`);
      if (!job) return;
      slot.busyJobId = job.id;
      try {
        const spec = await this.spec(job);
        await this.event(job.id, 'STATUS', { message: `Started on worker ${slot.index} (pid ${slot.child.pid}), attempt ${job.attempts}.`, attempt: job.attempts });
        this.send(slot, { type: 'run', job: spec });
      } catch (e) {
        slot.busyJobId = null;
        await this.finish(job.id, 'FAILED', { message: 'The job\'s inputs could not be read.' }, { error_code: 'INTERNAL', error_message: 'The job\'s inputs could not be read (deleted?).' });
        this.log(`job ${job.id}: ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
  }

  private spec(job: JobRecord): Promise<JobSpec> {
    return jobSpec(this.o.store, job);
  }

  private async event(
    jobId: string,
    kind: JobEventKind,
    payload: Record<string, unknown>,
    patch: Parameters<Store['appendJobEvent']>[3] = {},
    onlyIf: JobStatus[] | null = null,
  ): Promise<JobRecord | null> {
    const r = await this.o.store.appendJobEventIf(jobId, onlyIf, kind, payload, patch);
    if (r) this.o.hub.publish(r.event, r.job);
    return r?.job ?? null;
  }

  private async finish(jobId: string, status: JobStatus, payload: Record<string, unknown>, patch: Parameters<Store['appendJobEvent']>[3] = {}): Promise<void> {
    await this.event(jobId, 'STATUS', payload, { ...patch, status, finished_at: new Date().toISOString() }, ['RUNNING', 'QUEUED']);
    await rm(checkpointPath(this.o.dataDir, jobId), { force: true });
  }

  private async onMessage(slot: WorkerSlot, m: FromWorker): Promise<void> {
    if (m.type === 'ready') {
      // Said once per worker start: the line operators look for to know what the jobs run on.
      if (!slot.ready) this.log(`worker ${slot.index} ready, compute backend ${m.reason}`);
      slot.ready = true;
      this.backend = { name: m.backend, reason: m.reason, tfjsVersion: m.tfjsVersion, details: m.details };
      this.kick();
      return;
    }
    if (m.jobId !== slot.busyJobId) return;
    switch (m.type) {
      case 'progress':
        await this.event(m.jobId, 'PROGRESS', m.payload, { progress: JSON.stringify(m.payload) }, ['RUNNING']);
        return;
      case 'log':
        await this.event(m.jobId, 'LOG', { message: m.message }, {}, ['RUNNING']);
        return;
      case 'config':
        await this.o.store.db.updateTable('jobs').set({ config: JSON.stringify(m.config) }).where('id', '=', m.jobId).execute();
        return;
      case 'checkpoint':
        await this.event(m.jobId, 'CHECKPOINT', { epoch: m.epoch, message: `checkpoint after epoch ${m.epoch}` }, { checkpoint_epoch: m.epoch }, ['RUNNING']);
        return;
      case 'done':
        await this.onDone(m.jobId, m.result);
        break;
      case 'failed':
        await this.finish(m.jobId, m.cancelled ? 'CANCELLED' : 'FAILED', { message: m.message, code: m.code }, m.cancelled ? {} : { error_code: m.code, error_message: m.message });
        break;
    }
    slot.busyJobId = null;
    this.kick();
  }

  private async onDone(jobId: string, result: JobResult): Promise<void> {
    const job = await this.o.store.jobById(jobId);
    if (!job || TERMINAL.includes(job.status)) return;
    let resultModelId: string | null = null;
    let evaluationId: string | null = null;
    if (result.model) {
      const [dataset] = await this.o.store.datasetsByIds(job.ownerId, [job.datasetId]);
      const [student] = job.modelId ? await this.o.store.modelsByIds(job.ownerId, [job.modelId]) : [null];
      const name = resultModelName(job, student?.name, dataset?.name);
      const model = await this.o.store.insertModel({ ownerId: job.ownerId, name, source: job.kind === 'HARDEN' ? 'HARDENED' : 'ZOO', format: 'layers-model', createdByJobId: job.id, ...result.model });
      resultModelId = model.id;
    }
    if (result.report) {
      const evaluatedModel = job.kind === 'EVALUATE' ? job.modelId : resultModelId;
      if (evaluatedModel) {
        const ev = await this.o.store.insertEvaluation({ ownerId: job.ownerId, modelId: evaluatedModel, datasetId: job.datasetId, jobId: job.id, cleanAccuracy: result.report.cleanAccuracy, report: result.report });
        evaluationId = ev.id;
      }
    }
    await this.finish(jobId, 'SUCCEEDED', { message: 'Succeeded.', ...(result.summary ?? {}) }, { result_model_id: resultModelId, evaluation_id: evaluationId });
  }

  private async onWorkerCrash(jobId: string, pid: number, reason: string): Promise<void> {
    const job = await this.o.store.jobById(jobId);
    if (!job || job.status !== 'RUNNING') return;
    if (job.cancelRequested) {
      await this.finish(jobId, 'CANCELLED', { message: `Cancelled (the worker ${reason}).` });
      return;
    }
    const maxAttempts = await this.o.store.jobMaxAttempts(jobId);
    if (job.attempts < maxAttempts && !this.stopping) {
      const where = job.checkpointEpoch != null ? `from the checkpoint after epoch ${job.checkpointEpoch}` : 'from the start';
      await this.event(jobId, 'STATUS', { message: `The worker (pid ${pid}) ${reason}; retrying ${where} (attempt ${job.attempts + 1} of ${maxAttempts}).`, code: 'WORKER_CRASHED' }, { status: 'QUEUED', worker_id: null }, ['RUNNING']);
      this.log(`job ${jobId}: worker ${reason}; re-queued`);
    } else if (!this.stopping) {
      const message = `The worker process running this job (pid ${pid}) ${reason}, after ${job.attempts} attempt(s).`;
      await this.finish(jobId, 'FAILED', { message, code: 'WORKER_CRASHED' }, { error_code: 'WORKER_CRASHED', error_message: message });
      this.log(`job ${jobId}: ${message}`);
    }
  }
}
