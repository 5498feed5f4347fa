import { builder } from '../builder.ts';
import type { HardeningMethodName, JobRecord } from '@temper/contracts';
import { HardeningMethod } from './enums.ts';
import { Evaluation } from './evaluation.ts';
import { Job, loadJobs } from './job.ts';
import { Model } from './model.ts';

const input = (j: JobRecord) => j.input as { eps?: number; epochs?: number; params?: unknown };

export const HardeningJob = builder.loadableNode('HardeningJob', {
  description: 'hardenModel: trains a copy of the student with a hardening method, then evaluates it.',
  interfaces: [Job],
  id: { resolve: (j: JobRecord) => j.id },
  load: loadJobs('HARDEN'),
  isTypeOf: (j) => (j as JobRecord).kind === 'HARDEN',
  fields: (t) => ({
    method: t.field({ type: HardeningMethod, resolve: (j) => j.method as HardeningMethodName }),
    student: t.field({ type: Model, nullable: true, description: 'The model that was hardened (it is copied, never changed).', resolve: (j) => j.modelId }),
    teacher: t.field({ type: Model, nullable: true, resolve: (j) => j.teacherId }),
    eps: t.float({ resolve: (j) => input(j).eps ?? 0 }),
    epochs: t.int({ resolve: (j) => input(j).epochs ?? 0 }),
    params: t.field({ type: 'JSON', nullable: true, description: 'Method parameters as given.', resolve: (j) => input(j).params ?? null }),
    resultModel: t.field({ type: Model, nullable: true, description: 'The hardened student.', resolve: (j) => j.resultModelId }),
    evaluation: t.field({ type: Evaluation, nullable: true, description: 'The robustness report of the hardened student.', resolve: (j) => j.evaluationId }),
  }),
});
