import { builder } from '../builder.ts';
import type { JobRecord } from '@temper/contracts';
import { Job, loadJobs } from './job.ts';
import { Model } from './model.ts';

export const ZooTrainingJob = builder.loadableNode('ZooTrainingJob', {
  description: 'createZooModel: builds a zoo architecture for a dataset and, with epochs > 0, trains it naturally.',
  interfaces: [Job],
  id: { resolve: (j: JobRecord) => j.id },
  load: loadJobs('TRAIN_ZOO'),
  isTypeOf: (j) => (j as JobRecord).kind === 'TRAIN_ZOO',
  fields: (t) => ({
    architecture: t.string({ resolve: (j) => String((j.input as { architecture?: string }).architecture ?? '') }),
    epochs: t.int({ resolve: (j) => Number((j.input as { epochs?: number }).epochs ?? 0) }),
    resultModel: t.field({ type: Model, nullable: true, resolve: (j) => j.resultModelId }),
  }),
});
