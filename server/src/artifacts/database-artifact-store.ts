import type { Kysely } from 'kysely';
import type { Database } from '../store/tables.ts';
import { artifactHash, assertArtifactHash, type ArtifactStore } from './artifact-store.ts';

/** 1 MiB rows: a 100 MB model is 100 rows, none near PostgreSQL's per-value limits or a huge single read. */
export const ARTIFACT_CHUNK_BYTES = 1 << 20;

const now = () => new Date().toISOString();

/** Splits bytes into chunk-sized Buffers (the drivers bind Buffers as bytea / blob). */
export function chunksOf(bytes: Uint8Array, size = ARTIFACT_CHUNK_BYTES): Buffer[] {
  if (bytes.byteLength === 0) return [Buffer.alloc(0)];
  const out: Buffer[] = [];
  for (let o = 0; o < bytes.byteLength; o += size) out.push(Buffer.from(bytes.buffer, bytes.byteOffset + o, Math.min(size, bytes.byteLength - o)));
  return out;
}

export function joinChunks(rows: readonly { data: Uint8Array }[], bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let o = 0;
  for (const r of rows) {
    out.set(r.data, o);
    o += r.data.byteLength;
  }
  if (o !== bytes) throw new Error(`Internal: stored chunks hold ${o} bytes, expected ${bytes}`);
  return out;
}

/**
 * Content-addressed artifacts as chunked binary rows in the store's database (distributed mode:
 * no shared disk). The blob row is written in the same transaction as its chunks and last, so a
 * reader never sees half an artifact; writing the same bytes twice (two workers, a retried job)
 * is a no-op.
 */
export class DatabaseArtifactStore implements ArtifactStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(bytes: Uint8Array): Promise<{ hash: string; bytes: number }> {
    const hash = artifactHash(bytes);
    // Existing bytes: touch the row (created_at is when the artifact was last written), which a
    // concurrent discard's conditional DELETE re-checks under the row lock; none: write it.
    const touched = await this.db.updateTable('artifact_blobs').set({ created_at: now() }).where('hash', '=', hash).executeTakeFirst();
    if (Number(touched.numUpdatedRows) === 0) {
      const chunks = chunksOf(bytes);
      await this.db.transaction().execute(async (trx) => {
        for (let i = 0; i < chunks.length; i++) {
          await trx.insertInto('artifact_chunks').values({ hash, idx: i, data: chunks[i] }).onConflict((oc) => oc.columns(['hash', 'idx']).doNothing()).execute();
        }
        await trx.insertInto('artifact_blobs').values({ hash, bytes: bytes.byteLength, chunks: chunks.length, created_at: now() }).onConflict((oc) => oc.column('hash').doNothing()).execute();
      });
    }
    return { hash, bytes: bytes.byteLength };
  }

  async get(hash: string): Promise<Uint8Array> {
    assertArtifactHash(hash);
    const blob = await this.db.selectFrom('artifact_blobs').select(['bytes', 'chunks']).where('hash', '=', hash).executeTakeFirst();
    if (!blob) throw Object.assign(new Error(`Artifact ${hash} does not exist`), { code: 'ENOENT' });
    const rows = await this.db.selectFrom('artifact_chunks').select('data').where('hash', '=', hash).orderBy('idx').execute();
    if (rows.length !== blob.chunks) throw new Error(`Internal: artifact ${hash} has ${rows.length} of ${blob.chunks} chunks`);
    return joinChunks(rows, blob.bytes);
  }

  async has(hash: string): Promise<boolean> {
    assertArtifactHash(hash);
    return (await this.db.selectFrom('artifact_blobs').select('hash').where('hash', '=', hash).executeTakeFirst()) !== undefined;
  }

  async discard(hash: string, graceMs: number): Promise<boolean> {
    assertArtifactHash(hash);
    const cutoff = new Date(Date.now() - graceMs).toISOString();
    return this.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom('artifact_blobs').where('hash', '=', hash).where('created_at', '<', cutoff).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) return false;
      await trx.deleteFrom('artifact_chunks').where('hash', '=', hash).execute();
      return true;
    });
  }

  async storedHashes(): Promise<string[]> {
    return (await this.db.selectFrom('artifact_blobs').select('hash').execute()).map((r) => r.hash);
  }

  async remove(hash: string): Promise<void> {
    assertArtifactHash(hash);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('artifact_blobs').where('hash', '=', hash).execute();
      await trx.deleteFrom('artifact_chunks').where('hash', '=', hash).execute();
    });
  }
}
