/**
 * npm run bench:scale [-- --jobs 8 --epochs 4 --architecture cnn]
 *
 * Distributed mode's throughput: 8 small queued jobs (zoo training on 240 MNIST digits) through
 * BullMQ, wall time from the first enqueue to the last success with 1 `temper-worker` and with 2.
 * Starts its own redis-server and PostgreSQL (as the tests do), one API replica in this process,
 * the workers as processes; each worker is warmed up (its sandboxed child has loaded tfjs) before
 * the clock starts. Writes bench/results/scale.json. On a machine with fewer free cores than
 * workers the speed-up is bounded by the cores, not by the queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createTemperServer, type TemperServer } from '@temper/server/api';
import { uploadTinyDataset, gql, startPostgres, startRedis, WORKER_MAIN } from '@temper/server/testing';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '8' }, epochs: { type: 'string', default: '4' }, architecture: { type: 'string', default: 'cnn' } } });
const JOBS = Number(values.jobs);
const EPOCHS = Number(values.epochs);
const ARCHITECTURE = values.architecture!;
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WORKER = WORKER_MAIN;
const QUEUE = 'temper-bench';

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];

async function main(): Promise<void> {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const env = { ...process.env, TEMPER_MODE: 'distributed', TEMPER_DATABASE_URL: postgres.url, TEMPER_REDIS_URL: redis.url, TEMPER_QUEUE: QUEUE };
  let api: TemperServer | null = null;
  const children: ChildProcess[] = [];
  try {
    api = await createTemperServer({ mode: 'distributed', distributed: { databaseUrl: postgres.url, redisUrl: redis.url, queueName: QUEUE, lockMs: 30_000, dbPoolSize: 4 }, graphiql: false, log: () => {} });
    const server = api;
    const token = server.initialToken!.token;
    const dataset = await uploadTinyDataset(server.yoga, token, 300);
    const enqueue = async (epochs: number) => {
      const r = await gql(server.yoga, token, `mutation($d: ID!, $e: Int!, $a: String!) { createZooModel(input: { architecture: $a, dataset: $d, epochs: $e, batchSize: 16 }) { ... on MutationCreateZooModelSuccess { data { id } } } }`, { d: dataset, e: epochs, a: ARCHITECTURE });
      return rawId(r.data!.createZooModel.data.id as string);
    };
    const finished = async (ids: string[]) => {
      const rows = await server.store.db.selectFrom('jobs').select(['status', 'worker_id']).where('id', 'in', ids).execute();
      const bad = rows.find((r) => r.status === 'FAILED' || r.status === 'CANCELLED');
      if (bad) throw new Error(`a benchmark job ended ${bad.status}`);
      return rows.every((r) => r.status === 'SUCCEEDED') ? rows : null;
    };
    const waitAll = async (ids: string[]) => {
      for (;;) {
        const rows = await finished(ids);
        if (rows) return rows;
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    const runs = [];
    for (const workers of [1, 2]) {
      const started: ChildProcess[] = [];
      for (let i = 0; i < workers; i++) {
        const child = spawn(process.execPath, ['--import', TSX, WORKER], { env: { ...env, TEMPER_WORKER_NAME: `bench${workers}-${i + 1}` }, stdio: ['ignore', 'ignore', 'inherit'] });
        started.push(child);
        children.push(child);
      }
      // Warm-up: one tiny job per worker, until every worker has run one (its sandbox has loaded tfjs).
      const warmed = new Set<string>();
      while (warmed.size < workers) {
        const ids = await Promise.all(Array.from({ length: workers }, () => enqueue(0)));
        for (const r of await waitAll(ids)) warmed.add(r.worker_id!.split('/')[0]);
      }
      const t0 = performance.now();
      const ids = [];
      for (let i = 0; i < JOBS; i++) ids.push(await enqueue(EPOCHS));
      const rows = await waitAll(ids);
      const seconds = (performance.now() - t0) / 1000;
      const perWorker: Record<string, number> = {};
      for (const r of rows) perWorker[r.worker_id!.split('/')[0]] = (perWorker[r.worker_id!.split('/')[0]] ?? 0) + 1;
      runs.push({ workers, wallSeconds: Number(seconds.toFixed(2)), jobsPerMinute: Number(((JOBS / seconds) * 60).toFixed(1)), jobsPerWorker: perWorker });
      console.log(`${workers} worker(s): ${JOBS} jobs in ${seconds.toFixed(2)} s (${((JOBS / seconds) * 60).toFixed(1)} jobs/min) ${JSON.stringify(perWorker)}`);
      await Promise.all(started.map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))));
    }
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage1m: Number(os.loadavg()[0].toFixed(2)), node: process.version },
      setup: 'one API replica, temper-worker processes (one job at a time each, sandboxed), redis-server and PostgreSQL on localhost',
      job: { kind: 'createZooModel', architecture: ARCHITECTURE, epochs: EPOCHS, batchSize: 16, dataset: '300 MNIST digits (240 train)' },
      jobs: JOBS,
      runs,
      speedup: Number((runs[0].wallSeconds / runs[1].wallSeconds).toFixed(2)),
    };
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'scale.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote bench/results/scale.json (speed-up with 2 workers: ${result.speedup}x on ${result.machine.cpus} cores)`);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await api?.close();
    await Promise.all([redis.stop(), postgres.stop()]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
