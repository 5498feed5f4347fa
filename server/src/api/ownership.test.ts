import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { uploadTinyDataset, uploadTinyModel } from './testing/fixtures.ts';
import { gql, startTestServer } from './testing/server.ts';
import { sse } from './testing/sse.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';

/**
 * The ownership matrix: another owner's objects are invisible through every query, mutation,
 * subscription and download; anonymous requests reach nothing.
 */

let s: Awaited<ReturnType<typeof startTestServer>>;
let alice: string;
let bob: string;
const ids = { model: '', dataset: '', job: '', evaluation: '', mnist: '' };

beforeAll(async () => {
  s = await startTestServer();
  alice = s.token;
  bob = await s.store.createToken((await s.store.ensureOwner('bob')).id);
  ids.model = await uploadTinyModel(s.yoga, alice);
  ids.dataset = await uploadTinyDataset(s.yoga, alice, 100);
  const q = await gql(s.yoga, alice, `{ viewer { datasets { edges { node { id name } } } } }`);
  ids.mnist = q.data!.viewer.datasets.edges.find((e: any) => e.node.name === 'mnist').node.id;
  const job = await gql(s.yoga, alice, `mutation($m: ID!, $d: ID!) { evaluateModel(input: { model: $m, dataset: $d, eps: [0.1] }) { ... on MutationEvaluateModelSuccess { data { id } } } }`, { m: ids.model, d: ids.dataset });
  ids.job = job.data!.evaluateModel.data.id;
  const ownerId = (await s.store.ensureOwner('owner')).id;
  const modelLocal = Buffer.from(ids.model, 'base64').toString().split(':')[1];
  const datasetLocal = Buffer.from(ids.dataset, 'base64').toString().split(':')[1];
  const ev = await s.store.insertEvaluation({ ownerId, modelId: modelLocal, datasetId: datasetLocal, jobId: null, cleanAccuracy: 0.5, report: { epsCurve: [{ eps: 0.1, robustAccuracy: 0.2 }] } });
  ids.evaluation = encodeGlobalID('Evaluation', ev.id);
});
afterAll(() => s.dispose());

const NODE = `query($id: ID!) { node(id: $id) { id } }`;

describe('queries', () => {
  test.each(['model', 'dataset', 'job', 'evaluation'] as const)('the owner sees their %s through node(id)', async (kind) => {
    expect((await gql(s.yoga, alice, NODE, { id: ids[kind] })).data!.node).toEqual({ id: ids[kind] });
  });
  test.each(['model', 'dataset', 'job', 'evaluation'] as const)('another owner gets null for the %s through node and nodes', async (kind) => {
    const r = await gql(s.yoga, bob, NODE, { id: ids[kind] });
    expect(r.errors).toBeUndefined();
    expect(r.data!.node).toBeNull();
    expect((await gql(s.yoga, bob, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [ids[kind]] })).data!.nodes).toEqual([null]);
  });
  test('viewer connections list only the viewer\'s objects (and the built-in datasets)', async () => {
    const r = await gql(s.yoga, bob, `{ viewer { name models { edges { node { id } } } jobs { edges { node { id } } } datasets { edges { node { id name } } } } }`);
    expect(r.data!.viewer.name).toBe('bob');
    expect(r.data!.viewer.models.edges).toEqual([]);
    expect(r.data!.viewer.jobs.edges).toEqual([]);
    // Only the built-in datasets, none of alice's.
    expect(r.data!.viewer.datasets.edges.map((e: any) => e.node.name).sort()).toEqual(['mnist', 'mnist-full']);
    const a = await gql(s.yoga, alice, `{ viewer { models { edges { node { id evaluations { id } } } } jobs { edges { node { id } } } } }`);
    expect(a.data!.viewer.models.edges.map((e: any) => e.node.id)).toEqual([ids.model]);
    expect(a.data!.viewer.models.edges[0].node.evaluations).toEqual([{ id: ids.evaluation }]);
    expect(a.data!.viewer.jobs.edges.map((e: any) => e.node.id)).toEqual([ids.job]);
  });
});

describe('mutations refuse another owner\'s objects with NOT_FOUND', () => {
  const cases: [string, string, () => Record<string, unknown>][] = [
    ['evaluateModel', `mutation($m: ID!, $d: ID!) { r: evaluateModel(input: { model: $m, dataset: $d, eps: [0.1] }) { __typename ... on DomainError { code } } }`, () => ({ m: ids.model, d: ids.mnist })],
    ['evaluateModel (dataset)', `mutation($m: ID!, $d: ID!) { r: evaluateModel(input: { model: $m, dataset: $d, eps: [0.1] }) { __typename ... on DomainError { code } } }`, () => ({ m: ids.model, d: ids.dataset })],
    ['hardenModel', `mutation($m: ID!, $d: ID!) { r: hardenModel(input: { method: PGD_AT, student: $m, dataset: $d, eps: 0.1, epochs: 1 }) { __typename ... on DomainError { code } } }`, () => ({ m: ids.model, d: ids.mnist })],
    ['createZooModel', `mutation($d: ID!) { r: createZooModel(input: { architecture: "mlp", dataset: $d }) { __typename ... on DomainError { code } } }`, () => ({ d: ids.dataset })],
    ['cancelJob', `mutation($j: ID!) { r: cancelJob(id: $j) { __typename ... on DomainError { code } } }`, () => ({ j: ids.job })],
    ['deleteModel', `mutation($m: ID!) { r: deleteModel(id: $m) { __typename ... on DomainError { code } } }`, () => ({ m: ids.model })],
  ];
  test.each(cases)('%s', async (_name, query, vars) => {
    const r = await gql(s.yoga, bob, query, vars());
    expect(r.errors).toBeUndefined();
    expect(r.data!.r).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
  test('and the objects are untouched', async () => {
    expect((await gql(s.yoga, alice, `query($id: ID!) { node(id: $id) { ... on EvaluationJob { status } } }`, { id: ids.job })).data!.node.status).toBe('QUEUED');
    expect((await gql(s.yoga, alice, NODE, { id: ids.model })).data!.node).not.toBeNull();
  });
});

describe('subscriptions', () => {
  test('jobProgress on another owner\'s job ends with an error and no events', async () => {
    const r = await sse(s.yoga, bob, `subscription($id: ID!) { jobProgress(id: $id) { sequence } }`, { id: ids.job }, { timeoutMs: 5000 });
    expect(r.events.every((e) => !e.data?.jobProgress)).toBe(true);
    expect(r.events.some((e) => e.errors?.length)).toBe(true);
  });
  test('jobUpdated carries only the viewer\'s own jobs', async () => {
    const mine = await gql(s.yoga, bob, `mutation { createZooModel(input: { architecture: "mlp", dataset: "${ids.mnist}" }) { ... on MutationCreateZooModelSuccess { data { id } } } }`);
    const bobJob = mine.data!.createZooModel.data.id;
    const got = sse(s.yoga, bob, `subscription { jobUpdated { sequence job { id status } } }`, {}, { stop: (ev) => ev.some((e) => e.data?.jobUpdated.job.status === 'CANCELLED'), timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    // Alice's job changes first, then Bob's.
    await gql(s.yoga, alice, `mutation($j: ID!) { cancelJob(id: $j) { __typename } }`, { j: ids.job });
    await gql(s.yoga, bob, `mutation($j: ID!) { cancelJob(id: $j) { __typename } }`, { j: bobJob });
    const { events } = await got;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.data.jobUpdated.job.id === bobJob)).toBe(true);
  });
});

describe('downloads', () => {
  const get = (token: string | null) => s.yoga.fetch(`http://temper.test/files/models/${ids.model}/model.json`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  test('the owner downloads, another owner gets 404, no token gets 401', async () => {
    const ok = await get(alice);
    expect(ok.status).toBe(200);
    expect(JSON.parse(await ok.text()).format).toBe('layers-model');
    expect((await get(bob)).status).toBe(404);
    expect((await get(null)).status).toBe(401);
  });
});

describe('anonymous requests', () => {
  test.each([
    ['viewer', `{ viewer { name } }`],
    ['node', `{ node(id: "${Buffer.from('Model:x').toString('base64')}") { id } }`],
    ['serverInfo', `{ serverInfo { version } }`],
    ['a mutation', `mutation { deleteModel(id: "${Buffer.from('Model:x').toString('base64')}") { __typename } }`],
  ])('%s is refused as UNAUTHENTICATED', async (_n, query) => {
    const r = await gql(s.yoga, null, query);
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
  test('a subscription is refused when it starts', async () => {
    const r = await sse(s.yoga, null, `subscription { jobUpdated { sequence } }`, {}, { timeoutMs: 5000 });
    expect(r.events[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
  test('a wrong token is the same as none', async () => {
    expect((await gql(s.yoga, 'tmp_not-a-token', `{ viewer { name } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
