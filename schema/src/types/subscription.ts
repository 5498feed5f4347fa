import { builder } from '../builder.ts';
import { EvaluationJob } from './evaluation-job.ts';
import { HardeningJob } from './hardening-job.ts';
import { JobEvent } from './job-event.ts';
import { ZooTrainingJob } from './zoo-training-job.ts';
import { EdgeSampleJob } from './edge-sample-job.ts';
import type { JobEventRecord } from '@temper/contracts';

/** Subscriptions need a token too, checked when the subscription starts (authorizeOnSubscribe). */
builder.subscriptionType({ authScopes: { viewer: true } });

builder.subscriptionField('jobProgress', (t) =>
  t.field({
    type: JobEvent,
    description:
      'The job\'s events: first those stored after `afterSequence` (default 0: the whole timeline), then live ones; ends after the job finishes. ' +
      'Sequence numbers have no gaps. Unknown ids and other owners\' jobs end the stream with an error.',
    args: {
      id: t.arg.globalID({ for: [HardeningJob, EvaluationJob, ZooTrainingJob, EdgeSampleJob] }),
      afterSequence: t.arg.int({ required: false, defaultValue: 0 }),
    },
    subscribe: (_r, args, ctx) => ctx.services.subscribeJobProgress(ctx.viewer!.id, args.id.id, args.afterSequence ?? 0),
    resolve: (event: JobEventRecord) => event,
  }),
);

builder.subscriptionField('jobUpdated', (t) =>
  t.field({
    type: JobEvent,
    description: 'Live events of all the viewer\'s jobs (status changes, progress, checkpoints). `sequence` is per job; `job` is the job as it is now.',
    subscribe: (_r, _a, ctx) => ctx.services.subscribeJobUpdates(ctx.viewer!.id),
    resolve: (event: JobEventRecord) => event,
  }),
);
