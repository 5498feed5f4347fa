import { artifactHash, type ArtifactStore } from '../artifacts/artifact-store.ts';

/**
 * The artifacts a parse-thread task needs, as the bytes the API read for it: the thread has no data
 * directory or database of its own, and reads nothing else. Read-only: a task never stores.
 */
export class BytesArtifacts implements ArtifactStore {
  constructor(private readonly bytes: Readonly<Record<string, Uint8Array>>) {}

  async get(hash: string): Promise<Uint8Array> {
    const b = this.bytes[hash];
    if (!b) throw new Error(`Internal: artifact ${hash} was not handed to the parse thread`);
    return b;
  }

  async has(hash: string): Promise<boolean> {
    return hash in this.bytes;
  }

  async put(bytes: Uint8Array): Promise<{ hash: string; bytes: number }> {
    throw new Error(`Internal: a parse thread stores nothing (artifact ${artifactHash(bytes)})`);
  }

  async remove(): Promise<void> {
    throw new Error('Internal: a parse thread removes nothing');
  }

  async discard(): Promise<boolean> {
    throw new Error('Internal: a parse thread removes nothing');
  }

  async storedHashes(): Promise<string[]> {
    return Object.keys(this.bytes);
  }
}
