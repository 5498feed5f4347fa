import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TemperClient, TemperClientError, type FetchFn } from '@temper/clients';
import { syntheticDataset, tinyDenseClassifier } from '@temper/edge/attacks/testing';
import { evaluateRobustness, type RobustnessReport } from '@temper/edge/evaluation';
import { gql, startTestServer, uploadTinyModel } from '@temper/server/testing';

/**
 * Issue 14, point 3 over the API: an evaluation's per-example results as a typed, paged connection and its
 * adversarial-example gallery, read from a real stored report (a real evaluation of a small model), through
 * GraphQL and through the SDK.
 */

let server: Awaited<ReturnType<typeof startTestServer>>;
let client: TemperClient;
let report: RobustnessReport;
let evaluationId = '';
const EPS = [2 / 255, 0.2];

beforeAll(async () => {
  server = await startTestServer();
  const yogaFetch: FetchFn = (input, init) => Promise.resolve(server.yoga.fetch(new URL(input instanceof Request ? input.url : input), init ?? {}));
  client = new TemperClient({ url: 'http://temper.test', token: server.token, fetch: yogaFetch, retryDelayMs: () => 10 });
  const modelId = Buffer.from(await uploadTinyModel(server.yoga, server.token, 'm'), 'base64').toString().split(':')[1];
  const c = tinyDenseClassifier([6, 5, 1], 5, 2);
  const ds = await syntheticDataset(c, 30, 3, 7);
  const attacks = [{ attack: 'apgd-ce', config: { iterations: 10 } }, { attack: 'square', config: { queries: 200 } }];
  report = (await evaluateRobustness(c, ds, { eps: EPS, attacks, modelSha256: 'ab'.repeat(32), seed: 1, checks: false, keepAdversarial: false })).report;
  c.model.dispose();
  const owner = await server.store.ensureOwner('owner');
  const mnist = (await server.store.builtinDataset('mnist'))!;
  const e = await server.store.insertEvaluation({ ownerId: owner.id, modelId, datasetId: mnist.id, jobId: null, cleanAccuracy: report.cleanAccuracy, report: report as unknown as Record<string, unknown> });
  evaluationId = encodeGlobalID('Evaluation', e.id);
}, 120_000);
afterAll(async () => {
  client?.dispose();
  await server?.dispose();
});

describe('Evaluation.samples and Evaluation.examples', () => {
  test('pages through every example with its per-eps results, as the report has them', async () => {
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await client.evaluationSamples(evaluationId, { first: 7, after });
      expect(page.totalCount).toBe(report.numExamples);
      for (const s of page.samples) {
        seen.push(s.index);
        expect(s.label).toBe(report.labels![s.index]);
        expect(s.cleanPrediction).toBe(report.cleanPredictions![s.index]);
        expect(s.cleanCorrect).toBe(s.label === s.cleanPrediction);
        expect(s.results.map((r) => r.eps)).toEqual(EPS);
        s.results.forEach((r, e) => {
          const x = report.results[e].samples;
          expect(r.robust).toBe(x.robust[s.index] === 1);
          expect(r.attack).toBe(x.fooledBy[s.index] >= 0 ? report.results[e].attacks[x.fooledBy[s.index]].attack : null);
          expect(r.margin).toBeCloseTo(x.margin[s.index]!, 5);
          expect(r.prediction).toBe(x.prediction[s.index]);
          if (r.attack === 'square') expect(r.query).toBeGreaterThanOrEqual(1);
          if (r.robust) expect(r.attack).toBeNull();
        });
      }
      if (!page.hasNextPage) break;
      after = page.endCursor!;
    }
    expect(seen).toEqual(Array.from({ length: report.numExamples }, (_, i) => i));
  });

  test('filters by eps and robustness; an eps it did not run is EPS_NOT_EVALUATED', async () => {
    const at = report.results[1];
    const robustRows = at.samples.robust.flatMap((v, i) => (v ? [i] : []));
    expect(robustRows.length).toBeGreaterThan(0);
    expect(robustRows.length).toBeLessThan(report.numExamples);
    const robust = await client.evaluationSamples(evaluationId, { eps: 0.2, robust: true, first: 100 });
    expect(robust.samples.map((s) => s.index)).toEqual(robustRows);
    expect(robust.totalCount).toBe(robustRows.length);
    expect(robust.samples.every((s) => s.results.length === 1 && s.results[0].eps === 0.2)).toBe(true);
    const broken = await client.evaluationSamples(evaluationId, { eps: 0.2, robust: false, first: 100 });
    expect(broken.totalCount).toBe(report.numExamples - robustRows.length);
    await expect(client.evaluationSamples(evaluationId, { eps: 0.3 })).rejects.toMatchObject({ code: 'EPS_NOT_EVALUATED' });
    await expect(client.evaluationSamples(encodeGlobalID('Evaluation', '00000000-0000-0000-0000-000000000000'))).rejects.toBeInstanceOf(TemperClientError);
  });

  test('the gallery: clean and adversarial pixels within eps, labels, predictions, attack', async () => {
    const all = await client.evaluationExamples(evaluationId);
    const large = await client.evaluationExamples(evaluationId, 0.2);
    expect(large.length).toBeGreaterThan(0);
    expect(all.filter((x) => x.eps === 0.2)).toEqual(large);
    expect(large).toEqual(report.results[1].examples.map((x) => ({ ...x, eps: 0.2, epsFraction: report.results[1].epsFraction })).map((x) => expect.objectContaining({ index: x.index, label: x.label, attack: x.attack })));
    for (const x of large) {
      expect(x.shape).toEqual([6, 5, 1]);
      expect(x.clean).toHaveLength(30);
      expect(x.adversarial).toHaveLength(30);
      expect(Math.max(...x.clean.map((v, i) => Math.abs(v - x.adversarial[i])))).toBeLessThanOrEqual(0.2 + 1e-6);
      expect(x.adversarialPrediction).not.toBe(x.label);
      expect(x.cleanPrediction).toBe(x.label);
    }
  });

  test('costed like other pages: a huge page of samples with their results is refused before it runs', async () => {
    const r = await gql(server.yoga, server.token, `query($id: ID!) { node(id: $id) { ... on Evaluation { samples(first: 5000) { edges { node { index label results { eps robust attack step query margin prediction } } } } } } }`, { id: evaluationId });
    expect(r.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });
});
