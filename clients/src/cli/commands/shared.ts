import type { JobOrEvaluation } from '../../sdk/client.ts';
import type { JobFieldsFragment } from '../../sdk/gql/graphql.ts';
import type { CliContext } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { followJobUi, type InterruptAction } from '../follow.ts';
import { JOB_TYPES, REPORT_TYPES } from '../resolve.ts';
import { summarizeEvaluation, summarizeJob, type EvaluationSummary, type JobSummary } from '../report.ts';


export function interruptOption(value: string | undefined): InterruptAction | undefined {
  if (value === undefined) return undefined;
  if (value === 'cancel' || value === 'detach' || value === 'ask') return value;
  throw new CliError(ExitCode.USAGE, `--on-interrupt must be ask, cancel or detach, got "${value}"`);
}

/** Follows a job to its end; a failed or cancelled job becomes its exit code. */
export async function waitForJob(ctx: CliContext, id: string, onInterrupt?: InterruptAction): Promise<JobFieldsFragment> {
  await followJobUi(ctx, id, { onInterrupt });
  const node = await ctx.client.jobOrEvaluation(id);
  if (node.__typename === 'Evaluation') throw new CliError(ExitCode.USAGE, `${id} is an evaluation, not a job`);
  checkOutcome(node);
  return node;
}

/** A job's full id from a full id, short id or prefix. */
export function resolveJob(ctx: CliContext, ref: string): Promise<string> {
  return ctx.resolve(ref, JOB_TYPES);
}

/** FAILED and CANCELLED jobs end the command with their own exit codes. */
export function checkOutcome(job: JobFieldsFragment): void {
  if (job.status === 'FAILED') throw new CliError(ExitCode.JOB_FAILED, `job ${job.id} failed: ${job.error ? `${job.error.code}: ${job.error.message}` : 'no error recorded'}`);
  if (job.status === 'CANCELLED') throw new CliError(ExitCode.JOB_CANCELLED, `job ${job.id} was cancelled`);
}

/**
 * A job (hardening or evaluation) or an evaluation, with its robustness report. Unfinished jobs
 * are followed with `wait`, else refused (NOT_FINISHED); failed and cancelled ones exit with
 * their codes after `onJob` has shown what is known.
 */
export async function loadEvaluation(
  ctx: CliContext,
  id: string,
  options: { wait?: boolean; onInterrupt?: InterruptAction; onJob?: (job: JobSummary) => void | Promise<void> },
): Promise<{ job: JobSummary | null; evaluation: EvaluationSummary | null }> {
  id = await ctx.resolve(id, REPORT_TYPES);
  let node: JobOrEvaluation = await ctx.client.jobOrEvaluation(id);
  if (node.__typename === 'Evaluation') return { job: null, evaluation: summarizeEvaluation(node) };
  if ((node.status === 'QUEUED' || node.status === 'RUNNING') && options.wait) {
    await followJobUi(ctx, id, { onInterrupt: options.onInterrupt });
    node = await ctx.client.jobOrEvaluation(id);
    if (node.__typename === 'Evaluation') throw new Error('unreachable');
  }
  const job = summarizeJob(node);
  if (node.status === 'FAILED' || node.status === 'CANCELLED') {
    await options.onJob?.(job);
    checkOutcome(node);
  }
  if (node.status === 'QUEUED' || node.status === 'RUNNING') throw new CliError(ExitCode.NOT_FINISHED, `job ${id} is ${node.status.toLowerCase()}: no report yet (add --wait to wait for it)`);
  const ev = node.__typename === 'HardeningJob' || node.__typename === 'EvaluationJob' ? node.evaluation : null;
  return { job, evaluation: ev ? summarizeEvaluation(ev) : null };
}
