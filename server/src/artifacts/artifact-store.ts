import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
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
  /** Removes the artifact unconditionally (tests, tools): the server discards instead. */
  remove(hash: string): Promise<void>;
  /**
   * Removes the artifact unless it was written, or rewritten by a `put` of the same bytes, within
   * the last `graceMs`; true when removed. A writer that puts bytes and then records a reference
   * (an upload, a worker's result model) is therefore safe from a concurrent delete of the same
   * content as long as it records the reference within the grace (artifact-gc.ts).
   */
  discard(hash: string, graceMs: number): Promise<boolean>;
  /** Every stored hash (for the periodic sweep); also drops temp files older than `graceMs`. */
  storedHashes(graceMs: number): Promise<string[]>;
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
    if (!(await this.touch(path))) {
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

  /**
   * The file is first renamed aside, atomically: from then on a concurrent `put` finds no file and
   * writes its own. Only then is the aside copy's mtime read, so a `put` that touched the file
   * before the rename is seen, and the copy goes back in place (same bytes, so replacing a file a
   * `put` wrote meanwhile is harmless).
   */
  async discard(hash: string, graceMs: number): Promise<boolean> {
    const path = this.path(hash);
    const aside = `${path}.${randomUUID()}.discard`;
    try {
      await rename(path, aside);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return false;
      throw storageError(e, 'removing a file');
    }
    const { mtimeMs } = await stat(aside);
    if (Date.now() - mtimeMs < graceMs) {
      await rename(aside, path);
      return false;
    }
    await rm(aside, { force: true });
    return true;
  }

  async storedHashes(graceMs: number): Promise<string[]> {
    let dirs: string[];
    try {
      dirs = await readdir(this.root);
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const d of dirs) {
      let names: string[];
      try {
        names = await readdir(join(this.root, d));
      } catch {
        continue;
      }
      for (const name of names) {
        if (/^[0-9a-f]{64}$/.test(name)) out.push(name);
        else if (/\.(tmp|discard)$/.test(name)) {
          // Left by a process that died mid-write or mid-discard.
          const p = join(this.root, d, name);
          const s = await stat(p).catch(() => null);
          if (s && Date.now() - s.mtimeMs >= graceMs) await rm(p, { force: true });
        }
      }
    }
    return out;
  }

  /** Marks an existing file as just written (its mtime); false when there is no file. */
  private async touch(path: string): Promise<boolean> {
    const t = new Date();
    try {
      await utimes(path, t, t);
      return true;
    } catch {
      return false;
    }
  }
}

export const ArtifactStore = FileArtifactStore;
