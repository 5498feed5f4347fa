import { builder } from '../builder.ts';
import type { JobRecord } from '@temper/contracts';
import { Dataset } from './dataset.ts';
import { JobKind, JobStatus } from './enums.ts';
import { JobError } from './job-error.ts';
import { JobProgress } from './job-progress.ts';

export const JOB_TYPENAMES = { HARDEN: 'HardeningJob', EVALUATE: 'EvaluationJob', TRAIN_ZOO: 'ZooTrainingJob', EDGE_SAMPLE: 'EdgeSampleJob' } as const;

/** Batch loader for jobs of any kind (fields typed as the Job interface). */
export async function loadAnyJobs(ids: readonly string[], ctx: import('../context.ts').TemperContext): Promise<(JobRecord | null)[]> {
  return ctx.viewer ? ctx.services.jobsByIds(ctx.viewer.id, ids) : ids.map(() => null);
}

/** Batch loader for one job kind: other kinds (and other owners' jobs) load as null. */
export function loadJobs(kind: JobRecord['kind']) {
  return async (ids: string[], ctx: import('../context.ts').TemperContext): Promise<(JobRecord | null)[]> => {
    if (!ctx.viewer) return ids.map(() => null);
    const jobs = await ctx.services.jobsByIds(ctx.viewer.id, ids);
    return jobs.map((j) => (j && j.kind === kind ? j : null));
  };
}

export const Job = builder.interfaceRef<JobRecord>('Job').implement({
  description: 'Work done by a worker process, fed from the durable queue.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (job) => JOB_TYPENAMES[job.kind],
  fields: (t) => ({
    kind: t.field({ type: JobKind, resolve: (j) => j.kind }),
    status: t.field({ type: JobStatus, resolve: (j) => j.status }),
    seed: t.exposeInt('seed'),
    dataset: t.field({ type: Dataset, nullable: true, resolve: (j) => j.datasetId }),
    input: t.field({ type: 'JSON', description: 'The request as made.', resolve: (j) => j.input }),
    config: t.field({ type: 'JSON', nullable: true, description: 'The full configuration with every default applied (once the job started).', resolve: (j) => j.config }),
    progress: t.field({ type: JobProgress, nullable: true, resolve: (j) => j.progress }),
    lastSequence: t.exposeInt('lastSequence', { description: 'Sequence number of the latest event; subscribe with afterSequence to resume without gaps.' }),
    attempts: t.exposeInt('attempts', { description: 'How many times a worker started it (retries after crashes, resumes after restarts).' }),
    checkpointEpoch: t.exposeInt('checkpointEpoch', { nullable: true, description: 'Epochs completed in the latest checkpoint.' }),
    error: t.field({ type: JobError, nullable: true, resolve: (j) => (j.errorCode ? { code: j.errorCode, message: j.errorMessage ?? '' } : null) }),
    createdAt: t.field({ type: 'DateTime', resolve: (j) => j.createdAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (j) => j.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (j) => j.finishedAt }),
  }),
});
