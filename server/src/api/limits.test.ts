import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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

test('health and readiness endpoints answer JSON that says what they checked, without a token', async () => {
  const health = await s.yoga.fetch('http://temper.test/health');
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', version: expect.any(String), checks: { process: 'ok' } });
  const ready = await s.yoga.fetch('http://temper.test/ready');
  expect(ready.status).toBe(200);
  const body = await ready.json();
  expect(body).toMatchObject({ ready: true, checks: { database: 'ok', jobs: 'ok' } });
  // This server runs no worker, so no engine has reported yet (test/api-http.test.ts sees a real one).
  expect(body).toHaveProperty('backend', null);
  // Only the exact paths: yoga's own check answered an empty 200 on anything ending in /health.
  expect((await s.yoga.fetch('http://temper.test/graphql/health')).status).not.toBe(200);
});

test('readiness answers 503 naming the check that failed', async () => {
  const original = s.scheduler.ready.bind(s.scheduler);
  s.scheduler.ready = async () => false;
  try {
    const r = await s.yoga.fetch('http://temper.test/ready');
    expect(r.status).toBe(503);
    const body = await r.json();
    expect(body).toMatchObject({ ready: false, checks: { database: 'ok' } });
    expect(body.checks.jobs).toMatch(/^not ready: /);
  } finally {
    s.scheduler.ready = original;
  }
});

test('serverInfo reports the methods, zoo and attacks', async () => {
  const r = await gql(s.yoga, s.token, `{ serverInfo { version nodeVersion methods { name needsTeacher } zooArchitectures { name } attacks workers { index } queuedJobs } }`);
  expect(r.data!.serverInfo.methods).toContainEqual({ name: 'rrm', needsTeacher: true });
  expect(r.data!.serverInfo.zooArchitectures.map((a: any) => a.name)).toContain('cnn');
  expect(r.data!.serverInfo.attacks).toContain('apgd-ce');
});

describe('operation limits an attacker would probe', () => {
  test('a negative page size is refused instead of making the cost estimate negative', async () => {
    const jobs = await gql(s.yoga, s.token, `{ viewer { jobs(first: -1000000) { edges { node { id } } } } }`);
    expect(jobs.errors?.[0].extensions?.code).toBe('PAGE_SIZE_INVALID');
    const viaVariable = await gql(s.yoga, s.token, `query($n: Int) { viewer { jobs(first: $n) { edges { node { id } } } } }`, { n: -5 });
    expect(viaVariable.errors?.[0].extensions?.code).toBe('PAGE_SIZE_INVALID');
    const huge = await gql(s.yoga, s.token, `{ viewer { jobs(first: 2000000000) { edges { node { id } } } } }`);
    expect(huge.errors?.[0].extensions?.code).toBe('PAGE_SIZE_INVALID');
  });

  test('introspection has a price: many aliased __schema fields are refused, one is answered', async () => {
    const one = await gql(s.yoga, s.token, `{ __schema { types { name } } }`);
    expect(one.errors).toBeUndefined();
    const many = Array.from({ length: 20 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ');
    const r = await gql(s.yoga, null, `{ ${many} }`);
    expect(r.errors?.[0].extensions?.code).toMatch(/QUERY_TOO_COSTLY|TOO_MANY_ALIASES/);
    expect(r.data ?? null).toBeNull();
  });

  test('aliases beyond the limit are refused with TOO_MANY_ALIASES before anything runs', async () => {
    const aliased = Array.from({ length: 31 }, (_, i) => `a${i}: serverInfo { queuedJobs }`).join(' ');
    const r = await gql(s.yoga, s.token, `{ ${aliased} }`);
    expect(r.errors?.[0].extensions?.code).toBe('TOO_MANY_ALIASES');
    const fine = Array.from({ length: 5 }, (_, i) => `a${i}: serverInfo { queuedJobs }`).join(' ');
    expect((await gql(s.yoga, s.token, `{ ${fine} }`)).errors).toBeUndefined();
  });

  test('a document of a million tokens is refused while parsing, in well under a second', async () => {
    const started = performance.now();
    const r = await gql(s.yoga, s.token, `{ viewer { id ${'__typename '.repeat(1_000_000)} } }`);
    expect(r.errors?.[0].extensions?.code).toBe('QUERY_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('nodes(ids:) costs one page per id: 33,000 ids are refused before any lookup', async () => {
    const ids = Array.from({ length: 33_000 }, (_, i) => Buffer.from(`Model:${i}`).toString('base64'));
    const r = await gql(s.yoga, s.token, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(r.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  test('a multipart body without a valid token is answered 401 before it is read', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 1000) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const res = await s.yoga.fetch('http://temper.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x', authorization: 'Bearer tmp_not-a-real-token' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(pulled).toBeLessThan(5);
  });
});

test('a malformed global id is BAD_GLOBAL_ID, not an uncoded error', async () => {
  for (const id of ['not base64 at all', Buffer.from('nocolon').toString('base64'), Buffer.from(':x').toString('base64')]) {
    const r = await gql(s.yoga, s.token, `query($id: ID!) { node(id: $id) { id } }`, { id });
    expect(r.errors?.[0].extensions?.code, `${id}: ${JSON.stringify(r)}`).toBe('BAD_GLOBAL_ID');
  }
  const del = await gql(s.yoga, s.token, `mutation($id: ID!) { deleteModel(id: $id) { __typename } }`, { id: '%%%' });
  expect(del.errors?.[0].extensions?.code).toBe('BAD_GLOBAL_ID');
});
