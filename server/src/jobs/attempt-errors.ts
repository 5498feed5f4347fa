import { isTemperError } from '@temper/edge';
import { JobDataError } from './kinds/job-data-error.ts';

/** Thrown when the attempt no longer holds its job (another worker took it over): stop at once. */
export class LostJobError extends Error {
  constructor(jobId: string) {
    super(`Job ${jobId} is held by another attempt now`);
    this.name = 'LostJobError';
  }
}

/** The process running the job died under it (embedded mode: the worker child exited). */
export class WorkerCrashedError extends Error {
  constructor(
    readonly pid: number,
    readonly reason: string,
  ) {
    super(`The worker (pid ${pid}) ${reason}`);
    this.name = 'WorkerCrashedError';
  }
}

/** The attempt's executor went away with its own process (the server stops): the job stays as it is and resumes on the next start. */
export class AttemptAbandonedError extends Error {
  constructor(jobId: string) {
    super(`The attempt at job ${jobId} was abandoned (the server stops)`);
    this.name = 'AttemptAbandonedError';
  }
}

/** How a job failed, as its timeline and its error fields say it. */
export interface JobFailure {
  readonly code: string;
  readonly message: string;
  readonly cancelled: boolean;
}

/** A failure described in another process (a worker child) and carried over IPC. */
export class RemoteJobFailure extends Error {
  constructor(readonly failure: JobFailure) {
    super(failure.message);
    this.name = 'RemoteJobFailure';
  }
}

/**
 * The one failure mapping of a job's run: TemperError messages are written for users and kept;
 * anything else is reported generically (and logged in full where it happened: `logName`).
 */
export function describeFailure(e: unknown, cancelled: boolean, logName: string): JobFailure {
  if (e instanceof RemoteJobFailure) return e.failure;
  if (cancelled) return { code: 'ABORTED', message: 'Cancelled.', cancelled: true };
  if (isTemperError(e)) return { code: e.code, message: e.message, cancelled: false };
  if (e instanceof JobDataError) return { code: e.code, message: e.message, cancelled: false };
  return { code: 'INTERNAL', message: `Internal error in the worker (${e instanceof Error ? e.name : 'unknown'}); see the ${logName} log.`, cancelled: false };
}

/** Whether describeFailure hides the error's own message: then its stack belongs in the log. */
export function isUnexpectedFailure(e: unknown, cancelled: boolean): boolean {
  return !cancelled && !(e instanceof RemoteJobFailure) && !isTemperError(e) && !(e instanceof JobDataError);
}
