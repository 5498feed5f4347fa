import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadClassifier } from '@temper/edge/io';
import { createTemperServer, type TemperServer } from '@temper/server/api';
import { uploadTinyDataset, uploadTinyModel, gql, sse, startPostgres, startRedis, type LocalRedis, type LocalService, SERVER_MAIN, WORKER_MAIN } from '@temper/server/testing';
import type { DistributedConfig } from '@temper/server';
import { bullConnection } from '@temper/server';

/**
 * Distributed mode against real servers: a redis-server and a PostgreSQL started here on free
 * local ports in temporary directories (.ci/run installs the Debian packages), two API replicas -
 * A is `npm start` (server/src/main.ts) as a process on HTTP, B is created in this process and
 * reached through yoga.fetch - and two `temper-worker` processes, each running its job in a
 * sandboxed child. Replicas and workers share nothing but PostgreSQL and Redis.
 */

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = SERVER_MAIN;
const WORKER = WORKER_MAIN;
const QUEUE = 'temper-test';
/** Short locks: a killed worker's job is taken over within ~2 x this (long enough for renewals on a loaded machine). */
const LOCK_MS = 5000;

type Fetchable = { fetch(...args: any[]): Promise<Response> | Response };

let redis: LocalRedis;
let postgres: LocalService;
let distributed: DistributedConfig;
let env: NodeJS.ProcessEnv;
let apiA: { child: ChildProcess; base: string; output: string[] };
/** Replica A through the helpers that speak to a `yoga.fetch`. */
let A: Fetchable;
let B: TemperServer;
let token = '';
const workers = new Map<string, { child: ChildProcess; output: string[] }>();
let datasetId = '';
let studentId = '';

function startWorker(name: string): void {
  const child = spawn(process.execPath, ['--import', TSX, WORKER], { env: { ...env, TEMPER_WORKER_NAME: name }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  workers.set(name, { child, output });
}

async function startReplicaA(): Promise<{ child: ChildProcess; base: string; output: string[] }> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], { env: { ...env, TEMPER_PORT: '0', NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica A did not start:\n${output.join('')}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      output.push(b.toString());
      const m = /API ready in [\d.]+ s at (http:\/\/[\d.]+:\d+)\/graphql \(distributed/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    child.once('exit', (code) => reject(new Error(`replica A exited (${code}):\n${output.join('')}`)));
  });
  return { child, base, output };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${logs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const logs = () => [`--- replica A\n${apiA?.output.join('').slice(-3000)}`, ...[...workers].map(([n, w]) => `--- worker ${n}\n${w.output.join('').slice(-3000)}`)].join('\n');
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
const JOB = `query($id: ID!) { node(id: $id) { ... on Job { status attempts lastSequence error { code message } timeline { sequence kind status message } }
  ... on ZooTrainingJob { resultModel { id } } ... on HardeningJob { resultModel { id sha256 files { name url } } evaluation { id cleanAccuracy } } } }`;
const job = async (via: Fetchable, id: string) => (await gql(via, token, JOB, { id })).data!.node;
const FOLLOW = `subscription($id: ID!, $after: Int) { jobProgress(id: $id, afterSequence: $after) { sequence kind status message } }`;
const seqs = (events: Record<string, any>[]) => events.map((e) => e.data.jobProgress.sequence as number);
const contiguous = (s: number[]) => s.map((_, i) => i + 1);

async function zoo(via: Fetchable, epochs: number, architecture = 'mlp', dataset = datasetId): Promise<string> {
  const r = await gql(via, token, `mutation($d: ID!, $e: Int!, $a: String!) { createZooModel(input: { architecture: $a, dataset: $d, epochs: $e, batchSize: 16 }) { __typename ... on MutationCreateZooModelSuccess { data { id } } ... on DomainError { code message } } }`, { d: dataset, e: epochs, a: architecture });
  expect(r.data!.createZooModel.__typename, JSON.stringify(r)).toBe('MutationCreateZooModelSuccess');
  return r.data!.createZooModel.data.id;
}

async function harden(via: Fetchable, epochs: number, dataset = datasetId): Promise<string> {
  const r = await gql(
    via,
    token,
    `mutation($m: ID!, $d: ID!, $e: Int!) { hardenModel(input: { method: NATURAL, student: $m, dataset: $d, eps: 0.1, epochs: $e, batchSize: 16, evaluation: { sampleSize: 8, attacks: [{ attack: "fgsm" }] } }) { __typename ... on MutationHardenModelSuccess { data { id } } ... on DomainError { code message } } }`,
    { m: studentId, d: dataset, e: epochs },
  );
  expect(r.data!.hardenModel.__typename, JSON.stringify(r)).toBe('MutationHardenModelSuccess');
  return r.data!.hardenModel.data.id;
}

/** The worker process (by TEMPER_WORKER_NAME) whose attempt holds the job now. */
async function holderOf(jobId: string): Promise<string | null> {
  const row = await B.store.db.selectFrom('jobs').select(['worker_id', 'status']).where('id', '=', rawId(jobId)).executeTakeFirst();
  return row?.status === 'RUNNING' && row.worker_id ? row.worker_id.split('/')[0] : null;
}

async function countRows(jobId: string): Promise<{ models: number; evaluations: number; checkpoints: number }> {
  const id = rawId(jobId);
  const n = async (q: Promise<{ n: unknown }>) => Number((await q).n);
  const db = B.store.db;
  return {
    models: await n(db.selectFrom('models').select((eb) => eb.fn.countAll().as('n')).where('created_by_job_id', '=', id).executeTakeFirstOrThrow()),
    evaluations: await n(db.selectFrom('evaluations').select((eb) => eb.fn.countAll().as('n')).where('job_id', '=', id).executeTakeFirstOrThrow()),
    checkpoints: await n(db.selectFrom('job_checkpoint_chunks').select((eb) => eb.fn.countAll().as('n')).where('job_id', '=', id).executeTakeFirstOrThrow()),
  };
}

beforeAll(async () => {
  // Assign each service as soon as it is up, so afterAll stops it even when the other fails to start
  // (a missing redis-server must not leave a PostgreSQL server running after the run).
  const started = await Promise.allSettled([startRedis().then((r) => (redis = r)), startPostgres().then((p) => (postgres = p))]);
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  distributed = { databaseUrl: postgres.url, redisUrl: redis.url, queueName: QUEUE, lockMs: LOCK_MS, dbPoolSize: 4 };
  env = {
    ...process.env,
    TEMPER_MODE: 'distributed',
    TEMPER_DATABASE_URL: postgres.url,
    TEMPER_REDIS_URL: redis.url,
    TEMPER_QUEUE: QUEUE,
    TEMPER_LOCK_MS: String(LOCK_MS),
    TEMPER_DB_POOL: '4',
    // One attempt to spare: a lock renewal starved on a busy machine must not fail a test.
    TEMPER_JOB_ATTEMPTS: '3',
    TEMPER_PROGRESS_INTERVAL_MS: '0',
    TEMPER_CANCEL_POLL_MS: '1000',
  };
  // Replica A and both workers start together: one of them migrates, the others wait for it.
  startWorker('w1');
  startWorker('w2');
  apiA = await startReplicaA();
  A = { fetch: (input: string, init?: RequestInit) => fetch(input.replace('http://temper.test', apiA.base), init) };
  token = /tmp_[\w-]{43}/.exec(apiA.output.join(''))![0];
  B = await createTemperServer({ mode: 'distributed', distributed, maxAttempts: 3, graphiql: false, log: () => {} });
  expect(B.initialToken).toBeNull(); // A created the first owner; B found it.
  datasetId = await uploadTinyDataset(B.yoga, token, 200);
  studentId = await uploadTinyModel(A, token, 'student', 3);
  await waitFor('two workers', async () => (await gql(A, token, `{ serverInfo { workers { pid } } }`)).data!.serverInfo.workers.length === 2);
});

afterAll(async () => {
  for (const w of workers.values()) w.child.kill('SIGKILL');
  apiA?.child.kill('SIGTERM');
  await B?.close();
  await new Promise((r) => setTimeout(r, 300));
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

describe('distributed mode (PostgreSQL, BullMQ on Redis, two API replicas, two workers)', () => {
  test('a job created through replica A is followed to completion through a subscription on replica B, gap-free; both workers take jobs', async () => {
    // jobUpdated on B hears every job of the owner, wherever it was created and runs.
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const updates = sse(B.yoga, token, `subscription { jobUpdated { sequence kind status job { id } } }`, {}, {
      onOpen: opened,
      timeoutMs: 90_000,
      stop: (ev) => ev.filter((e) => e.data.jobUpdated.status === 'SUCCEEDED').length === 2,
    });
    await open;
    await new Promise((r) => setTimeout(r, 300)); // the subscription reaches Redis
    const first = await zoo(A, 2);
    const second = await zoo(A, 1);
    const { events, completed } = await sse(B.yoga, token, FOLLOW, { id: first }, { timeoutMs: 90_000 });
    expect(completed, logs()).toBe(true);
    expect(seqs(events)).toEqual(contiguous(seqs(events)));
    expect(events.some((e) => e.data.jobProgress.kind === 'PROGRESS')).toBe(true);
    expect(events.at(-1)!.data.jobProgress.status).toBe('SUCCEEDED');
    const j = await job(A, first);
    expect(j.status).toBe('SUCCEEDED');
    expect(j.resultModel.id).toBeTruthy();
    expect(j.timeline.map((e: any) => e.sequence)).toEqual(seqs(events));
    // The model the worker stored is served by either replica (artifacts live in PostgreSQL).
    const model = (await gql(B.yoga, token, `query($id: ID!) { node(id: $id) { ... on Model { files { name url } } } }`, { id: j.resultModel.id })).data!.node;
    const res = await fetch(`${apiA.base}${model.files[0].url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const other = await waitFor('the second job', async () => {
      const x = await job(B.yoga, second);
      return x.status === 'SUCCEEDED' && x;
    });
    const startedOn = (t: any[]) => /Started on worker (\w+)/.exec(t.find((e) => e.message?.startsWith('Started on worker')).message)![1];
    expect(new Set([startedOn(j.timeline), startedOn(other.timeline)])).toEqual(new Set(['w1', 'w2']));
    const heard = (await updates).events.map((e) => e.data.jobUpdated);
    expect(new Set(heard.filter((e) => e.status === 'SUCCEEDED').map((e) => e.job.id))).toEqual(new Set([first, second]));
    for (const id of [first, second]) {
      const s = heard.filter((e) => e.job.id === id).map((e) => e.sequence);
      expect(new Set(s).size).toBe(s.length); // each event once, though both channels carry it
    }
  });

  test('kill -9 of a worker mid-job: another worker resumes from the last checkpoint; one result model, one report, nothing lost', async () => {
    // On the built-in MNIST (8,000 training digits): an epoch lasts long enough to kill the worker inside the next one.
    const mnist = (await gql(A, token, `{ viewer { datasets { edges { node { id name } } } } }`)).data!.viewer.datasets.edges.find((e: any) => e.node.name === 'mnist').node.id;
    const id = await harden(A, 2, mnist);
    // Follow on B until the first checkpoint is stored.
    const before = await sse(B.yoga, token, FOLLOW, { id }, { stop: (ev) => ev.some((e) => e.data.jobProgress.kind === 'CHECKPOINT'), timeoutMs: 90_000 });
    expect(before.events.some((e) => e.data.jobProgress.kind === 'CHECKPOINT'), logs()).toBe(true);
    const victim = (await holderOf(id))!;
    expect(['w1', 'w2']).toContain(victim);
    const { child } = workers.get(victim)!;
    const sandboxes = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.includes('bullmq'))
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(sandboxes).toHaveLength(1);
    child.kill('SIGKILL');
    // Its sandboxed child (the one running the job) goes with it, rather than writing on as an orphan.
    await waitFor('the orphaned sandbox to exit', async () => spawnSync('kill', ['-0', String(sandboxes[0])]).status !== 0, 15_000);

    const j = await waitFor('the job to succeed on the other worker', async () => {
      const x = await job(B.yoga, id);
      if (x.status === 'FAILED' || x.status === 'CANCELLED') throw new Error(`${x.status}: ${JSON.stringify(x.error)}\n${logs()}`);
      return x.status === 'SUCCEEDED' && x;
    }, 120_000);
    expect(j.attempts).toBeGreaterThanOrEqual(2);
    const timeline = j.timeline as { sequence: number; kind: string; status: string; message: string | null }[];
    expect(timeline.map((e) => e.sequence)).toEqual(contiguous(timeline.map((e) => e.sequence)));
    // Every event seen before the kill is still there, unchanged.
    for (const e of before.events.map((x) => x.data.jobProgress)) expect(timeline[e.sequence - 1]).toEqual(e);
    const messages = timeline.map((e) => e.message ?? '');
    const retried = messages.find((m) => m.includes(`(${victim}) stopped responding; retrying from the checkpoint after epoch`));
    expect(retried, messages.join('\n')).toBeTruthy();
    // It resumes from the newest checkpoint stored, the one the retry announced.
    const epoch = /after epoch (\d+)/.exec(retried!)![1];
    expect(messages).toContain(`resuming from the checkpoint after epoch ${epoch} (attempt ${j.attempts})`);
    const survivor = victim === 'w1' ? 'w2' : 'w1';
    expect(messages.some((m) => m.startsWith(`Started on worker ${survivor}`))).toBe(true);
    expect(await countRows(id)).toEqual({ models: 1, evaluations: 1, checkpoints: 0 });
    // The result model downloads from replica A and loads; every artifact any model names exists.
    const files: Record<string, Uint8Array> = {};
    for (const f of j.resultModel.files) {
      const res = await fetch(`${apiA.base}${f.url}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      files[f.name] = new Uint8Array(await res.arrayBuffer());
    }
    const { 'model.json': modelJson, ...shards } = files;
    const { classifier, info } = await loadClassifier({ modelJson, shards, purpose: 'evaluate' });
    expect(info.sha256).toBe(j.resultModel.sha256);
    classifier.model.dispose();
    for (const m of await B.store.db.selectFrom('models').select('files').execute()) {
      for (const f of JSON.parse(m.files) as { artifact: string }[]) expect(await B.artifacts.has(f.artifact)).toBe(true);
    }

    // At-least-once delivery: the same job delivered again (a second BullMQ job for it) changes nothing.
    startWorker('w3');
    const queue = new Queue(QUEUE, { connection: bullConnection(redis.url) });
    const queueEvents = new QueueEvents(QUEUE, { connection: bullConnection(redis.url) });
    await queueEvents.waitUntilReady();
    const again = await queue.add('run', { jobId: rawId(id) }, { jobId: `${rawId(id)}-again` });
    expect(await again.waitUntilFinished(queueEvents, 60_000)).toEqual({ outcome: 'already SUCCEEDED' });
    await queueEvents.close();
    await queue.close();
    expect(await countRows(id)).toEqual({ models: 1, evaluations: 1, checkpoints: 0 });
    expect((await job(A, id)).lastSequence).toBe(timeline.length);
  });

  test('Redis restarted during a job: the job completes, and a subscription across the restart stays gap-free', async () => {
    const id = await zoo(A, 12, 'cnn');
    let downAt = '';
    let upAt = '';
    let restarted: Promise<void> | null = null;
    const followed = await sse(B.yoga, token, FOLLOW, { id }, {
      timeoutMs: 150_000,
      stop: (ev) => {
        if (!restarted && ev.some((e) => e.data.jobProgress.kind === 'PROGRESS')) {
          downAt = new Date().toISOString();
          restarted = redis.restart(2000).then(() => void (upAt = new Date().toISOString()));
        }
        return false;
      },
    });
    expect(restarted).not.toBeNull();
    await restarted;
    expect(followed.completed, logs()).toBe(true);
    expect(seqs(followed.events)).toEqual(contiguous(seqs(followed.events)));
    expect(followed.events.at(-1)!.data.jobProgress.status).toBe('SUCCEEDED');
    const j = (await gql(A, token, `query($id: ID!) { node(id: $id) { ... on Job { status timeline { createdAt kind } } } }`, { id })).data!.node;
    expect(j.status).toBe('SUCCEEDED');
    // The job ran through the outage: it stored progress while Redis was away and finished after it came back.
    expect(j.timeline.some((e: any) => e.createdAt > downAt && e.createdAt < upAt), logs()).toBe(true);
    expect(j.timeline.at(-1).createdAt > upAt).toBe(true);
    expect(await countRows(id)).toEqual({ models: 1, evaluations: 0, checkpoints: 0 });
    // Both replicas are ready again (their Redis connections came back).
    expect((await fetch(`${apiA.base}/ready`)).status).toBe(200);
    expect((await B.yoga.fetch('http://temper.test/ready')).status).toBe(200);
  });

  test('cancel through replica B a job created and followed through replica A, running on a worker', async () => {
    const id = await zoo(A, 20, 'cnn');
    const follow = sse(A, token, FOLLOW, { id }, { timeoutMs: 90_000 });
    await waitFor('the job to run', async () => (await job(A, id)).timeline.some((e: any) => e.kind === 'PROGRESS'));
    const t0 = Date.now();
    const r = await gql(B.yoga, token, `mutation($j: ID!) { cancelJob(id: $j) { __typename ... on MutationCancelJobSuccess { data { status } } } }`, { j: id });
    expect(r.data!.cancelJob.__typename).toBe('MutationCancelJobSuccess');
    const { events, completed } = await follow;
    expect(completed, logs()).toBe(true);
    expect(events.at(-1)!.data.jobProgress.status).toBe('CANCELLED');
    expect(seqs(events)).toEqual(contiguous(seqs(events)));
    expect(Date.now() - t0).toBeLessThan(30_000);
    const j = await job(B.yoga, id);
    expect(j.status).toBe('CANCELLED');
    expect(j.resultModel).toBeNull();
    expect(await countRows(id)).toEqual({ models: 0, evaluations: 0, checkpoints: 0 });
  });
});
