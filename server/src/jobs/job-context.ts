import type { JobKind } from '@temper/contracts';
import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import type { ComputeBackendChoice } from '../compute/backend.ts';
import type { CheckpointStore } from '../hardening/contract.ts';
import type { AnyJobProgress, JobProgressOf, JobResultOf } from './kinds/index.ts';
import type { JobSpecOf, ProducedModel } from './protocol.ts';

/**
 * Where a running job's reports go: the attempt's timeline (jobs/attempt.ts), directly in
 * distributed mode, through the IPC channel to the supervisor in embedded mode.
 */
export interface JobSink {
  /** `force`: sent even when the throttle would drop it (phase changes, epoch ends, the last step). */
  progress(payload: AnyJobProgress, force?: boolean): void;
  log(message: string): void;
  /** The full configuration with every default applied, once the runner resolved it. */
  config(config: Record<string, unknown>): void;
  checkpointSaved(epoch: number): void;
  /** A teacher the job trained (teacher: AUTO): stored as the owner's model and made the job's teacher. */
  teacherTrained(teacher: TrainedTeacher): void;
}

/** A teacher a hardening job trained as its first stage, its files already in the artifact store. */
export interface TrainedTeacher {
  readonly model: ProducedModel;
  readonly name: string;
  /** The reuse key (teachers/auto-teacher.ts autoTeacherKey). */
  readonly key: string;
  /** Recipe, budget and held-out accuracies, shown as the model's metadata. */
  readonly metadata: Record<string, unknown>;
}

/** What a job runner gets inside a worker: its spec, the artifact store, and its sink. */
export interface JobRunContext<K extends JobKind = JobKind> {
  readonly job: JobSpecOf<K>;
  readonly artifacts: ArtifactStore;
  readonly dataDir: string;
  readonly backend: ComputeBackendChoice;
  readonly signal: AbortSignal;
  readonly progress: (payload: JobProgressOf<K>, force?: boolean) => void;
  readonly log: (message: string) => void;
  readonly config: (config: Record<string, unknown>) => void;
  readonly checkpointSaved: (epoch: number) => void;
  readonly teacherTrained: (teacher: TrainedTeacher) => void;
  /**
   * Where the job's checkpoint lives when not in the data directory (distributed mode: the
   * database); its save() must call checkpointSaved itself.
   */
  readonly checkpoints?: CheckpointStore;
}

export type JobRunner<K extends JobKind> = (ctx: JobRunContext<K>) => Promise<JobResultOf<K>>;
