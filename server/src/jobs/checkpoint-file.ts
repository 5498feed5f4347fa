import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CheckpointStore, HardeningCheckpoint } from '../hardening/contract.ts';

/**
 * A job's checkpoint as one file (epoch as a 4-byte header, then the engine's payload), replaced
 * atomically: a worker killed mid-save leaves the previous checkpoint intact.
 */
export class CheckpointFile implements CheckpointStore {
  constructor(
    readonly path: string,
    private readonly onSaved: (epoch: number) => void = () => {},
  ) {}

  async load(): Promise<HardeningCheckpoint | undefined> {
    let buf: Buffer;
    try {
      buf = await readFile(this.path);
    } catch {
      return undefined;
    }
    if (buf.byteLength < 4) return undefined;
    return { epoch: buf.readUInt32LE(0), payload: new Uint8Array(buf.buffer, buf.byteOffset + 4, buf.byteLength - 4) };
  }

  async save(c: HardeningCheckpoint): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const header = Buffer.alloc(4);
    header.writeUInt32LE(c.epoch, 0);
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, Buffer.concat([header, c.payload]));
    await rename(tmp, this.path);
    this.onSaved(c.epoch);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
