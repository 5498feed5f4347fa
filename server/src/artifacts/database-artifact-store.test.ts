import { afterAll, beforeAll, expect, test } from 'vitest';
import { Store } from '../store/store.ts';
import { artifactHash } from './artifact-store.ts';
import { ARTIFACT_CHUNK_BYTES, DatabaseArtifactStore } from './database-artifact-store.ts';

/** Artifacts as chunked rows (distributed mode's store), exercised on SQLite: the queries are the same on PostgreSQL. */

let store: Store;
let artifacts: DatabaseArtifactStore;
beforeAll(async () => {
  store = await Store.open(':memory:');
  artifacts = new DatabaseArtifactStore(store.db);
});
afterAll(() => store.close());

test('bytes spanning several chunks come back identical, under their sha256', async () => {
  const bytes = new Uint8Array(2 * ARTIFACT_CHUNK_BYTES + 12345).map((_, i) => (i * 7919) % 251);
  const { hash, bytes: n } = await artifacts.put(bytes);
  expect(hash).toBe(artifactHash(bytes));
  expect(n).toBe(bytes.byteLength);
  const rows = await store.db.selectFrom('artifact_chunks').select('idx').where('hash', '=', hash).execute();
  expect(rows).toHaveLength(3);
  expect(await artifacts.has(hash)).toBe(true);
  expect(Buffer.from(await artifacts.get(hash)).equals(Buffer.from(bytes))).toBe(true);
});

test('the same bytes twice are stored once; empty artifacts work; removal removes the chunks', async () => {
  const bytes = new TextEncoder().encode('{"format":"layers-model"}');
  const a = await artifacts.put(bytes);
  const b = await artifacts.put(bytes.slice());
  expect(b.hash).toBe(a.hash);
  expect(await store.db.selectFrom('artifact_chunks').select('idx').where('hash', '=', a.hash).execute()).toHaveLength(1);
  const empty = await artifacts.put(new Uint8Array(0));
  expect((await artifacts.get(empty.hash)).byteLength).toBe(0);
  await artifacts.remove(a.hash);
  expect(await artifacts.has(a.hash)).toBe(false);
  expect(await store.db.selectFrom('artifact_chunks').select('idx').where('hash', '=', a.hash).execute()).toHaveLength(0);
  await expect(artifacts.get(a.hash)).rejects.toThrow(/does not exist/);
});
