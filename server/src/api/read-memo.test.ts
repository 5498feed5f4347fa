import { afterAll, beforeAll, expect, test } from 'vitest';
import { storeFile } from '../config.ts';
import { Store } from '../store/store.ts';
import { uploadTinyModel } from './testing/fixtures.ts';
import { gql, startTestServer } from './testing/server.ts';

/** The read memo answers repeated reads without SQL, and never with data older than the last commit. */

let statements: string[] = [];
let s: Awaited<ReturnType<typeof startTestServer>>;
let other: Store;
let ownerId = '';
let mnist = '';

const VIEWER = /* GraphQL */ `{ viewer { models(first: 20) { edges { node { id name } } } jobs(first: 20) { edges { node { id status progress { step } } } } } }`;
const viewer = async () => {
  const r = await gql(s.yoga, s.token, VIEWER);
  expect(r.errors).toBeUndefined();
  return { models: r.data!.viewer.models.edges.map((e: any) => e.node.name), jobs: r.data!.viewer.jobs.edges.map((e: any) => e.node) };
};

beforeAll(async () => {
  s = await startTestServer({ onQuery: (sql) => statements.push(sql) });
  ownerId = (await s.store.ensureOwner('owner')).id;
  mnist = (await s.store.builtinDataset('mnist'))!.id;
  await uploadTinyModel(s.yoga, s.token, 'first');
  // Another connection to the same file: what a worker process or the token CLI writes through.
  other = await Store.open(storeFile(s.dataDir));
});
afterAll(async () => {
  await other.close();
  await s.dispose();
});

test('an unchanged store answers a repeated query without SQL', async () => {
  const first = await viewer();
  statements = [];
  expect(await viewer()).toEqual(first);
  expect(statements).toEqual([]);
});

test('a write through the API is read back at once', async () => {
  await viewer();
  await uploadTinyModel(s.yoga, s.token, 'second', 2);
  expect((await viewer()).models).toEqual(['second', 'first']);
});

test('a commit by another connection is read back at once', async () => {
  await viewer();
  const job = await other.insertJob({ ownerId, kind: 'EVALUATE', method: null, input: { eps: [0.1] }, seed: 1, modelId: null, teacherId: null, datasetId: mnist, maxAttempts: 1 });
  let jobs = (await viewer()).jobs;
  expect(jobs.map((j: any) => j.status)).toEqual(['QUEUED']);
  expect(jobs[0].progress).toBeNull();
  await other.db.updateTable('jobs').set({ progress: JSON.stringify({ step: 7 }) }).where('id', '=', job.id).execute();
  jobs = (await viewer()).jobs;
  expect(jobs[0].progress).toEqual({ step: 7 });
});

test('a write by the server itself (the supervisor appending progress) is read back at once', async () => {
  const [job] = await s.store.listJobs(ownerId, {}, { limit: 1, offset: 0 });
  await viewer();
  await s.store.appendJobEvent(job.id, 'PROGRESS', { step: 8 }, { progress: JSON.stringify({ step: 8 }) });
  expect((await viewer()).jobs[0].progress).toEqual({ step: 8 });
});
