import type { CheckpointStore, HardeningCheckpoint } from './contract.ts';

/** Keeps the latest checkpoint in memory (tests, benches; job workers persist theirs). */
export class MemoryCheckpointStore implements CheckpointStore {
  latest: HardeningCheckpoint | undefined;
  saves = 0;

  constructor(
    private readonly onSave?: (c: HardeningCheckpoint) => void,
    /** Ask the loop for checkpoints within epochs too (training/checkpointing.ts). */
    readonly withinEpochSeconds?: number,
  ) {}

  async load(): Promise<HardeningCheckpoint | undefined> {
    return this.latest;
  }

  async save(checkpoint: HardeningCheckpoint): Promise<void> {
    this.latest = { epoch: checkpoint.epoch, payload: checkpoint.payload.slice() };
    this.saves++;
    this.onSave?.(checkpoint);
  }
}
