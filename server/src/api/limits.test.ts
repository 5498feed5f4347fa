import { afterAll, beforeAll, expect, test } from 'vitest';
import { gql, startTestServer } from './testing/server.ts';

let s: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  s = await startTestServer({ maxDepth: 8, maxCost: 5000 });
});
afterAll(() => s.dispose());

test('queries nested deeper than the limit are refused before they run', async () => {
  const deep = `{ viewer { jobs { edges { node { ... on HardeningJob { student { createdBy { ... on HardeningJob { student { createdBy { id } } } } } } } } } } }`;
  const r = await gql(s.yoga, s.token, deep);
  expect(r.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
});

test('queries whose estimated cost exceeds the limit are refused', async () => {
  const r = await gql(s.yoga, s.token, `{ viewer { jobs(first: 1000) { edges { node { id status seed createdAt timeline { sequence payload } } } } } }`);
  expect(r.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
  const ok = await gql(s.yoga, s.token, `{ viewer { jobs(first: 50) { edges { node { id status } } } } }`);
  expect(ok.errors).toBeUndefined();
});

test('internal errors are masked: the client sees no internal message', async () => {
  const original = s.store.listModels.bind(s.store);
  s.store.listModels = async () => {
    throw new Error('SQLITE_CORRUPT at /secret/path/temper.sqlite');
  };
  try {
    const r = await gql(s.yoga, s.token, `{ viewer { models { edges { node { id } } } } }`);
    expect(r.errors?.[0].message).toBe('Unexpected error.');
    expect(JSON.stringify(r)).not.toContain('secret');
  } finally {
    s.store.listModels = original;
  }
});

test('arguments are validated (validation plugin) with a BAD_USER_INPUT error naming the field', async () => {
  const mnist = (await gql(s.yoga, s.token, `{ viewer { datasets { edges { node { id } } } } }`)).data!.viewer.datasets.edges[0].node.id;
  const r = await gql(s.yoga, s.token, `mutation($m: ID!, $d: ID!) { evaluateModel(input: { model: $m, dataset: $d, eps: [1.5] }) { __typename } }`, { m: Buffer.from('Model:x').toString('base64'), d: mnist });
  expect(r.errors, JSON.stringify(r)).toBeDefined();
  expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(r.errors?.[0].message).toContain('eps');
});

test('a global id of the wrong type is refused', async () => {
  const mnist = (await gql(s.yoga, s.token, `{ viewer { datasets { edges { node { id } } } } }`)).data!.viewer.datasets.edges[0].node.id;
  const r = await gql(s.yoga, s.token, `mutation($d: ID!) { deleteModel(id: $d) { __typename } }`, { d: mnist });
  expect(r.errors?.length).toBeGreaterThan(0);
});

test('health and readiness endpoints answer without a token', async () => {
  expect((await s.yoga.fetch('http://temper.test/health')).status).toBe(200);
  expect((await s.yoga.fetch('http://temper.test/ready')).status).toBe(200);
});

test('serverInfo reports the methods, zoo and attacks', async () => {
  const r = await gql(s.yoga, s.token, `{ serverInfo { version nodeVersion methods { name needsTeacher } zooArchitectures { name } attacks workers { index } queuedJobs } }`);
  expect(r.data!.serverInfo.methods).toContainEqual({ name: 'rrm', needsTeacher: true });
  expect(r.data!.serverInfo.zooArchitectures.map((a: any) => a.name)).toContain('cnn');
  expect(r.data!.serverInfo.attacks).toContain('apgd-ce');
});
