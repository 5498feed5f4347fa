import { builder } from '../builder.ts';
import { Job, loadAnyJobs } from './job.ts';
import { Model } from './model.ts';

builder.objectField(Model, 'createdBy', (t) =>
  t.loadable({
    type: Job,
    nullable: true,
    description: 'The job that made this model (null for uploads).',
    load: (ids: string[], ctx) => loadAnyJobs(ids, ctx),
    resolve: (m) => m.createdByJobId,
  }),
);
