import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { loadClassifier } from '@temper/edge/io';
import { tinyIdxDataset, tinyModelFiles, UPLOAD_DATASET, UPLOAD_MODEL, multipart, sse, SERVER_MAIN } from '@temper/server/testing';

/**
 * `npm start`'s entry (server/src/main.ts) as a real process on a real HTTP listener: first-start
 * token, multipart uploads, graphql-ws and SSE subscriptions, downloads, the end-to-end RRM
 * hardening, and a server killed mid-job that resumes the job from its checkpoint on restart.
 */

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = SERVER_MAIN;
const dataDir = mkdtempSync(join(tmpdir(), 'temper-http-'));
let server: { child: ChildProcess; base: string; output: string[] };
let token = '';

async function startServer(): Promise<{ child: ChildProcess; base: string; output: string[] }> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    env: { ...process.env, TEMPER_DATA_DIR: dataDir, TEMPER_PORT: '0', TEMPER_WORKERS: '1', TEMPER_PROGRESS_INTERVAL_MS: '0', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 60_000);
    const onData = (b: Buffer) => {
      output.push(b.toString());
      const m = /API ready in [\d.]+ s at (http:\/\/[\d.]+:\d+)\/graphql/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output.join('')}`)));
  });
  return { child, base, output };
}

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await fetch(`${server.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}
async function upload(form: FormData): Promise<Record<string, any>> {
  const res = await fetch(`${server.base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'graphql-preflight': '1' }, body: form });
  return ((await res.json()) as { data: Record<string, any> }).data;
}
const JOB = `query($id: ID!) { node(id: $id) { ... on Job { status attempts error { code message } timeline { sequence kind message } } } }`;
async function waitStatus(id: string, status: string, timeoutMs = 240_000): Promise<Record<string, any>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const j = (await gql(JOB, { id })).node;
    if (j.status === status) return j;
    if (['FAILED', 'CANCELLED', 'SUCCEEDED'].includes(j.status)) throw new Error(`job ended ${j.status}: ${JSON.stringify(j.error)} ${JSON.stringify(j.timeline.slice(-5))}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let datasetId = '';
let studentId = '';

beforeAll(async () => {
  server = await startServer();
  token = /tmp_[\w-]{43}/.exec(server.output.join(''))![0];
  const { modelJson, weightsBin } = await tinyModelFiles(7);
  const m = await upload(multipart(UPLOAD_MODEL, { input: { name: 'student', modelJson: null, weights: [null] } }, { 'input.modelJson': { name: 'model.json', bytes: modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: weightsBin } }));
  studentId = m.uploadModel.data.id;
  const { images, labels } = await tinyIdxDataset(200);
  const d = await upload(multipart(UPLOAD_DATASET, { input: { name: 'digits', format: 'IDX', images: null, labels: null } }, { 'input.images': { name: 'i.idx', bytes: images }, 'input.labels': { name: 'l.idx', bytes: labels } }));
  datasetId = d.uploadDataset.data.id;
});

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dataDir, { recursive: true, force: true });
});

test('the first start prints an owner token once; health and readiness answer', async () => {
  expect(token).toMatch(/^tmp_/);
  expect((await fetch(`${server.base}/health`)).status).toBe(200);
  // Ready once the store answers and a worker has its compute backend (503 until then).
  const end = Date.now() + 60_000;
  let ready = await fetch(`${server.base}/ready`);
  while (ready.status !== 200) {
    if (Date.now() > end) throw new Error(`never ready: ${await ready.text()}`);
    await new Promise((r) => setTimeout(r, 100));
    ready = await fetch(`${server.base}/ready`);
  }
  // Operators read which engine the workers run on, and what was checked.
  expect(await ready.json()).toMatchObject({ ready: true, checks: { database: 'ok', jobs: 'ok' }, backend: { name: expect.stringMatching(/^(tensorflow|wasm|cpu)$/) } });
  expect((await gql(`{ viewer { name } }`)).viewer.name).toBe('owner');
});

test('end to end: upload, harden with RRM from a zoo teacher over graphql-ws, download the hardened model and load it', async () => {
  const teacherJob = await gql(`mutation($d: ID!) { createZooModel(input: { architecture: "mlp", dataset: $d, epochs: 1, batchSize: 32 }) { ... on MutationCreateZooModelSuccess { data { id } } } }`, { d: datasetId });
  await waitStatus(teacherJob.createZooModel.data.id, 'SUCCEEDED');
  const teacherId = (await gql(`query($id: ID!) { node(id: $id) { ... on ZooTrainingJob { resultModel { id } } } }`, { id: teacherJob.createZooModel.data.id })).node.resultModel.id;

  const h = await gql(
    // The 1-epoch zoo teacher is not robust: forced past the teacher check.
    `mutation($s: ID!, $t: ID!, $d: ID!) { hardenModel(input: { method: RRM, student: $s, teacher: $t, dataset: $d, eps: 0.1, epochs: 1, batchSize: 64, seed: 3, params: { forceTeacher: true },
       evaluation: { sampleSize: 16, attacks: [{ attack: "fgsm" }] } }) { __typename ... on MutationHardenModelSuccess { data { id } } ... on DomainError { code message } } }`,
    { s: studentId, t: teacherId, d: datasetId },
  );
  expect(h.hardenModel.__typename).toBe('MutationHardenModelSuccess');
  const jobId = h.hardenModel.data.id;

  const client = createClient({ url: `${server.base.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  const events: Record<string, any>[] = [];
  await new Promise<void>((resolve, reject) => {
    client.subscribe({ query: `subscription($id: ID!) { jobProgress(id: $id) { sequence kind status progress { phase terms } } }`, variables: { id: jobId } }, {
      next: (v) => events.push(v.data!.jobProgress as Record<string, any>),
      error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))),
      complete: resolve,
    });
  });
  await client.dispose();
  expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
  if (events.at(-1)!.status !== 'SUCCEEDED') throw new Error(`hardening ${events.at(-1)!.status}: ${JSON.stringify((await gql(JOB, { id: jobId })).node.error)}\n${server.output.join('').slice(-3000)}`);
  expect(events.some((e) => e.progress?.phase === 'training')).toBe(true);

  const done = (await gql(`query($id: ID!) { node(id: $id) { ... on HardeningJob { method config resultModel { id sha256 files { name url } } evaluation { cleanAccuracy epsCurve { eps robustAccuracy } } } } }`, { id: jobId })).node;
  expect(done.method).toBe('RRM');
  expect(done.config).toBeTruthy();
  expect(done.evaluation.epsCurve[0].eps).toBe(0.1);
  const files: Record<string, Uint8Array> = {};
  for (const f of done.resultModel.files) {
    const res = await fetch(`${server.base}${f.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    files[f.name] = new Uint8Array(await res.arrayBuffer());
  }
  const { modelJson, ...shards } = { modelJson: files['model.json'], ...Object.fromEntries(Object.entries(files).filter(([n]) => n !== 'model.json')) };
  const { classifier, info } = await loadClassifier({ modelJson, shards, purpose: 'evaluate' });
  expect(info.sha256).toBe(done.resultModel.sha256);
  expect(classifier.inputShape).toEqual([28, 28, 1]);
  classifier.model.dispose();
});

test('a server killed mid-job resumes the job from its checkpoint after a restart', async () => {
  const h = await gql(
    `mutation($s: ID!, $d: ID!) { hardenModel(input: { method: NATURAL, student: $s, dataset: $d, eps: 0.1, epochs: 3, batchSize: 16, evaluation: { sampleSize: 8, attacks: [{ attack: "fgsm" }] } }) { __typename ... on MutationHardenModelSuccess { data { id } } ... on DomainError { code message } } }`,
    { s: studentId, d: datasetId },
  );
  const jobId = h.hardenModel.data.id;
  // Follow over SSE until the first checkpoint, then kill the whole server (its worker follows it).
  const seen = await sse(`${server.base}/graphql`, token, `subscription($id: ID!) { jobProgress(id: $id) { sequence kind } }`, { id: jobId }, { stop: (ev) => ev.some((e) => e.data?.jobProgress.kind === 'CHECKPOINT') });
  expect(seen.events.some((e) => e.data.jobProgress.kind === 'CHECKPOINT')).toBe(true);
  server.child.kill('SIGKILL');
  await new Promise((r) => server.child.once('exit', r));
  server = await startServer();
  expect(server.output.join('')).not.toContain('tmp_');
  const j = await waitStatus(jobId, 'SUCCEEDED');
  const messages = j.timeline.map((e: any) => e.message ?? '');
  expect(messages.some((m: string) => m.includes('server restarted'))).toBe(true);
  expect(messages.some((m: string) => /resuming from the checkpoint after epoch [12]/.test(m))).toBe(true);
  expect(j.timeline.map((e: any) => e.sequence)).toEqual(j.timeline.map((_: unknown, i: number) => i + 1));
});

test('a job resumed after a server kill -9 survives a worker kill -9: crashes, not restarts, use up its attempts (issue 13, point 6)', async () => {
  const h = await gql(
    `mutation($s: ID!, $d: ID!) { hardenModel(input: { method: NATURAL, student: $s, dataset: $d, eps: 0.1, epochs: 6, batchSize: 16, evaluation: { sampleSize: 8, attacks: [{ attack: "fgsm" }] } }) { __typename ... on MutationHardenModelSuccess { data { id } } ... on DomainError { code message } } }`,
    { s: studentId, d: datasetId },
  );
  const jobId = h.hardenModel.data.id;
  const timeline = async () => (await gql(JOB, { id: jobId })).node as { status: string; attempts: number; timeline: { sequence: number; kind: string; message: string | null }[] };
  const until = async <T>(fn: () => Promise<T | false>, what: string): Promise<T> => {
    const end = Date.now() + 120_000;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await until(async () => (await timeline()).timeline.some((e) => e.kind === 'CHECKPOINT'), 'the first checkpoint');
  server.child.kill('SIGKILL');
  await new Promise((r) => server.child.once('exit', r));
  server = await startServer();

  // Resumed (attempt 2) and training again: kill its worker.
  const resumed = await until(async () => {
    const j = await timeline();
    const started = j.timeline.findLast((e) => e.message?.startsWith('Started on worker'));
    return j.status === 'RUNNING' && j.attempts === 2 && started !== undefined && j.timeline.some((e) => e.kind === 'PROGRESS' && e.sequence > started.sequence) ? j : false;
  }, 'the resumed run');
  expect(resumed.timeline.some((e) => e.message?.includes('server restarted'))).toBe(true);
  const { serverInfo } = await gql(`{ serverInfo { workers { pid } } }`);
  process.kill(serverInfo.workers[0].pid, 'SIGKILL');

  // One worker crash of the two the job may take (TEMPER_JOB_ATTEMPTS 2): retried from its checkpoint, and it succeeds.
  const j = await waitStatus(jobId, 'SUCCEEDED');
  const messages: string[] = j.timeline.map((e: any) => e.message ?? '');
  expect(messages.some((m) => m.includes('SIGKILL') && m.includes('retrying from the checkpoint after epoch') && m.includes('worker crash 1'))).toBe(true);
  expect(j.attempts).toBe(3);
  expect(j.timeline.map((e: any) => e.sequence)).toEqual(j.timeline.map((_: unknown, i: number) => i + 1));
});
