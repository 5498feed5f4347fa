import { builder } from '../builder.ts';
import type { JobRecord } from '@temper/contracts';
import { Job, loadJobs } from './job.ts';
import { Model } from './model.ts';

export const EdgeSampleJob = builder.loadableNode('EdgeSampleJob', {
  description: "createEdgeCheck's first step: a worker builds the check's sample (quantized test images with the server's clean predictions).",
  interfaces: [Job],
  id: { resolve: (j: JobRecord) => j.id },
  load: loadJobs('EDGE_SAMPLE'),
  isTypeOf: (j) => (j as JobRecord).kind === 'EDGE_SAMPLE',
  fields: (t) => ({
    model: t.field({ type: Model, nullable: true, resolve: (j) => j.modelId }),
    sampleSize: t.int({ resolve: (j) => Number((j.input as { sampleSize?: number }).sampleSize ?? 0) }),
  }),
});
