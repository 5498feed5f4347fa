import { saveClassifier } from '@temper/edge/io';
import { subsetDataset, createZooClassifier } from '@temper/edge';
import { encodeIdxDataset } from '../../datasets/idx-dataset.ts';
import { loadMnist } from '../../datasets/mnist.ts';
import { gqlMultipart, multipart } from './server.ts';

/** A small real model (zoo mlp for 28x28x1, 10 classes) as the files an upload carries. */
export async function tinyModelFiles(seed = 1, architecture = 'mlp'): Promise<{ modelJson: string; weightsBin: Uint8Array }> {
  const c = createZooClassifier(architecture, { inputShape: [28, 28, 1], numClasses: 10, featureWidth: 16, seed, widthMultiplier: 0.125 });
  try {
    return await saveClassifier(c);
  } finally {
    c.model.dispose();
  }
}

/** `count` MNIST digits (every class) as an IDX image/label pair. */
export async function tinyIdxDataset(count = 200): Promise<{ images: Uint8Array; labels: Uint8Array }> {
  const all = await loadMnist();
  const per = all.count / 10;
  const rows = Array.from({ length: count }, (_, i) => (i % 10) * per + Math.floor(i / 10));
  return encodeIdxDataset(subsetDataset(all, rows, 'tiny-mnist'));
}

export const UPLOAD_MODEL = /* GraphQL */ `
  mutation Upload($input: UploadModelInput!) {
    uploadModel(input: $input) {
      __typename
      ... on MutationUploadModelSuccess { data { id name sha256 parameterCount inputShape numClasses featureLayer files { name bytes url } } }
      ... on DomainError { code message details }
    }
  }`;

export const UPLOAD_DATASET = /* GraphQL */ `
  mutation UploadDataset($input: UploadDatasetInput!) {
    uploadDataset(input: $input) {
      __typename
      ... on MutationUploadDatasetSuccess { data { id name count trainSize testSize inputShape numClasses } }
      ... on DomainError { code message details }
    }
  }`;

type Fetchable = Parameters<typeof gqlMultipart>[0];

export async function uploadTinyModel(yoga: Fetchable, token: string, name = 'tiny', seed = 1): Promise<string> {
  const { modelJson, weightsBin } = await tinyModelFiles(seed);
  const r = await gqlMultipart(yoga, token, multipart(UPLOAD_MODEL, { input: { name, modelJson: null, weights: [null] } }, { 'input.modelJson': { name: 'model.json', bytes: modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: weightsBin } }));
  const id = r.data?.uploadModel?.data?.id;
  if (!id) throw new Error(`upload failed: ${JSON.stringify(r)}`);
  return id;
}

export async function uploadTinyDataset(yoga: Fetchable, token: string, count = 200, extra: Record<string, unknown> = {}): Promise<string> {
  const { images, labels } = await tinyIdxDataset(count);
  const r = await gqlMultipart(
    yoga,
    token,
    multipart(UPLOAD_DATASET, { input: { name: `tiny-${count}`, format: 'IDX', images: null, labels: null, ...extra } }, { 'input.images': { name: 'images.idx', bytes: images }, 'input.labels': { name: 'labels.idx', bytes: labels } }),
  );
  const id = r.data?.uploadDataset?.data?.id;
  if (!id) throw new Error(`dataset upload failed: ${JSON.stringify(r)}`);
  return id;
}
