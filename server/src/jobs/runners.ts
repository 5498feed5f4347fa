import type { JobRunContext } from './job-context.ts';
import type { JobResult, JobSpec } from './protocol.ts';
import { runEdgeSample } from './run-edge-sample.ts';
import { runEvaluation } from './run-evaluation.ts';
import { runHardeningJob } from './run-hardening.ts';
import { runZooTraining } from './run-zoo-training.ts';

/** Runs a job by its kind; shared by the embedded worker and distributed mode's sandboxed processor. */
export function runJob(job: JobSpec, ctx: Omit<JobRunContext, 'job'>): Promise<JobResult> {
  switch (job.kind) {
    case 'HARDEN':
      return runHardeningJob({ ...ctx, job });
    case 'EVALUATE':
      return runEvaluation({ ...ctx, job });
    case 'TRAIN_ZOO':
      return runZooTraining({ ...ctx, job });
    case 'EDGE_SAMPLE':
      return runEdgeSample({ ...ctx, job });
  }
}
