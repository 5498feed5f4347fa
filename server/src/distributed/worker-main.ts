#!/usr/bin/env -S npx tsx
/**
 * `temper-worker` (`npm run worker`): one distributed-mode worker - run one per GPU. It takes one
 * job at a time from the BullMQ queue on Redis and runs it in a sandboxed child process
 * (processor.ts), against PostgreSQL; it needs TEMPER_MODE=distributed, TEMPER_DATABASE_URL and
 * TEMPER_REDIS_URL (docs/deploy.md). Each event the job stores is published on the Redis pub/sub
 * that every API replica listens to. SIGTERM/SIGINT stop it at once: a job it was running goes
 * back to the queue when its lock expires (TEMPER_LOCK_MS) and resumes elsewhere from its last
 * checkpoint.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { loadConfig } from '../config.ts';
import { Store } from '../store/store.ts';
import type { ProcessorMessage } from './processor.ts';
import { WORKER_BEAT_MS, workerKey, type QueuedJob, type WorkerBeat } from './queue.ts';
import { bullConnection, closeRedis, redisConnection } from './redis.ts';
import { RedisEventHub } from './redis-event-hub.ts';

const PROCESSOR = new URL('./processor.ts', import.meta.url);

async function main(): Promise<void> {
  const config = loadConfig();
  const d = config.distributed;
  if (!d) throw new Error('temper-worker runs in distributed mode: set TEMPER_MODE=distributed, TEMPER_DATABASE_URL and TEMPER_REDIS_URL (see docs/deploy.md)');
  const name = process.env.TEMPER_WORKER_NAME || `${hostname()}-${process.pid}`;
  const log = (line: string) => console.log(`[temper worker ${name}] ${line}`);

  // Migrates (under the store's startup lock) so that workers may start before any API replica.
  const store = await Store.openPostgres(d.databaseUrl, { poolSize: 2 });
  await store.close();

  const hub = new RedisEventHub({ redisUrl: d.redisUrl, prefix: d.queueName, log, name: `temper-worker ${name}` });
  const beatConnection = redisConnection(d.redisUrl, `temper-worker ${name} beat`);
  const beat: { -readonly [K in keyof WorkerBeat]: WorkerBeat[K] } = {
    name,
    host: hostname(),
    pid: process.pid,
    startedAt: new Date().toISOString(),
    busyJobId: null,
    jobs: 0,
    restarts: 0,
    backend: process.env.TEMPER_BACKEND ? { name: process.env.TEMPER_BACKEND, reason: 'TEMPER_BACKEND', tfjsVersion: '' } : null,
  };
  const sendBeat = () => void beatConnection.set(workerKey(d.queueName, name), JSON.stringify(beat), 'PX', WORKER_BEAT_MS * 3).catch(() => {});

  const worker = new Worker<QueuedJob>(d.queueName, PROCESSOR, {
    connection: bullConnection(d.redisUrl),
    name,
    concurrency: 1,
    lockDuration: d.lockMs,
    stalledInterval: d.lockMs,
    // The job's row counts attempts and ends the job when they are used up; BullMQ keeps redelivering until then.
    maxStalledCount: config.maxAttempts,
    useWorkerThreads: false,
    workerForkOptions: { env: { ...process.env, TEMPER_WORKER_NAME: name } },
  });
  // Once per distinct error and minute: a Redis outage is one line, not one per reconnect attempt.
  const reported = new Map<string, number>();
  worker.on('error', (e) => {
    const last = reported.get(e.message) ?? 0;
    if (Date.now() - last < 60_000) return;
    reported.set(e.message, Date.now());
    log(`queue: ${e.message}`);
  });
  worker.on('active', (job: Job<QueuedJob>) => {
    beat.busyJobId = job.data.jobId;
    sendBeat();
  });
  worker.on('progress', (_job: Job<QueuedJob>, progress: unknown) => {
    const m = progress as ProcessorMessage;
    if (m?.type === 'event') hub.publish(m.event, m.job);
    else if (m?.type === 'backend' && !beat.backend?.tfjsVersion) {
      beat.backend = { name: m.name, reason: m.reason, tfjsVersion: m.tfjsVersion, details: m.details };
      log(`compute backend: ${m.name} (${m.reason})`);
      sendBeat();
    }
  });
  worker.on('completed', (job: Job<QueuedJob>, result: { outcome?: string }) => {
    beat.busyJobId = null;
    beat.jobs++;
    sendBeat();
    log(`job ${job.data.jobId}: ${result?.outcome ?? 'done'}`);
  });
  worker.on('failed', (job: Job<QueuedJob> | undefined, e: Error) => {
    beat.busyJobId = null;
    sendBeat();
    log(`job ${job?.data.jobId ?? '?'}: attempt failed (${e.message})${job && job.attemptsMade < (job.opts.attempts ?? 1) ? '; BullMQ retries it' : ''}`);
  });
  worker.on('stalled', (jobId: string) => log(`job ${jobId} stalled (its worker stopped renewing the lock); it goes back to the queue`));
  hub.onCancel((jobId) => {
    if (worker.cancelJob(jobId, 'cancelled')) log(`job ${jobId}: cancel requested`);
  });
  await worker.waitUntilReady();
  sendBeat();
  const beatTimer = setInterval(sendBeat, WORKER_BEAT_MS);
  log(`ready: queue "${d.queueName}", one job at a time, lock ${d.lockMs} ms`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping (a running job resumes on another worker from its last checkpoint)`);
    clearInterval(beatTimer);
    const done = Promise.all([worker.close(true).catch(() => {}), beatConnection.del(workerKey(d.queueName, name)).catch(() => {})]);
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    await hub.close();
    await closeRedis(beatConnection);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error('[temper worker] failed to start:', e instanceof Error ? e.stack : e);
  process.exit(1);
});
