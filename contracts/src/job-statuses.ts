/**
 * Job statuses and which of them end a job. Every list of terminal statuses (the store's fencing,
 * the supervisor, the event hubs, the SDK's watchers, the GraphQL enum) is derived from this one.
 */
export const JOB_STATUSES = {
  QUEUED: { terminal: false, description: 'Waiting in the durable queue for a worker.' },
  RUNNING: { terminal: false, description: 'A worker process is running it.' },
  SUCCEEDED: { terminal: true, description: 'Finished with a result (a model, a report).' },
  FAILED: { terminal: true, description: 'See `error`.' },
  CANCELLED: { terminal: true, description: 'Cancelled by its owner (cancelJob).' },
} as const satisfies Record<string, { readonly terminal: boolean; readonly description: string }>;

export type JobStatus = keyof typeof JOB_STATUSES;
export type TerminalJobStatus = { [S in JobStatus]: (typeof JOB_STATUSES)[S]['terminal'] extends true ? S : never }[JobStatus];

export const JOB_STATUS_NAMES: readonly JobStatus[] = Object.freeze(Object.keys(JOB_STATUSES) as JobStatus[]);

/** Typed as the wider JobStatus so that `TERMINAL_JOB_STATUSES.includes(job.status)` type-checks. */
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = Object.freeze(JOB_STATUS_NAMES.filter((s) => JOB_STATUSES[s].terminal));

/** Accepts any string so that callers holding a wider status type (a codegen enum, a row) need no cast. */
export function isTerminalJobStatus(status: string): status is TerminalJobStatus {
  return Object.hasOwn(JOB_STATUSES, status) && JOB_STATUSES[status as JobStatus].terminal;
}
