import type { ServerInfoRecord } from '@temper/contracts';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DistributedConfig } from '../config.ts';
import type { JobScheduler } from '../jobs/scheduler.ts';
import type { Store } from '../store/store.ts';
import { BULL_JOB_NAME, bullJobOptions, workerKey, type QueuedJob, type WorkerBeat } from './queue.ts';
import { bullConnection, closeRedis, redisConnection } from './redis.ts';
import type { RedisEventHub } from './redis-event-hub.ts';

/** How often queued jobs are re-added to the queue in case Redis lost them. */
const RECONCILE_MS = 30_000;

export interface DistributedSchedulerOptions {
  readonly store: Store;
  readonly hub: RedisEventHub;
  readonly config: DistributedConfig;
  readonly log: (line: string) => void;
  /** How often undispatched jobs and the worker list are looked at even when nothing kicked (default 2000 ms). */
  readonly pollMs?: number;
}

/**
 * The API replica's side of distributed mode. A job is a row first (QUEUED, in PostgreSQL), then
 * a BullMQ job whose id is the row's id: kick() hands every undispatched row to the queue, so a
 * replica that dies between the two leaves nothing behind (the next sweep, by any replica, adds
 * it; BullMQ ignores a second add of the same id). BullMQ's own terminal failures (a job stalled
 * more often than allowed, retries exhausted) are written back to the row from its queue events.
 */
export class DistributedScheduler implements JobScheduler {
  backend: JobScheduler['backend'] = null;
  private readonly connection: Redis;
  private readonly queue: Queue<QueuedJob>;
  private events: QueueEvents | null = null;
  private workers: WorkerBeat[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private sweepAgain = false;
  private stopping = false;
  private lastReconcile = Date.now();

  constructor(private readonly o: DistributedSchedulerOptions) {
    this.connection = redisConnection(o.config.redisUrl, 'temper api', (l) => o.log(`[temper queue] ${l}`));
    this.queue = new Queue<QueuedJob>(o.config.queueName, { connection: bullConnection(o.config.redisUrl) });
    this.queue.on('error', () => {});
  }

  private log(line: string): void {
    this.o.log(`[temper queue] ${line}`);
  }

  async start(): Promise<void> {
    this.events = new QueueEvents(this.o.config.queueName, { connection: bullConnection(this.o.config.redisUrl) });
    this.events.on('error', () => {});
    this.events.on('failed', ({ jobId, failedReason }) => void this.onBullFailed(jobId, failedReason).catch((e) => this.log(`recording the failure of job ${jobId} failed: ${String(e)}`)));
    this.timer = setInterval(() => {
      this.kick();
      void this.refreshWorkers();
    }, this.o.pollMs ?? 2000);
    this.timer.unref();
    this.kick();
    await this.refreshWorkers();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
    await this.events?.close().catch(() => {});
    await this.queue.close().catch(() => {});
    await closeRedis(this.connection);
    await this.o.hub.close();
  }

  kick(): void {
    if (this.stopping) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = this.sweep()
      .catch((e) => this.log(`handing jobs to the queue failed (retrying): ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.sweeping = null;
        if (this.sweepAgain) {
          this.sweepAgain = false;
          this.kick();
        }
      });
  }

  private async sweep(): Promise<void> {
    // A Redis that lost its data (no persistence) forgot queued jobs: add them again (a no-op for
    // those it still has - BullMQ ignores a second add of the same job id).
    if (Date.now() - this.lastReconcile > RECONCILE_MS) {
      this.lastReconcile = Date.now();
      const stale = new Date(Date.now() - RECONCILE_MS).toISOString();
      const rows = await this.o.store.db.selectFrom('jobs').select(['id', 'max_attempts']).where('status', '=', 'QUEUED').where('dispatched_at', '<', stale).orderBy('seq').limit(10_000).execute();
      for (const r of rows) await this.queue.add(BULL_JOB_NAME, { jobId: r.id }, bullJobOptions(r.id, r.max_attempts));
    }
    for (;;) {
      const ids = await this.o.store.undispatchedJobs(100);
      if (ids.length === 0) return;
      for (const id of ids) {
        const maxAttempts = await this.o.store.jobMaxAttempts(id);
        await this.queue.add(BULL_JOB_NAME, { jobId: id }, bullJobOptions(id, maxAttempts));
      }
      await this.o.store.markDispatched(ids);
    }
  }

  /** The workers poll their job's cancel flag too; this makes it prompt. */
  cancelRunning(jobId: string): boolean {
    this.o.hub.publishCancel(jobId);
    return true;
  }

  workerInfo(): ServerInfoRecord['workers'][number][] {
    return this.workers.map((w, index) => ({ index, pid: w.pid, busyJobId: w.busyJobId, restarts: w.restarts }));
  }

  /** Live workers as their heartbeats tell (names, hosts and backends in the worker log). */
  liveWorkers(): readonly WorkerBeat[] {
    return this.workers;
  }

  async ready(): Promise<boolean> {
    try {
      return (await Promise.race([this.connection.ping(), new Promise((r) => setTimeout(() => r(null), 1000))])) === 'PONG';
    } catch {
      return false;
    }
  }

  private async refreshWorkers(): Promise<void> {
    if (this.connection.status !== 'ready') return;
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await this.connection.scan(cursor, 'MATCH', workerKey(this.o.config.queueName, '*'), 'COUNT', 100);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      const values = keys.length ? await this.connection.mget(...keys) : [];
      this.workers = values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as WorkerBeat).sort((a, b) => a.name.localeCompare(b.name));
      this.backend = this.workers.find((w) => w.backend)?.backend ?? this.backend;
    } catch {
      // Redis is away: keep the last list.
    }
  }

  /** BullMQ gave up on a job (stalled too often, or the infrastructure failed every retry): the row says so. */
  private async onBullFailed(jobId: string, reason: string): Promise<void> {
    const bull = await this.queue.getJob(jobId);
    if (bull && (await bull.getState()) !== 'failed') return; // a retry follows
    const message = /stalled/i.test(reason)
      ? `The workers running this job stopped responding too often (${reason}).`
      : `The job could not be run: ${reason}`;
    const r = await this.o.store.appendJobEventIf(jobId, ['QUEUED', 'RUNNING'], 'STATUS', { message, code: 'WORKER_CRASHED' }, { status: 'FAILED', error_code: 'WORKER_CRASHED', error_message: message, finished_at: new Date().toISOString() });
    if (r) {
      this.o.hub.publish(r.event, r.job);
      this.log(`job ${jobId}: ${message}`);
    }
  }
}
