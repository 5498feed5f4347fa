import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { storageError } from './storage-error.ts';

/**
 * Where model and dataset bytes live, by content address (sha256 hex). Embedded mode: files in the
 * data directory (FileArtifactStore); distributed mode: chunked rows in PostgreSQL
 * (DatabaseArtifactStore), so API replicas and workers share no disk. `ArtifactStore` is both this
 * interface (as a type) and the file store (as a value: `new ArtifactStore(dataDir)`, `ArtifactStore.hash`).
 */
export interface ArtifactStore {
  put(bytes: Uint8Array): Promise<{ hash: string; bytes: number }>;
  get(hash: string): Promise<Uint8Array>;
  has(hash: string): Promise<boolean>;
  remove(hash: string): Promise<void>;
}

export function artifactHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function assertArtifactHash(hash: string): void {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`Internal: not an artifact hash: ${hash}`);
}

/**
 * Content-addressed files under `<dataDir>/artifacts/sha256/ab/abcdef...`: the same bytes are
 * stored once, a file is never rewritten, and a write lands atomically (temp file + rename), so a
 * reader or a crash never sees half a file.
 */
export class FileArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'artifacts', 'sha256');
  }

  static hash(bytes: Uint8Array): string {
    return artifactHash(bytes);
  }

  path(hash: string): string {
    assertArtifactHash(hash);
    return join(this.root, hash.slice(0, 2), hash);
  }

  async put(bytes: Uint8Array): Promise<{ hash: string; bytes: number }> {
    const hash = artifactHash(bytes);
    const path = this.path(hash);
    if (!(await this.has(hash))) {
      const tmp = `${path}.${randomUUID()}.tmp`;
      try {
        await mkdir(join(this.root, hash.slice(0, 2)), { recursive: true });
        await writeFile(tmp, bytes);
        await rename(tmp, path);
      } catch (e) {
        // A failed write (a full disk, typically) must not leave its partial temp file behind.
        await rm(tmp, { force: true }).catch(() => {});
        throw storageError(e, 'storing a file');
      }
    }
    return { hash, bytes: bytes.byteLength };
  }

  async get(hash: string): Promise<Uint8Array> {
    const buf = await readFile(this.path(hash));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  async has(hash: string): Promise<boolean> {
    try {
      await stat(this.path(hash));
      return true;
    } catch {
      return false;
    }
  }

  async remove(hash: string): Promise<void> {
    await rm(this.path(hash), { force: true });
  }
}

export const ArtifactStore = FileArtifactStore;
