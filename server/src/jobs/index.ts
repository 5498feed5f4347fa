export { Supervisor, type SupervisorOptions } from './supervisor.ts';
export { EventHub } from './event-hub.ts';
export { AsyncQueue } from './async-queue.ts';
export type { JobScheduler } from './scheduler.ts';
export { jobSpec, resultModelName } from './job-spec.ts';
