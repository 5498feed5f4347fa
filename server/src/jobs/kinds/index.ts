import type { JobKind } from '@temper/contracts';
import type { z } from 'zod';
import { edgeSampleInput, edgeSampleResult, type EdgeSampleProgress } from './edge-sample.ts';
import { evaluateInput, evaluateResult, type EvaluateProgress } from './evaluate.ts';
import { hardenInput, hardenResult, type HardenProgress } from './harden.ts';
import { JobDataError } from './job-data-error.ts';
import { zooInput, zooResult, type ZooProgress } from './zoo.ts';

/**
 * Every job kind with the schemas of its stored input and its result: what the services store,
 * what a worker is handed and what the one transactional finish records. Values cross process and
 * database boundaries as JSON, so they are parsed here on the way in and on the way out.
 */
export const JOB_KINDS = {
  HARDEN: { input: hardenInput, result: hardenResult },
  EVALUATE: { input: evaluateInput, result: evaluateResult },
  TRAIN_ZOO: { input: zooInput, result: zooResult },
  EDGE_SAMPLE: { input: edgeSampleInput, result: edgeSampleResult },
} as const satisfies Record<JobKind, { input: z.ZodType; result: z.ZodType }>;

export type JobInput<K extends JobKind> = z.infer<(typeof JOB_KINDS)[K]['input']>;
export type JobResultOf<K extends JobKind> = z.infer<(typeof JOB_KINDS)[K]['result']>;
export interface JobProgressByKind {
  HARDEN: HardenProgress;
  EVALUATE: EvaluateProgress;
  TRAIN_ZOO: ZooProgress;
  EDGE_SAMPLE: EdgeSampleProgress;
}
export type JobProgressOf<K extends JobKind> = JobProgressByKind[K];
/** Any kind's result, as the attempt records it. */
export type AnyJobResult = { [K in JobKind]: JobResultOf<K> }[JobKind];
export type AnyJobProgress = JobProgressByKind[JobKind];

export function parseJobInput<K extends JobKind>(kind: K, raw: unknown): JobInput<K> {
  const r = JOB_KINDS[kind].input.safeParse(raw);
  if (!r.success) throw new JobDataError(`${kind} input`, r.error.issues);
  return r.data as JobInput<K>;
}

export function parseJobResult<K extends JobKind>(kind: K, raw: unknown): JobResultOf<K> {
  const r = JOB_KINDS[kind].result.safeParse(raw);
  if (!r.success) throw new JobDataError(`${kind} result`, r.error.issues);
  return r.data as JobResultOf<K>;
}

export { JobDataError } from './job-data-error.ts';
export type { HardenInput, HardenProgress, HardenResult } from './harden.ts';
export type { EvaluateInput, EvaluateProgress, EvaluateResult } from './evaluate.ts';
export type { ZooInput, ZooProgress, ZooResult } from './zoo.ts';
export type { EdgeSampleInput, EdgeSampleProgress, EdgeSampleResult } from './edge-sample.ts';
