import type { BackendDetailsRecord, DatasetRecord, JobKind, ModelFileRecord } from '@temper/contracts';
import type { z } from 'zod';
import type { AnyJobProgress, AnyJobResult, JobInput } from './kinds/index.ts';
import type { TrainedTeacher } from './job-context.ts';
import type { producedModel } from './kinds/shared.ts';

/** Messages between the supervisor (API process) and a worker child process, over Node's IPC channel. */

/** A stored model as a worker needs it: its files by content address and how to read them. */
export interface StoredModelRef {
  readonly id: string;
  readonly name: string;
  readonly files: readonly ModelFileRecord[];
  readonly preprocessing: unknown;
  readonly featureLayer: string;
  readonly architecture: string | null;
  readonly sha256: string;
}

/** A job as its runner gets it: the stored row's input parsed by its kind's schema (kinds/), its inputs resolved. */
export type JobSpecOf<K extends JobKind> = {
  readonly id: string;
  readonly kind: K;
  readonly method: string | null;
  readonly seed: number;
  readonly input: JobInput<K>;
  readonly attempt: number;
  readonly model: StoredModelRef | null;
  readonly teacher: StoredModelRef | null;
  readonly dataset: DatasetRecord;
};
export type JobSpec = { [K in JobKind]: JobSpecOf<K> }[JobKind];

/** What a runner returns (kinds/: `result`), checked by the attempt before it is recorded. */
export type JobResult = AnyJobResult;
export type ProducedModel = z.infer<typeof producedModel>;

export type ToWorker = { readonly type: 'run'; readonly job: JobSpec } | { readonly type: 'cancel'; readonly jobId: string };

export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string; readonly reason: string; readonly tfjsVersion: string; readonly details?: BackendDetailsRecord }
  | { readonly type: 'progress'; readonly jobId: string; readonly payload: AnyJobProgress }
  | { readonly type: 'log'; readonly jobId: string; readonly message: string }
  | { readonly type: 'config'; readonly jobId: string; readonly config: Record<string, unknown> }
  | { readonly type: 'checkpoint'; readonly jobId: string; readonly epoch: number }
  | { readonly type: 'teacher'; readonly jobId: string; readonly teacher: TrainedTeacher }
  | { readonly type: 'done'; readonly jobId: string; readonly result: unknown }
  | { readonly type: 'failed'; readonly jobId: string; readonly code: string; readonly message: string; readonly cancelled: boolean };

/** Where a job's checkpoint lives: one file per job, replaced atomically on each save. */
export function checkpointPath(dataDir: string, jobId: string): string {
  return `${dataDir}/checkpoints/${jobId}.ckpt`;
}

/** The checkpoint of a job's first stage (teacher: AUTO), apart from the student's so neither resume reads the other's. */
export function teacherCheckpointPath(dataDir: string, jobId: string): string {
  return `${dataDir}/checkpoints/${jobId}.teacher.ckpt`;
}
