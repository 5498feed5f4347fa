/**
 * Issue 14, point 4: uploading a model answers with a warning when a quick pass over the first test images
 * of the built-in dataset with its shape gives near-chance accuracy. A [0,255] model (an MLP trained here,
 * the 1/255 folded into its first layer, as a Keras model trained on raw bytes computes) uploaded without
 * `byte` preprocessing gets UPLOAD_NEAR_CHANCE_ACCURACY; the same files with {kind: "byte"} do not.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelWarningCodes } from '@temper/contracts';
import { createZooClassifier } from '@temper/edge';
import { saveClassifier } from '@temper/edge/io';
import { loadDataset, naturalLoss, train, UPLOAD_CHECK_EXAMPLES } from '@temper/server';
import { gql, gqlMultipart, multipart, startTestServer, uploadTinyModel } from '@temper/server/testing';

let server: Awaited<ReturnType<typeof startTestServer>>;
let files: { modelJson: string; weightsBin: Uint8Array };

const UPLOAD = /* GraphQL */ `
  mutation Upload($input: UploadModelInput!) {
    uploadModel(input: $input) {
      __typename
      ... on MutationUploadModelSuccess { data { id warnings warningDetails { code message } } }
      ... on DomainError { code message }
    }
  }`;

async function upload(name: string, preprocessing?: unknown) {
  const r = await gqlMultipart(
    server.yoga,
    server.token,
    multipart(UPLOAD, { input: { name, modelJson: null, weights: [null], ...(preprocessing ? { preprocessing } : {}) } }, { 'input.modelJson': { name: 'model.json', bytes: files.modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: files.weightsBin } }),
  );
  expect(r.data?.uploadModel?.__typename, JSON.stringify(r)).toBe('MutationUploadModelSuccess');
  return r.data!.uploadModel.data as { warnings: string[]; warningDetails: { code: string | null; message: string }[] };
}

beforeAll(async () => {
  server = await startTestServer();
  const data = await loadDataset('mnist', { trainSize: 2000, testSize: 200, seed: 3 });
  const model = createZooClassifier('mlp', { inputShape: [28, 28, 1], numClasses: 10, seed: 5 });
  await train({ student: model, data, loss: naturalLoss, epochs: 1, batchSize: 64, seed: 5, optimizer: { kind: 'adam', learningRate: 1e-3 } });
  const first = model.model.getLayer('hidden');
  const [kernel, bias] = first.getWeights();
  const scaled = tf.div(kernel, 255);
  first.setWeights([scaled, bias]);
  scaled.dispose();
  files = await saveClassifier(model);
  model.model.dispose();
}, 300_000);
afterAll(async () => {
  await server?.dispose();
});

describe('the upload warns about near-chance accuracy', () => {
  it('a [0,255] model without byte preprocessing gets UPLOAD_NEAR_CHANCE_ACCURACY; with it, no warning', async () => {
    const wrong = await upload('bytes-as-unit');
    const near = wrong.warningDetails.filter((w) => w.code === ModelWarningCodes.UPLOAD_NEAR_CHANCE_ACCURACY);
    expect(near).toHaveLength(1);
    expect(near[0].message).toMatch(new RegExp(`first ${UPLOAD_CHECK_EXAMPLES} test images of the built-in mnist dataset`));
    expect(near[0].message).toMatch(/kind: "byte"/);
    expect(wrong.warnings).toContain(near[0].message);
    const right = await upload('bytes-declared', { kind: 'byte' });
    expect(right.warningDetails.map((w) => w.code)).not.toContain(ModelWarningCodes.UPLOAD_NEAR_CHANCE_ACCURACY);
    // Loader notes stay untyped.
    expect(right.warningDetails.every((w) => w.code === null)).toBe(true);
  }, 120_000);

  it('an untrained model is at most twice chance whatever its preprocessing', async () => {
    const id = await uploadTinyModel(server.yoga, server.token, 'untrained', 3);
    const r = await gql(server.yoga, server.token, `query($id: ID!) { node(id: $id) { ... on Model { warningDetails { code message } } } }`, { id });
    const near = r.data!.node.warningDetails.filter((w: { code: string | null }) => w.code === ModelWarningCodes.UPLOAD_NEAR_CHANCE_ACCURACY);
    expect(near).toHaveLength(1);
    expect(near[0].message).toMatch(/at most twice chance \(10\.0% for 10 classes\)/);
  });
});
