import { builder } from '../../builder.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { EvaluationJob } from '../evaluation-job.ts';
import { HardeningJob } from '../hardening-job.ts';
import { Job } from '../job.ts';
import { ZooTrainingJob } from '../zoo-training-job.ts';

builder.mutationField('cancelJob', (t) =>
  t.field({
    type: Job,
    description: 'Cancels a queued job at once, a running one at its next step.',
    errors: { types: [NotFoundError, ConflictError] },
    args: { id: t.arg.globalID({ for: [HardeningJob, EvaluationJob, ZooTrainingJob] }) },
    resolve: (_r, { id }, ctx) => ctx.services.cancelJob(ctx.viewer!.id, id.id),
  }),
);
