import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendDetailsRecord, JobEventKind, JobRecord, JobStatus } from '@temper/contracts';
import type { Store } from '../store/store.ts';
import { AttemptAbandonedError, RemoteJobFailure, WorkerCrashedError } from './attempt-errors.ts';
import { runAttempt, type AttemptHost } from './attempt.ts';
import type { EventHub } from './event-hub.ts';
import type { JobSink } from './job-context.ts';
import { checkpointPath, teacherCheckpointPath, type FromWorker, type JobSpec, type ToWorker } from './protocol.ts';
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
  /** The run the worker child is executing for an attempt: where its reports go, how it ends. */
  running: { readonly jobId: string; readonly sink: JobSink; resolve(result: unknown): void; reject(e: Error): void } | null;
}
const WORKER_MAIN = fileURLToPath(new URL('./worker-main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Embedded mode's process pool: claims queued jobs from the durable queue in the store and runs
 * each as an attempt (attempt.ts: fenced events, one transactional finish) whose compute happens
 * in a worker child process. A worker that dies under a job is a crash the attempt records (retry
 * from the last checkpoint, or fail); a server restart puts the RUNNING jobs of the dead server
 * process back in the queue without counting a crash.
 */
export class Supervisor implements JobScheduler {
  readonly slots: WorkerSlot[];
  backend: { name: string; reason: string; tfjsVersion: string; details?: BackendDetailsRecord } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** Jobs whose outcome waits for the store to take writes again (failWhenWritable). */
  private readonly pending = new Set<Promise<void>>();
  private dispatching: Promise<void> | null = null;
  private dispatchAgain = false;
  private readonly attempts = new Set<Promise<unknown>>();

  constructor(private readonly o: SupervisorOptions) {
    this.slots = Array.from({ length: o.workers ?? 1 }, (_, index) => ({ index, child: null, ready: false, busyJobId: null, restarts: 0, running: null }));
  }

  private log(line: string): void {
    (this.o.log ?? ((l: string) => console.log(l)))(`[temper jobs] ${line}`);
  }

  async start(): Promise<void> {
    for (const job of await this.o.store.orphanedRunningJobs(this.o.serverId)) {
      // A restart is no worker crash: the job's crash budget (jobs.crashes) stays as it was.
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
    await Promise.all(this.attempts);
    await Promise.all(this.pending);
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
      const reason = signal ? `killed by ${signal}` : `exit code ${code}`;
      const run = slot.running;
      slot.running = null;
      // The attempt records the crash (or, while the server stops, leaves the job to the next start).
      run?.reject(this.stopping ? new AttemptAbandonedError(run.jobId) : new WorkerCrashedError(child.pid ?? 0, reason));
      if (!this.stopping) {
        slot.restarts++;
        this.log(`worker ${slot.index} (pid ${child.pid}) ${reason}; starting a new one`);
        setTimeout(() => !this.stopping && this.spawn(slot), 200).unref();
      }
    });
  }

  private async dispatch(): Promise<void> {
    for (const slot of this.slots) {
      if (this.stopping) return;
      if (!slot.child || !slot.ready || slot.busyJobId) continue;
      const holder = `${this.o.serverId}/${slot.index}`;
      const job = await this.o.store.claimNextJob(holder);
      if (!job) return;
      slot.busyJobId = job.id;
      const attempt = runAttempt(job, holder, this.host(slot))
        .then(async (outcome) => {
          if (outcome !== 'ABANDONED' && outcome !== 'REQUEUED' && outcome !== 'LOST') {
            await rm(checkpointPath(this.o.dataDir, job.id), { force: true });
            await rm(teacherCheckpointPath(this.o.dataDir, job.id), { force: true });
          }
        })
        .catch((e) => {
          this.log(`job ${job.id}: the attempt failed: ${e instanceof Error ? e.stack : String(e)}`);
          // Its outcome could not be stored (a full or failing disk): the slot moves on to the next job,
          // and the job is failed as soon as the store takes writes again instead of staying RUNNING.
          const recording: Promise<void> = this.failWhenWritable(job.id, holder, e).finally(() => this.pending.delete(recording));
          this.pending.add(recording);
        })
        .finally(() => {
          this.attempts.delete(attempt);
          slot.busyJobId = null;
          this.kick();
        });
      this.attempts.add(attempt);
    }
  }

  /** Retries, with backoff while the server runs, recording `jobId` as FAILED with the storage error that stopped its attempt. */
  private async failWhenWritable(jobId: string, holder: string, cause: unknown): Promise<void> {
    const code = storageFailureCode(cause);
    const message = `The job's outcome could not be stored (${code}); it was failed once the server's storage took writes again.`;
    for (let delay = 500; !this.stopping; delay = Math.min(delay * 2, 30_000)) {
      try {
        const r = await this.o.store.finishJob(jobId, holder, { status: 'FAILED', payload: { message, code }, patch: { error_code: code, error_message: message } });
        if (r) this.o.hub.publish(r.event, r.job);
        this.log(`job ${jobId}: recorded as FAILED (${code})`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay).unref());
      }
    }
  }

  /** An attempt's host on this slot: the job runs in the slot's worker child, its reports come back over IPC. */
  private host(slot: WorkerSlot): AttemptHost {
    return {
      store: this.o.store,
      publish: (event, job) => this.o.hub.publish(event, job),
      log: (line) => this.log(line),
      where: `worker ${slot.index} (pid ${slot.child?.pid})`,
      logName: 'server',
      execute: (spec: JobSpec, sink: JobSink, signal: AbortSignal) =>
        new Promise<unknown>((resolve, reject) => {
          const child = slot.child;
          if (!child) return reject(new WorkerCrashedError(0, 'was not running'));
          slot.running = { jobId: spec.id, sink, resolve, reject };
          signal.addEventListener('abort', () => this.send(slot, { type: 'cancel', jobId: spec.id }), { once: true });
          this.send(slot, { type: 'run', job: spec });
        }),
    };
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

  private async onMessage(slot: WorkerSlot, m: FromWorker): Promise<void> {
    if (m.type === 'ready') {
      // Said once per worker start: the line operators look for to know what the jobs run on.
      if (!slot.ready) this.log(`worker ${slot.index} ready, compute backend ${m.reason}`);
      slot.ready = true;
      this.backend = { name: m.backend, reason: m.reason, tfjsVersion: m.tfjsVersion, details: m.details };
      this.kick();
      return;
    }
    const run = slot.running;
    if (!run || m.jobId !== run.jobId) return;
    switch (m.type) {
      case 'progress':
        return run.sink.progress(m.payload);
      case 'log':
        return run.sink.log(m.message);
      case 'config':
        return run.sink.config(m.config);
      case 'checkpoint':
        return run.sink.checkpointSaved(m.epoch);
      case 'teacher':
        return run.sink.teacherTrained(m.teacher);
      case 'done':
        slot.running = null;
        return run.resolve(m.result);
      case 'failed':
        slot.running = null;
        return run.reject(new RemoteJobFailure({ code: m.code, message: m.message, cancelled: m.cancelled }));
    }
  }
}

/** STORAGE_FULL for a disk or quota that is full (fs ENOSPC/EDQUOT, SQLite SQLITE_FULL), else STORAGE_ERROR. */
export function storageFailureCode(e: unknown): 'STORAGE_FULL' | 'STORAGE_ERROR' {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === 'STORAGE_FULL') return 'STORAGE_FULL';
  }
  return 'STORAGE_ERROR';
}
