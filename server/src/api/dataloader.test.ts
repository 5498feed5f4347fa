import { afterAll, beforeAll, expect, test } from 'vitest';
import { uploadTinyModel } from './testing/fixtures.ts';
import { gql, startTestServer } from './testing/server.ts';

/** Every lookup by id goes through a DataLoader: 50 jobs with their models and datasets cost a bounded number of SQL statements. */

let statements: string[] = [];
let s: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  // Without the read memo: these tests count what a query costs when it does reach the store.
  s = await startTestServer({ onQuery: (sql) => statements.push(sql), memoizeReads: false });
  const ownerId = (await s.store.ensureOwner('owner')).id;
  const models: string[] = [];
  for (let i = 0; i < 5; i++) models.push(Buffer.from(await uploadTinyModel(s.yoga, s.token, `m${i}`, i + 1), 'base64').toString().split(':')[1]);
  const mnist = (await s.store.builtinDataset('mnist'))!.id;
  for (let i = 0; i < 50; i++) {
    const kind = i % 2 ? 'HARDEN' : 'EVALUATE';
    await s.store.insertJob({ ownerId, kind, method: kind === 'HARDEN' ? 'rrm' : null, input: { eps: kind === 'HARDEN' ? 0.1 : [0.1], epochs: 1 }, seed: i, modelId: models[i % 5], teacherId: kind === 'HARDEN' ? models[(i + 1) % 5] : null, datasetId: mnist, maxAttempts: 1 });
  }
});
afterAll(() => s.dispose());

const QUERY = /* GraphQL */ `{
  viewer {
    jobs(first: 50) {
      edges { node {
        id status kind dataset { name inputShape }
        ... on EvaluationJob { model { name sha256 evaluations { id } createdBy { id } } }
        ... on HardeningJob { method student { name evaluations { id } } teacher { name } resultModel { name } evaluation { id } }
      } }
    }
  }
}`;

test('50 jobs with their models, teachers, datasets and evaluations in a bounded number of SQL statements', async () => {
  statements = [];
  const r = await gql(s.yoga, s.token, QUERY);
  expect(r.errors).toBeUndefined();
  const jobs = r.data!.viewer.jobs.edges.map((e: any) => e.node);
  expect(jobs).toHaveLength(50);
  expect(jobs.every((j: any) => j.dataset.name === 'mnist')).toBe(true);
  expect(jobs.filter((j: any) => j.kind === 'HARDEN').every((j: any) => j.student.name && j.teacher.name)).toBe(true);
  // token -> owner, the jobs page, one batch each of models, datasets, evaluation ids (+ their rows).
  expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(7);
});

test('the statement count does not grow with the page size', async () => {
  statements = [];
  await gql(s.yoga, s.token, QUERY.replace('first: 50', 'first: 5'));
  const small = statements.length;
  statements = [];
  await gql(s.yoga, s.token, QUERY);
  expect(statements.length).toBe(small);
});
