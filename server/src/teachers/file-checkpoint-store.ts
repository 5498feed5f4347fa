import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointStore, HardeningCheckpoint } from '../hardening/contract.ts';

/**
 * The latest checkpoint of a long run in a directory (`checkpoint.bin` + `checkpoint.json`), written
 * through a temporary file and a rename so that a run killed while saving resumes from the
 * previous checkpoint instead of a torn file. Teachers train for hours on shared machines, where one
 * epoch can take longer than the process lives: the loop also checkpoints within epochs, every
 * `withinEpochSeconds` (default 10 minutes), so a killed run loses minutes, not its epoch.
 */
export class FileCheckpointStore implements CheckpointStore {
  constructor(
    readonly dir: string,
    readonly withinEpochSeconds = 600,
  ) {}

  async load(): Promise<HardeningCheckpoint | undefined> {
    let meta: { epoch: number };
    try {
      meta = JSON.parse(await readFile(join(this.dir, 'checkpoint.json'), 'utf8')) as { epoch: number };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const payload = await readFile(join(this.dir, 'checkpoint.bin'));
    return { epoch: meta.epoch, payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength) };
  }

  async save(checkpoint: HardeningCheckpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // The payload carries its own epoch (the loop reads it from there); checkpoint.json is for people.
    await writeFile(join(this.dir, '.checkpoint.bin.tmp'), checkpoint.payload);
    await rename(join(this.dir, '.checkpoint.bin.tmp'), join(this.dir, 'checkpoint.bin'));
    await writeFile(join(this.dir, '.checkpoint.json.tmp'), JSON.stringify({ epoch: checkpoint.epoch, savedAt: new Date().toISOString() }));
    await rename(join(this.dir, '.checkpoint.json.tmp'), join(this.dir, 'checkpoint.json'));
  }
}
