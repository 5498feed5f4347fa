import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import type { ComputeBackendChoice } from '../compute/backend.ts';
import { loadWorkerConfig } from '../config.ts';
import type { CheckpointStore } from '../hardening/contract.ts';
import type { JobSink } from './job-context.ts';
import { ProgressThrottle } from './progress-throttle.ts';
import type { JobResult, JobSpec } from './protocol.ts';
import { runJob } from './runners.ts';

/** Progress events closer together than this are dropped (forced ones - phase changes, epoch ends - always pass). */
const PROGRESS_INTERVAL_MS = loadWorkerConfig().progressIntervalMs;

export interface InProcessRun {
  readonly artifacts: ArtifactStore;
  readonly dataDir: string;
  readonly backend: ComputeBackendChoice;
  readonly signal: AbortSignal;
  readonly checkpoints?: (sink: JobSink) => CheckpointStore;
}

/**
 * Runs the job's runner in this process with its reports going to `sink`, throttled where they are
 * produced (so a fast loop floods neither the IPC channel nor the timeline): the embedded worker
 * child and distributed mode's sandboxed processor both run jobs through here.
 */
export function runInProcess(spec: JobSpec, sink: JobSink, o: InProcessRun): Promise<JobResult> {
  const throttle = new ProgressThrottle(PROGRESS_INTERVAL_MS);
  return runJob(spec, {
    artifacts: o.artifacts,
    dataDir: o.dataDir,
    backend: o.backend,
    signal: o.signal,
    progress: (payload, force = false) => throttle.admit(force) && sink.progress(payload, force),
    log: (message) => sink.log(message),
    config: (config) => sink.config(config),
    checkpointSaved: (epoch) => sink.checkpointSaved(epoch),
    teacherTrained: (teacher) => sink.teacherTrained(teacher),
    ...(o.checkpoints ? { checkpoints: o.checkpoints(sink) } : {}),
  });
}
