import type { BackendDetailsRecord, ServerInfoRecord } from '@temper/contracts';

/**
 * What the API needs from whatever runs its jobs: the embedded Supervisor (worker child processes
 * fed from the store's queue) or, in distributed mode, the BullMQ queue served by `temper-worker`s.
 */
export interface JobScheduler {
  /** A job was queued or something changed: look at the queue now. */
  kick(): void;
  /** Asks whoever runs the job to stop at its next step; false when this process cannot tell it directly. */
  cancelRunning(jobId: string): boolean;
  /** The compute backend the workers report (null until one has). */
  readonly backend: { readonly name: string; readonly reason: string; readonly tfjsVersion: string; readonly details?: BackendDetailsRecord } | null;
  workerInfo(): ServerInfoRecord['workers'][number][];
  /** For /ready: jobs can make progress (embedded: a worker has its backend; distributed: the queue answers). */
  ready(): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
