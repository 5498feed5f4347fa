export { Supervisor, type SupervisorOptions } from './supervisor.ts';
export { EventHub } from './event-hub.ts';
export { AsyncQueue } from './async-queue.ts';
export type { JobScheduler } from './scheduler.ts';
export { jobSpec, resultModelName } from './job-spec.ts';
export { runAttempt, recordWorkerCrash, type AttemptHost, type AttemptOutcome } from './attempt.ts';
export { JOB_KINDS, parseJobInput, parseJobResult, JobDataError, type JobInput, type JobResultOf, type JobProgressOf } from './kinds/index.ts';
