import type { BackendDetailsRecord, DatasetRecord, JobKind, ModelFileRecord } from '@temper/contracts';

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

export interface JobSpec {
  readonly id: string;
  readonly kind: JobKind;
  readonly method: string | null;
  readonly seed: number;
  readonly input: Readonly<Record<string, unknown>>;
  readonly attempt: number;
  readonly model: StoredModelRef | null;
  readonly teacher: StoredModelRef | null;
  readonly dataset: DatasetRecord;
}

export interface ProducedModel {
  readonly files: readonly ModelFileRecord[];
  readonly producer: string | null;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly parameterCount: number;
  readonly sha256: string;
  readonly featureLayer: string;
  readonly outputsWereSoftmax: boolean;
  readonly preprocessing: unknown;
  readonly architecture: string | null;
  readonly warnings: readonly string[];
}

export interface JobResult {
  readonly model?: ProducedModel;
  readonly report?: Readonly<Record<string, unknown>> & { cleanAccuracy: number };
  readonly summary?: Readonly<Record<string, unknown>>;
}

export type ToWorker = { readonly type: 'run'; readonly job: JobSpec } | { readonly type: 'cancel'; readonly jobId: string };

export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string; readonly reason: string; readonly tfjsVersion: string; readonly details?: BackendDetailsRecord }
  | { readonly type: 'progress'; readonly jobId: string; readonly payload: Record<string, unknown> }
  | { readonly type: 'log'; readonly jobId: string; readonly message: string }
  | { readonly type: 'config'; readonly jobId: string; readonly config: Record<string, unknown> }
  | { readonly type: 'checkpoint'; readonly jobId: string; readonly epoch: number }
  | { readonly type: 'done'; readonly jobId: string; readonly result: JobResult }
  | { readonly type: 'failed'; readonly jobId: string; readonly code: string; readonly message: string; readonly cancelled: boolean };

/** Where a job's checkpoint lives: one file per job, replaced atomically on each save. */
export function checkpointPath(dataDir: string, jobId: string): string {
  return `${dataDir}/checkpoints/${jobId}.ckpt`;
}
