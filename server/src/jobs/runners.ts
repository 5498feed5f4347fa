import type { JobRunner } from './job-context.ts';
import type { JobSpec } from './protocol.ts';
import { runEvaluation } from './run-evaluation.ts';
import { runHardeningJob } from './run-hardening.ts';
import { runZooTraining } from './run-zoo-training.ts';

/** The runner of each job kind, shared by the embedded worker and distributed mode's sandboxed processor. */
export const RUNNERS: Record<JobSpec['kind'], JobRunner> = { EVALUATE: runEvaluation, TRAIN_ZOO: runZooTraining, HARDEN: runHardeningJob };
