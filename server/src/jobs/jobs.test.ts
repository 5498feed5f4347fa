import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { uploadTinyDataset } from '../api/testing/fixtures.ts';
import { gql, startTestServer } from '../api/testing/server.ts';
import { sse } from '../api/testing/sse.ts';

/**
 * Jobs in real worker child processes, fed from the durable queue: zoo training and evaluation
 * followed over SSE with gap-free sequence numbers, cancellation, and a worker killed mid-job.
 */

type Server = Awaited<ReturnType<typeof startTestServer>>;
const FOLLOW = `subscription($id: ID!, $after: Int) { jobProgress(id: $id, afterSequence: $after) { sequence kind status message progress { phase epoch step totalSteps terms } } }`;
const JOB = `query($id: ID!) { node(id: $id) { ... on Job { status attempts lastSequence checkpointEpoch error { code message } timeline { sequence kind message } } ... on ZooTrainingJob { resultModel { id name architecture parameterCount } } ... on EvaluationJob { evaluation { cleanAccuracy epsCurve { eps robustAccuracy } numExamples } } } }`;

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
const job = async (s: Server, id: string) => (await gql(s.yoga, s.token, JOB, { id })).data!.node;
const mnistId = async (s: Server) => (await gql(s.yoga, s.token, `{ viewer { datasets { edges { node { id name } } } } }`)).data!.viewer.datasets.edges.find((e: any) => e.node.name === 'mnist').node.id as string;
async function zoo(s: Server, dataset: string, epochs: number, architecture = 'mlp'): Promise<string> {
  const r = await gql(s.yoga, s.token, `mutation($d: ID!, $e: Int!, $a: String!) { createZooModel(input: { architecture: $a, dataset: $d, epochs: $e, batchSize: 32 }) { __typename ... on MutationCreateZooModelSuccess { data { id status } } ... on DomainError { code } } }`, { d: dataset, e: epochs, a: architecture });
  expect(r.data!.createZooModel.__typename).toBe('MutationCreateZooModelSuccess');
  return r.data!.createZooModel.data.id;
}
const workerPid = (s: Server) => s.supervisor.slots[0].child!.pid!;

describe('with one worker (crashes fail the job)', () => {
  let s: Server;
  let small: string;
  beforeAll(async () => {
    s = await startTestServer({ workers: 1, maxAttempts: 1, workerEnv: { TEMPER_PROGRESS_INTERVAL_MS: '0' } });
    small = await uploadTinyDataset(s.yoga, s.token, 300);
  });
  afterAll(() => s.dispose());

  test('createZooModel trains in the worker; jobProgress streams every event in order and ends', async () => {
    const id = await zoo(s, small, 2);
    const { events, completed } = await sse(s.yoga, s.token, FOLLOW, { id });
    expect(completed).toBe(true);
    const seq = events.map((e) => e.data.jobProgress.sequence);
    expect(seq).toEqual(seq.map((_, i) => i + 1));
    expect(events.some((e) => e.data.jobProgress.progress?.phase === 'training')).toBe(true);
    expect(events.at(-1)!.data.jobProgress.status).toBe('SUCCEEDED');
    const j = await job(s, id);
    expect(j.status).toBe('SUCCEEDED');
    expect(j.resultModel).toMatchObject({ architecture: 'mlp' });
    expect(j.timeline.map((e: any) => e.sequence)).toEqual(seq);
    // A late subscriber replays from any point without gaps.
    const late = await sse(s.yoga, s.token, FOLLOW, { id, after: 3 });
    expect(late.events.map((e) => e.data.jobProgress.sequence)).toEqual(seq.slice(3));

    const ev = await gql(s.yoga, s.token, `mutation($m: ID!, $d: ID!) { evaluateModel(input: { model: $m, dataset: $d, eps: [0.05, 0.1], attacks: [{ attack: "fgsm" }, { attack: "pgd", config: { steps: 5 } }], sampleSize: 20 }) { ... on MutationEvaluateModelSuccess { data { id } } } }`, { m: j.resultModel.id, d: small });
    const evalId = ev.data!.evaluateModel.data.id;
    const done = await sse(s.yoga, s.token, FOLLOW, { id: evalId });
    expect(done.events.at(-1)!.data.jobProgress.status).toBe('SUCCEEDED');
    const e = await job(s, evalId);
    expect(e.evaluation.numExamples).toBe(20);
    expect(e.evaluation.epsCurve.map((p: any) => p.eps)).toEqual([0.05, 0.1]);
    const m = await gql(s.yoga, s.token, `query($id: ID!) { node(id: $id) { ... on Model { evaluations { id cleanAccuracy } createdBy { id } } } }`, { id: j.resultModel.id });
    expect(m.data!.node.evaluations).toHaveLength(1);
    expect(m.data!.node.createdBy.id).toBe(id);
  });

  test('an evaluation job reports samples, attack, eps, robust accuracy and an ETA, its fraction rising to 1', async () => {
    const zooJob = await zoo(s, small, 0);
    await waitFor(async () => (await job(s, zooJob)).status === 'SUCCEEDED');
    const model = (await job(s, zooJob)).resultModel.id;
    const ev = await gql(s.yoga, s.token, `mutation($m: ID!, $d: ID!) { evaluateModel(input: { model: $m, dataset: $d, eps: [0.05, 0.1], attacks: [{ attack: "fgsm" }, { attack: "pgd", config: { steps: 3 } }], sampleSize: 40 }) { ... on MutationEvaluateModelSuccess { data { id } } } }`, { m: model, d: small });
    const evalId = ev.data!.evaluateModel.data.id;
    const follow = `subscription($id: ID!) { jobProgress(id: $id) { kind status progress { phase fraction samplesDone samplesTotal attack eps robustAccuracy etaSeconds } } }`;
    const { events, completed } = await sse(s.yoga, s.token, follow, { id: evalId });
    expect(completed).toBe(true);
    expect(events.at(-1)!.data.jobProgress.status).toBe('SUCCEEDED');
    const progress = events.map((e) => e.data.jobProgress.progress).filter((p) => p?.phase === 'evaluating');
    expect(progress.length).toBeGreaterThan(2);
    const fractions: number[] = progress.map((p) => p.fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions.some((f) => f > 0 && f < 1)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(progress.some((p) => p.attack === 'pgd' && p.eps === 0.1)).toBe(true);
    expect(progress.some((p) => p.samplesTotal > 0 && p.samplesDone === p.samplesTotal)).toBe(true);
    expect(progress.every((p) => p.robustAccuracy === null || (p.robustAccuracy >= 0 && p.robustAccuracy <= 1))).toBe(true);
    expect(progress.some((p) => typeof p.etaSeconds === 'number' && p.etaSeconds >= 0)).toBe(true);
  });

  test('a model in use by a queued or running job cannot be deleted', async () => {
    const models = await gql(s.yoga, s.token, `{ viewer { models { edges { node { id } } } } }`);
    const model = models.data!.viewer.models.edges[0].node.id;
    const blocker = await zoo(s, await mnistId(s), 3, 'cnn');
    await waitFor(async () => (await job(s, blocker)).status === 'RUNNING');
    const ev = await gql(s.yoga, s.token, `mutation($m: ID!, $d: ID!) { evaluateModel(input: { model: $m, dataset: $d, eps: [0.1] }) { ... on MutationEvaluateModelSuccess { data { id } } } }`, { m: model, d: small });
    const evalId = ev.data!.evaluateModel.data.id;
    const del = await gql(s.yoga, s.token, `mutation($m: ID!) { deleteModel(id: $m) { __typename ... on DomainError { code } } }`, { m: model });
    expect(del.data!.deleteModel).toEqual({ __typename: 'ConflictError', code: 'MODEL_IN_USE' });
    // Cancelling: the queued job at once, the running one at its next step.
    expect((await gql(s.yoga, s.token, `mutation($j: ID!) { cancelJob(id: $j) { ... on MutationCancelJobSuccess { data { status } } } }`, { j: evalId })).data!.cancelJob.data.status).toBe('CANCELLED');
    await gql(s.yoga, s.token, `mutation($j: ID!) { cancelJob(id: $j) { __typename } }`, { j: blocker });
    await waitFor(async () => (await job(s, blocker)).status === 'CANCELLED', 30_000);
    const again = await gql(s.yoga, s.token, `mutation($m: ID!) { deleteModel(id: $m) { __typename } }`, { m: model });
    expect(again.data!.deleteModel.__typename).toBe('MutationDeleteModelSuccess');
  });

  test('a worker killed mid-job marks the job FAILED with the reason, and a new worker takes the next job', async () => {
    const id = await zoo(s, await mnistId(s), 3, 'cnn');
    await waitFor(async () => (await job(s, id)).timeline.some((e: any) => e.kind === 'PROGRESS'));
    process.kill(workerPid(s), 'SIGKILL');
    const j = await waitFor(async () => {
      const x = await job(s, id);
      return x.status === 'FAILED' && x;
    });
    expect(j.error.code).toBe('WORKER_CRASHED');
    expect(j.error.message).toContain('SIGKILL');
    const next = await zoo(s, small, 0);
    await waitFor(async () => (await job(s, next)).status === 'SUCCEEDED');
    expect(s.supervisor.slots[0].restarts).toBe(1);
  });
});

describe('with retries (a crashed job resumes from its last checkpoint)', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startTestServer({ workers: 1, maxAttempts: 2, workerEnv: { TEMPER_PROGRESS_INTERVAL_MS: '0' } });
  });
  afterAll(() => s.dispose());

  test('a worker killed after a checkpoint: the job is retried from it and succeeds', async () => {
    const small = await uploadTinyDataset(s.yoga, s.token, 200);
    const student = await zoo(s, small, 0);
    await waitFor(async () => (await job(s, student)).status === 'SUCCEEDED');
    const studentModel = (await job(s, student)).resultModel.id;
    const h = await gql(
      s.yoga,
      s.token,
      `mutation($m: ID!, $d: ID!) { hardenModel(input: { method: NATURAL, student: $m, dataset: $d, eps: 0.1, epochs: 3, batchSize: 16, evaluation: { sampleSize: 8, attacks: [{ attack: "fgsm" }] } }) { __typename ... on MutationHardenModelSuccess { data { id } } ... on DomainError { code message } } }`,
      { m: studentModel, d: small },
    );
    expect(h.data!.hardenModel.__typename).toBe('MutationHardenModelSuccess');
    const id = h.data!.hardenModel.data.id;
    await waitFor(async () => (await job(s, id)).timeline.some((e: any) => e.kind === 'CHECKPOINT'));
    process.kill(workerPid(s), 'SIGKILL');
    const j = await waitFor(async () => {
      const x = await job(s, id);
      if (x.status === 'FAILED') throw new Error(JSON.stringify(x.error));
      return x.status === 'SUCCEEDED' && x;
    }, 120_000);
    expect(j.attempts).toBe(2);
    const messages: string[] = j.timeline.map((e: any) => e.message ?? '');
    expect(messages.some((m) => m.includes('SIGKILL') && m.includes('retrying from the checkpoint'))).toBe(true);
    expect(messages.some((m) => /resuming from the checkpoint after epoch \d/.test(m))).toBe(true);
    expect(j.timeline.map((e: any) => e.sequence)).toEqual(j.timeline.map((_: unknown, i: number) => i + 1));
  });
});

describe('attempts count worker crashes, not server restarts (issue 13, point 6)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'temper-restart-'));
  const start = () => startTestServer({ dataDir, workers: 1, maxAttempts: 2, workerEnv: { TEMPER_PROGRESS_INTERVAL_MS: '0' } });
  let s: Server | null = null;
  afterAll(async () => {
    await s?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a job resumed after a server restart survives one worker crash and fails at the second', async () => {
    const first = await start();
    s = first;
    const owner = (await first.store.ownerByToken(first.token))!;
    const token = await first.store.createToken(owner.id);
    const id = await zoo(first, await mnistId(first), 3, 'cnn');
    await waitFor(async () => (await job(first, id)).timeline.some((e: any) => e.kind === 'PROGRESS'));
    // The server goes away under the running job: the row stays RUNNING, held by a process that is gone.
    await first.close();
    s = null;

    const second = Object.assign(await start(), { token });
    s = second;
    const progressAfter = async (after: number) => (await job(second, id)).timeline.some((e: any) => e.kind === 'PROGRESS' && e.sequence > after);
    const resumed = await waitFor(async () => {
      const j = await job(second, id);
      return j.status === 'RUNNING' && j.attempts === 2 && j;
    });
    expect(resumed.timeline.some((e: any) => e.message?.startsWith('The server restarted while this job ran'))).toBe(true);
    await waitFor(() => progressAfter(resumed.lastSequence));

    process.kill(workerPid(second), 'SIGKILL');
    const retried = await waitFor(async () => {
      const j = await job(second, id);
      if (j.status === 'FAILED') throw new Error(`failed after one worker crash: ${JSON.stringify(j.error)}`);
      return j.status === 'RUNNING' && j.attempts === 3 && j;
    });
    const messages: string[] = retried.timeline.map((e: any) => e.message ?? '');
    expect(messages.some((m) => m.includes('SIGKILL') && m.includes('retrying from the start') && m.includes('worker crash 1'))).toBe(true);
    await waitFor(() => progressAfter(retried.lastSequence));

    // The second worker crash is the last the job takes (maxAttempts 2).
    process.kill(workerPid(second), 'SIGKILL');
    const failed = await waitFor(async () => {
      const j = await job(second, id);
      return j.status === 'FAILED' && j;
    });
    expect(failed.error.code).toBe('WORKER_CRASHED');
    expect(failed.error.message).toContain('after 2 worker crash(es)');
    expect(failed.timeline.map((e: any) => e.sequence)).toEqual(failed.timeline.map((_: unknown, i: number) => i + 1));
  });
});
