import { builder } from '../builder.ts';
import type { JobRecord } from '@temper/contracts';
import { Evaluation } from './evaluation.ts';
import { Job, loadJobs } from './job.ts';
import { Model } from './model.ts';

export const EvaluationJob = builder.loadableNode('EvaluationJob', {
  description: 'evaluateModel: runs an attack ensemble against a model at a list of eps.',
  interfaces: [Job],
  id: { resolve: (j: JobRecord) => j.id },
  load: loadJobs('EVALUATE'),
  isTypeOf: (j) => (j as JobRecord).kind === 'EVALUATE',
  fields: (t) => ({
    model: t.field({ type: Model, nullable: true, resolve: (j) => j.modelId }),
    eps: t.floatList({ resolve: (j) => [...(((j.input as { eps?: number[] }).eps ?? []) as number[])] }),
    evaluation: t.field({ type: Evaluation, nullable: true, resolve: (j) => j.evaluationId }),
  }),
});
