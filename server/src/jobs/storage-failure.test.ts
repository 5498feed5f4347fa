import { afterAll, beforeAll, expect, test } from 'vitest';
import { uploadTinyDataset } from '../api/testing/fixtures.ts';
import { gql, startTestServer } from '../api/testing/server.ts';
import type { Store } from '../store/store.ts';

/**
 * Issue 13, disk full under a job: when a job's outcome cannot be written (the SQLite file's disk is
 * full: SQLITE_FULL), the worker slot moves on to the next job at once, and the job is recorded as
 * FAILED with STORAGE_FULL as soon as the store takes writes again, instead of staying RUNNING until a
 * restart. The disk is made "full" for the store's outcome writes only (finishJob throws what
 * better-sqlite3 throws on a full disk); everything else is the real server, worker and job.
 */

let s: Awaited<ReturnType<typeof startTestServer>>;
const lines: string[] = [];
let full = false;
let dataset = '';

beforeAll(async () => {
  s = await startTestServer({ workers: 1, log: (l) => lines.push(l) });
  const store: Store = s.store;
  const finishJob = store.finishJob.bind(store);
  store.finishJob = async (...args) => {
    if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    return finishJob(...args);
  };
  dataset = await uploadTinyDataset(s.yoga, s.token, 200);
}, 60_000);
afterAll(() => s.dispose());

const ZOO = `mutation($d: ID!) { createZooModel(input: { architecture: "mlp", dataset: $d, epochs: 0 }) { __typename ... on MutationCreateZooModelSuccess { data { id } } ... on DomainError { code message } } }`;
const JOB = `query($id: ID!) { node(id: $id) { ... on Job { status error { code message } } } }`;

async function job(id: string): Promise<{ status: string; error: { code: string; message: string } | null }> {
  const r = await gql(s.yoga, s.token, JOB, { id });
  if (!r.data) throw new Error(JSON.stringify(r));
  return r.data.node;
}

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a job whose outcome cannot be stored frees its worker and is FAILED (STORAGE_FULL) once the store takes writes again', async () => {
  full = true;
  const a = (await gql(s.yoga, s.token, ZOO, { d: dataset })).data!.createZooModel;
  expect(a.__typename, JSON.stringify(a)).toBe('MutationCreateZooModelSuccess');
  const id = a.data.id as string;
  await until('the attempt to fail', async () => lines.some((l) => l.includes('the attempt failed')));
  // Not recorded yet: the store refuses writes.
  expect((await job(id)).status).toBe('RUNNING');
  full = false;
  const failed = await until('the job to be recorded', async () => {
    const j = await job(id);
    return j.status !== 'RUNNING' && j;
  });
  expect(failed).toMatchObject({ status: 'FAILED', error: { code: 'STORAGE_FULL' } });
  expect(failed.error!.message).toMatch(/could not be stored/);
  // The queue moved on: the next job runs on the same worker.
  const b = (await gql(s.yoga, s.token, ZOO, { d: dataset })).data!.createZooModel.data.id as string;
  expect((await until('the next job', async () => ['SUCCEEDED', 'FAILED'].includes((await job(b)).status) && job(b))).status).toBe('SUCCEEDED');
}, 120_000);
