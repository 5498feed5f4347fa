import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import type { ComputeBackendChoice } from '../compute/backend.ts';
import type { CheckpointStore } from '../hardening/contract.ts';
import type { JobResult, JobSpec } from './protocol.ts';

/** What a job runner gets inside a worker: its spec, the artifact store, and channels back to the supervisor. */
export interface JobRunContext {
  readonly job: JobSpec;
  readonly artifacts: ArtifactStore;
  readonly dataDir: string;
  readonly backend: ComputeBackendChoice;
  readonly signal: AbortSignal;
  readonly progress: (payload: Record<string, unknown>, force?: boolean) => void;
  readonly log: (message: string) => void;
  readonly config: (config: Record<string, unknown>) => void;
  readonly checkpointSaved: (epoch: number) => void;
  /**
   * Where the job's checkpoint lives when not in the data directory (distributed mode: the
   * database); its save() must call checkpointSaved itself.
   */
  readonly checkpoints?: CheckpointStore;
}

export type JobRunner = (ctx: JobRunContext) => Promise<JobResult>;
