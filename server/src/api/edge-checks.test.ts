import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runEdgeCheck } from '@temper/edge/device';
import { uploadTinyDataset, uploadTinyModel } from './testing/fixtures.ts';
import { gql, startTestServer } from './testing/server.ts';

/**
 * Edge checks end to end through a real HTTP listener: createEdgeCheck over GraphQL, the device side
 * (runEdgeCheck on wasm, as in plain Node) downloads the bundle, model files and sample from this
 * server and submits its report, which GraphQL then shows with its backend and agreement.
 */

let s: Awaited<ReturnType<typeof startTestServer>>;
let http: Server;
let url: string;
let bob: string;
const ids = { student: '', surrogate: '', dataset: '', check: '' };

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateEdgeCheckInput!) {
    createEdgeCheck(input: $input) {
      __typename
      ... on DomainError { code message details }
      ... on MutationCreateEdgeCheckSuccess { data { id status bundleUrl modelSha256 sampleSha256 settings model { id sha256 } dataset { id } surrogates { id } reports { id } } }
    }
  }`;

const CHECK = /* GraphQL */ `
  query Check($id: ID!) {
    node(id: $id) {
      ... on EdgeCheck {
        id status flags { code message }
        reports { backend device modelSha256 cleanAccuracy squareRobustAccuracy transferRobustAccuracy agreement { rate count agree ok } flags { code message } }
      }
    }
  }`;

const input = (extra: Record<string, unknown> = {}) => ({
  model: ids.student,
  dataset: ids.dataset,
  surrogates: [ids.surrogate],
  sampleSize: 30,
  attackCount: 8,
  squareQueries: 15,
  pgdSteps: 3,
  eps: 0.2,
  seed: 1,
  ...extra,
});

beforeAll(async () => {
  // One worker: the sample is built by an EDGE_SAMPLE job.
  s = await startTestServer({ workers: 1 });
  bob = await s.store.createToken((await s.store.ensureOwner('bob')).id);
  ids.student = await uploadTinyModel(s.yoga, s.token, 'student', 1);
  ids.surrogate = await uploadTinyModel(s.yoga, s.token, 'surrogate', 2);
  ids.dataset = await uploadTinyDataset(s.yoga, s.token, 200);
  http = createServer(s.yoga);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await s?.dispose();
});

describe('edge checks', () => {
  test('create over GraphQL, run on a wasm device over HTTP, read the report back', async () => {
    const created = await gql(s.yoga, s.token, CREATE, { input: input() });
    const check = created.data?.createEdgeCheck;
    expect(check?.__typename, JSON.stringify(created)).toBe('MutationCreateEdgeCheckSuccess');
    ids.check = check.data.id;
    expect(check.data).toMatchObject({ status: 'PENDING', model: { id: ids.student }, dataset: { id: ids.dataset }, surrogates: [{ id: ids.surrogate }], reports: [] });
    expect(check.data.modelSha256).toBe(check.data.model.sha256);
    expect(check.data.settings).toMatchObject({ eps: 0.2, squareQueries: 15, pgdSteps: 3, seed: 1, attackCount: 8, sampleSize: 30 });
    expect(check.data.bundleUrl).toBe(`/edge/checks/${encodeURIComponent(ids.check)}/bundle`);

    const { report, submission } = await runEdgeCheck({ url, token: s.token, checkId: ids.check, backend: 'wasm' });
    expect(report.backend.name).toBe('wasm');
    expect(report.model.sha256).toBe(check.data.modelSha256);
    expect(report.sample).toMatchObject({ count: 30, attacked: 8, sha256: check.data.sampleSha256 });
    expect(submission.id).toBe(ids.check);
    // The server predicted on its cpu backend, the device on wasm: the same model on the same bytes.
    expect(report.agreement!.count).toBe(30);
    expect(report.agreement!.rate).toBeGreaterThanOrEqual(0.9);

    const q = await gql(s.yoga, s.token, CHECK, { id: ids.check });
    const node = q.data?.node;
    expect(node?.id, JSON.stringify(q)).toBe(ids.check);
    expect(node.reports).toHaveLength(1);
    const r = node.reports[0];
    expect(r).toMatchObject({ backend: 'wasm', modelSha256: check.data.modelSha256, agreement: { count: 30, rate: report.agreement!.rate, agree: report.agreement!.agree } });
    expect(r.device).toEqual(JSON.parse(JSON.stringify(report.device)));
    expect(r.cleanAccuracy).toBe(report.clean.accuracy);
    expect(node.status).toBe(r.flags.length ? 'FLAGGED' : 'PASSED');
    expect(node.flags).toEqual(submission.flags);

    const list = await gql(s.yoga, s.token, `{ viewer { edgeChecks { edges { node { id reports { backend agreement { rate } } } } } } }`);
    expect(list.data!.viewer.edgeChecks.edges.map((e: any) => e.node.id)).toEqual([ids.check]);
  });

  test('the server recomputes flags: disagreement and a model hash it did not serve', async () => {
    const { report } = await runEdgeCheck({ url, token: s.token, checkId: ids.check, backend: 'wasm', fetch: async (u, init) => {
      // Submit a doctored report instead: claimed agreement 50%, another model, no device flags.
      if (String(u).endsWith('/graphql')) {
        const body = JSON.parse(String(init!.body));
        const rep = body.variables.input.report;
        body.variables.input.report = { ...rep, flags: [], model: { ...rep.model, sha256: 'a'.repeat(64) }, agreement: { ...rep.agreement, rate: 0.5, agree: 15 } };
        return fetch(u, { ...init, body: JSON.stringify(body) });
      }
      return fetch(u, init);
    } }).catch((e) => ({ report: null, error: e }));
    expect(report).not.toBeNull();
    const q = await gql(s.yoga, s.token, CHECK, { id: ids.check });
    const last = q.data!.node.reports.at(-1);
    expect(last.flags.map((f: any) => f.code).sort()).toEqual(['EDGE_MODEL_HASH_MISMATCH', 'EDGE_PREDICTION_DISAGREEMENT']);
    expect(q.data!.node.status).toBe('FLAGGED');
  });

  test('another owner sees nothing: node, list, mutation, bundle, sample', async () => {
    expect((await gql(s.yoga, bob, CHECK, { id: ids.check })).data?.node).toBeNull();
    expect((await gql(s.yoga, bob, `{ viewer { edgeChecks { edges { node { id } } } } }`)).data!.viewer.edgeChecks.edges).toEqual([]);
    const sub = await gql(s.yoga, bob, `mutation($i: SubmitEdgeReportInput!) { submitEdgeReport(input: $i) { __typename ... on DomainError { code } } }`, { i: { checkId: ids.check, report: {} } });
    expect(sub.data!.submitEdgeReport).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    for (const f of ['bundle', 'sample.bin']) {
      const path = `${url}/edge/checks/${encodeURIComponent(ids.check)}/${f}`;
      expect((await fetch(path, { headers: { authorization: `Bearer ${bob}` } })).status).toBe(404);
      expect((await fetch(path)).status).toBe(401);
      expect((await fetch(path, { headers: { authorization: `Bearer ${s.token}` } })).status).toBe(200);
    }
    // Bob cannot build a check on Alice's model either.
    const c = await gql(s.yoga, bob, CREATE, { input: input() });
    expect(c.data!.createEdgeCheck.code).toBe('NOT_FOUND');
    const bad = await gql(s.yoga, s.token, `mutation($i: SubmitEdgeReportInput!) { submitEdgeReport(input: $i) { __typename ... on DomainError { code } } }`, { i: { checkId: 'nope', report: {} } });
    expect(bad.data!.submitEdgeReport.code).toBe('NOT_FOUND');
    const invalid = await gql(s.yoga, s.token, `mutation($i: SubmitEdgeReportInput!) { submitEdgeReport(input: $i) { __typename ... on DomainError { code } } }`, { i: { checkId: ids.check, report: { reportVersion: 1 } } });
    expect(invalid.data!.submitEdgeReport.code).toBe('EDGE_REPORT_INVALID');
  });

  test('bad input: unknown model, sampleSize out of range', async () => {
    const unknown = await gql(s.yoga, s.token, CREATE, { input: input({ model: Buffer.from('Model:00000000-0000-0000-0000-000000000000').toString('base64') }) });
    expect(unknown.data!.createEdgeCheck).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const zero = await gql(s.yoga, s.token, CREATE, { input: input({ sampleSize: 0 }) });
    expect(zero.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const huge = await gql(s.yoga, s.token, CREATE, { input: input({ sampleSize: 100_000 }) });
    expect(huge.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Within the limit but larger than this dataset's 40-image test split.
    const tooBig = await gql(s.yoga, s.token, CREATE, { input: input({ sampleSize: 41 }) });
    expect(tooBig.data!.createEdgeCheck).toMatchObject({ __typename: 'InvalidRequestError', code: 'EDGE_SAMPLE_TOO_LARGE' });
    const noSurrogates = await gql(s.yoga, s.token, CREATE, { input: input({ surrogates: [] }) });
    expect(noSurrogates.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
