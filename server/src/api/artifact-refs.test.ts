import { afterAll, beforeAll, expect, test } from 'vitest';
import { ArtifactStore } from '../artifacts/artifact-store.ts';
import { tinyModelFiles, UPLOAD_DATASET, UPLOAD_MODEL } from './testing/fixtures.ts';
import { gql, gqlMultipart, multipart, startTestServer } from './testing/server.ts';

/**
 * Issue 13, point 2, through the API: one owner's delete never removes a file another owner's
 * record uses, and an upload racing a delete of the same content never loses a file.
 */

let s: Awaited<ReturnType<typeof startTestServer>>;
let alice: string;
let bob: string;
let files: { modelJson: string; weightsBin: Uint8Array };
beforeAll(async () => {
  // No grace: the references alone must protect shared files (the race test below uses the default).
  s = await startTestServer({ artifactGraceMs: 0 });
  alice = s.token;
  bob = await s.store.createToken((await s.store.ensureOwner('bob')).id);
  files = await tinyModelFiles(3);
});
afterAll(() => s.dispose());

const uploadModel = (token: string, modelJson: string, shard: Uint8Array, name = 'm') =>
  gqlMultipart(s.yoga, token, multipart(UPLOAD_MODEL, { input: { name, modelJson: null, weights: [null] } }, { 'input.modelJson': { name: 'model.json', bytes: modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: shard } }));
const deleteModel = (token: string, id: string) => gql(s.yoga, token, `mutation($m: ID!) { deleteModel(id: $m) { __typename ... on DomainError { code } } }`, { m: id });

/** An IDX labels file of exactly `bytes` bytes (8-byte header, then labels 0-9) and images of 2x2 pixels to match. */
function idxOfSize(bytes: number): { images: Uint8Array; labels: Uint8Array } {
  const n = bytes - 8;
  const labels = Buffer.alloc(bytes);
  labels.writeUInt32BE(0x801, 0);
  labels.writeUInt32BE(n, 4);
  for (let i = 0; i < n; i++) labels[8 + i] = i % 10;
  const images = Buffer.alloc(16 + n * 4);
  images.writeUInt32BE(0x803, 0);
  images.writeUInt32BE(n, 4);
  images.writeUInt32BE(2, 8);
  images.writeUInt32BE(2, 12);
  for (let i = 16; i < images.length; i++) images[i] = (i * 37) % 256;
  return { images: new Uint8Array(images), labels: new Uint8Array(labels) };
}

test("deleting a model whose only shard has the bytes of another owner's IDX labels leaves that dataset whole", async () => {
  const { images, labels } = idxOfSize(files.weightsBin.byteLength);
  const d = await gqlMultipart(s.yoga, alice, multipart(UPLOAD_DATASET, { input: { name: 'alice-digits', format: 'IDX', images: null, labels: null } }, { 'input.images': { name: 'images.idx', bytes: images }, 'input.labels': { name: 'labels.idx', bytes: labels } }));
  expect(d.data!.uploadDataset.__typename, JSON.stringify(d)).toBe('MutationUploadDatasetSuccess');
  // Bob's model: the same shard bytes as alice's labels file (the weights are whatever the bytes say).
  const m = await uploadModel(bob, files.modelJson, labels);
  expect(m.data!.uploadModel.__typename, JSON.stringify(m)).toBe('MutationUploadModelSuccess');
  const labelsHash = ArtifactStore.hash(labels);
  const modelJsonHash = ArtifactStore.hash(new TextEncoder().encode(files.modelJson));
  expect((await deleteModel(bob, m.data!.uploadModel.data.id)).data!.deleteModel.__typename).toBe('MutationDeleteModelSuccess');
  expect(await s.artifacts.has(labelsHash)).toBe(true);
  expect(await s.artifacts.has(ArtifactStore.hash(images))).toBe(true);
  // What only bob's model used is gone.
  expect(await s.artifacts.has(modelJsonHash)).toBe(false);
  expect(Buffer.from(await s.artifacts.get(labelsHash)).equals(Buffer.from(labels))).toBe(true);
});

test('uploads of the same files racing deletes never lose a file (the default grace, 40 rounds)', async () => {
  const raced = await startTestServer();
  try {
    const bobToken = await raced.store.createToken((await raced.store.ensureOwner('bob')).id);
    const up = async (token: string, name: string) => {
      const r = await gqlMultipart(raced.yoga, token, multipart(UPLOAD_MODEL, { input: { name, modelJson: null, weights: [null] } }, { 'input.modelJson': { name: 'model.json', bytes: files.modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: files.weightsBin } }));
      return r.data!.uploadModel.data.id as string;
    };
    const del = (token: string, id: string) => gql(raced.yoga, token, `mutation($m: ID!) { deleteModel(id: $m) { __typename } }`, { m: id });
    let lost = 0;
    for (let round = 0; round < 40; round++) {
      const a = await up(raced.token, `a${round}`);
      // The delete and the upload interleave differently each round: the delete starts 0-78 ms into the upload.
      const [, b] = await Promise.all([new Promise((r) => setTimeout(r, (round * 2) % 80)).then(() => del(raced.token, a)), up(bobToken, `b${round}`)]);
      for (const file of ['model.json', 'weights.bin']) {
        const res = await raced.yoga.fetch(`http://temper.test/files/models/${b}/${file}`, { headers: { authorization: `Bearer ${bobToken}` } });
        if (res.status !== 200) lost++;
        else await res.arrayBuffer();
      }
      await del(bobToken, b);
    }
    expect(lost).toBe(0);
  } finally {
    await raced.dispose();
  }
});

test('a download of a model whose file is missing answers without the server path', async () => {
  const m = await uploadModel(alice, files.modelJson, files.weightsBin, 'to-break');
  const id = m.data!.uploadModel.data.id as string;
  await s.artifacts.remove(ArtifactStore.hash(files.weightsBin));
  const res = await s.yoga.fetch(`http://temper.test/files/models/${id}/weights.bin`, { headers: { authorization: `Bearer ${alice}` } });
  expect(res.status).toBe(500);
  expect(await res.text()).not.toContain(s.dataDir);
});
