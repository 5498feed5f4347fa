import { afterAll, beforeAll, expect, test } from 'vitest';
import { createZooClassifier } from '@temper/edge';
import { saveClassifier } from '@temper/edge/io';
import { UPLOAD_MODEL, uploadTinyModel } from './testing/fixtures.ts';
import { gql, gqlMultipart, multipart, startTestServer } from './testing/server.ts';

/** Issue 13, point 3: checking an upload and building an edge sample run off the API's event loop, which keeps answering meanwhile. */

let s: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  // One worker: an edge check's sample is built by an EDGE_SAMPLE job.
  s = await startTestServer({ workers: 1 });
});
afterAll(() => s.dispose());

/** Polls /health every 10 ms while `work` runs; returns the slowest answer in ms. */
async function slowestHealthWhile<T>(work: Promise<T>): Promise<{ result: T; slowestMs: number; probes: number }> {
  let done = false;
  let slowestMs = 0;
  let probes = 0;
  const probe = (async () => {
    while (!done) {
      const t = performance.now();
      const res = await s.yoga.fetch('http://temper.test/health');
      await res.text();
      slowestMs = Math.max(slowestMs, performance.now() - t);
      probes++;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const result = await work.finally(() => (done = true));
  await probe;
  return { result, slowestMs, probes };
}

test('/health answers within 200 ms while a large model is built and checked', async () => {
  const c = createZooClassifier('resnet', { inputShape: [32, 32, 3], numClasses: 10, featureWidth: 64, seed: 1 });
  const { modelJson, weightsBin } = await saveClassifier(c);
  c.model.dispose();
  await s.parsePool.warm();
  const started = performance.now();
  const { result, slowestMs, probes } = await slowestHealthWhile(
    gqlMultipart(s.yoga, s.token, multipart(UPLOAD_MODEL, { input: { name: 'big', modelJson: null, weights: [null] } }, { 'input.modelJson': { name: 'model.json', bytes: modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: weightsBin } })),
  );
  const uploadMs = performance.now() - started;
  console.log(`upload of a ${(weightsBin.byteLength / 1e6).toFixed(1)} MB resnet: ${uploadMs.toFixed(0)} ms; ${probes} /health probes meanwhile, slowest ${slowestMs.toFixed(0)} ms`);
  expect(result.data!.uploadModel.__typename, JSON.stringify(result)).toBe('MutationUploadModelSuccess');
  expect(probes).toBeGreaterThan(3);
  expect(slowestMs).toBeLessThan(200);
}, 120_000);

test('an upload whose check runs past TEMPER_PARSE_TIMEOUT_S is MODEL_TOO_COMPLEX, and the API goes on', async () => {
  const tight = await startTestServer({ parseTimeoutMs: 1 });
  try {
    const c = createZooClassifier('mlp', { inputShape: [28, 28, 1], numClasses: 10, featureWidth: 16, seed: 1, widthMultiplier: 0.125 });
    const { modelJson, weightsBin } = await saveClassifier(c);
    c.model.dispose();
    const r = await gqlMultipart(tight.yoga, tight.token, multipart(UPLOAD_MODEL, { input: { name: 'm', modelJson: null, weights: [null] } }, { 'input.modelJson': { name: 'model.json', bytes: modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: weightsBin } }));
    expect(r.data!.uploadModel).toMatchObject({ __typename: 'ModelFormatError', code: 'MODEL_TOO_COMPLEX' });
    expect((await tight.yoga.fetch('http://temper.test/health')).status).toBe(200);
  } finally {
    await tight.dispose();
  }
}, 60_000);

test('/health answers within 200 ms while an edge check builds a 2,000-image sample', async () => {
  const model = await uploadTinyModel(s.yoga, s.token);
  const q = await gql(s.yoga, s.token, `{ viewer { datasets { edges { node { id name } } } } }`);
  const mnist = q.data!.viewer.datasets.edges.find((e: any) => e.node.name === 'mnist').node.id;
  const { result, slowestMs, probes } = await slowestHealthWhile(
    gql(s.yoga, s.token, `mutation($m: ID!, $d: ID!) { createEdgeCheck(input: { model: $m, dataset: $d, surrogates: [$m], sampleSize: 2000, eps: 0.1 }) { __typename ... on DomainError { code message } } }`, { m: model, d: mnist }),
  );
  console.log(`edge check of 2,000 images: ${probes} /health probes meanwhile, slowest ${slowestMs.toFixed(0)} ms`);
  expect(result.data?.createEdgeCheck?.__typename, JSON.stringify(result)).toBe('MutationCreateEdgeCheckSuccess');
  expect(slowestMs).toBeLessThan(200);
}, 120_000);
