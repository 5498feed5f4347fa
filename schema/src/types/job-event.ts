import { builder } from '../builder.ts';
import type { JobEventRecord, JobProgressRecord } from '@temper/contracts';
import { JobEventKind, JobStatus } from './enums.ts';
import { Job, loadAnyJobs } from './job.ts';
import { JobProgress } from './job-progress.ts';

export const JobEvent = builder.objectRef<JobEventRecord>('JobEvent').implement({
  description: 'One entry of a job\'s timeline. Sequence numbers run 1, 2, 3... per job, so a gap means a missed event.',
  fields: (t) => ({
    sequence: t.exposeInt('sequence'),
    kind: t.field({ type: JobEventKind, resolve: (e) => e.kind }),
    status: t.field({ type: JobStatus, description: 'The job\'s status when the event happened.', resolve: (e) => e.status }),
    progress: t.field({ type: JobProgress, nullable: true, resolve: (e) => (e.kind === 'PROGRESS' ? (e.payload as JobProgressRecord) : null) }),
    message: t.string({ nullable: true, resolve: (e) => (typeof e.payload['message'] === 'string' ? e.payload['message'] : null) }),
    payload: t.field({ type: 'JSON', resolve: (e) => e.payload }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
    job: t.loadable({ type: Job, nullable: true, load: (ids: string[], ctx) => loadAnyJobs(ids, ctx), resolve: (e) => e.jobId }),
  }),
});

builder.interfaceField(Job, 'timeline', (t) =>
  t.field({
    type: [JobEvent],
    description: 'The job\'s events in order: status changes, progress with every metric, checkpoints, logs.',
    args: {
      afterSequence: t.arg.int({ required: false, defaultValue: 0 }),
      limit: t.arg.int({ required: false, defaultValue: 500 }),
    },
    resolve: (j, args, ctx) => ctx.services.jobEvents(ctx.viewer!.id, j.id, args.afterSequence ?? 0, Math.min(5000, Math.max(1, args.limit ?? 500))),
  }),
);
