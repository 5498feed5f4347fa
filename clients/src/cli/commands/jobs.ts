import type { Command } from 'commander';
import type { JobFieldsFragment, JobKind, JobStatus } from '../../sdk/gql/graphql.ts';
import { JOB_STATUS_NAMES } from '@temper/contracts';
import { isTerminal, notFound } from '../../sdk/client.ts';
import { JobsQuery, JobTimelineQuery } from '../../sdk/operations.ts';
import type { CliContext } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { clip, epsShort, parseIntOption, pct, shortTime, table } from '../format.ts';
import { shortId } from '../short-id.ts';
import { describeProgress } from '../progress.ts';
import { checkOutcome, interruptOption, resolveJob } from './shared.ts';
import { followJobUi } from '../follow.ts';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const STATUSES: readonly JobStatus[] = JOB_STATUS_NAMES;
const KINDS: readonly JobKind[] = ['HARDEN', 'EVALUATE', 'TRAIN_ZOO', 'EDGE_SAMPLE'];

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (!value) return undefined;
  const out = value.split(',').map((s) => s.trim().toUpperCase().replace(/-/g, '_')) as T[];
  const bad = out.filter((x) => !allowed.includes(x));
  if (bad.length) throw new CliError(ExitCode.USAGE, `${what} takes ${allowed.join(', ')}; got ${bad.join(', ')}`);
  return out;
}

function what(job: JobFieldsFragment): string {
  if (job.__typename === 'HardeningJob') return `${job.method} eps ${epsShort(job.eps)} ${job.student?.name ?? '?'}`;
  if (job.__typename === 'EvaluationJob') return `eps ${job.evalEps.map((e) => epsShort(e)).join(',')} ${job.model?.name ?? '?'}`;
  if (job.__typename === 'ZooTrainingJob') return `${job.zooArchitecture} ${job.epochs} epoch(s)`;
  return '';
}

/** Reads `a.b.c` out of a JSON value (for `--field resultModel.id`). */
function pick(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

export function registerJobs(program: Command, run: Run): void {
  const jobs = program.command('jobs').description('list, inspect, follow and cancel jobs');

  jobs
    .command('list')
    .description('your jobs, newest first')
    .option('--status <list>', `filter: ${STATUSES.join(',')}`)
    .option('--kind <list>', `filter: ${KINDS.join(',')}`)
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'print JSON (full ids)')
    .option('--wide', 'full ids and untruncated columns')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ status?: string; kind?: string; limit: string; json?: boolean; wide?: boolean }>();
        const data = await ctx.client.request(JobsQuery, { first: parseIntOption(o.limit, '--limit', 1), status: list(o.status, STATUSES, '--status'), kind: list(o.kind, KINDS, '--kind') });
        const nodes = data.viewer.jobs.edges.map((e) => e.node);
        if (o.json) return ctx.out(JSON.stringify(nodes, null, 2));
        if (nodes.length === 0) return ctx.info('no jobs');
        const rows = nodes.map((j) => [
          o.wide ? j.id : shortId(j.id),
          j.kind,
          j.status,
          j.progress && j.status === 'RUNNING' ? `${j.progress.phase ?? ''} ${pct(j.progress.fraction, 0)}`.trim() : '',
          what(j),
          o.wide ? j.createdAt : shortTime(j.createdAt),
        ]);
        if (!o.wide) {
          // Fit 100 columns: WHAT (the only free-text column) gives way.
          const others = [0, 1, 2, 3, 5].reduce((sum, i) => sum + Math.max(['ID', 'KIND', 'STATUS', 'PROGRESS', 'WHAT', 'CREATED'][i].length, ...rows.map((r) => r[i].length)) + 2, 0);
          for (const r of rows) r[4] = clip(r[4], Math.max(12, 100 - others));
        }
        ctx.out(table(['ID', 'KIND', 'STATUS', 'PROGRESS', 'WHAT', 'CREATED'], rows));
      }),
    );

  jobs
    .command('show <id>')
    .description('one job: status, progress, result, error and its latest events')
    .option('--json', 'print the job as JSON')
    .option('--field <path>', 'print one field of the JSON (e.g. status, resultModel.id)')
    .option('--events <n>', 'latest timeline events to show', '10')
    .action(
      run(async (ctx, cmd) => {
        const id = await resolveJob(ctx, cmd.args[0]);
        const o = cmd.opts<{ json?: boolean; field?: string; events: string }>();
        const node = await ctx.client.node(id);
        if (!node) throw notFound(id);
        if (!('kind' in node) || !('status' in node)) throw new CliError(ExitCode.USAGE, `${id} is a ${node.__typename}, not a job`);
        const job = node as JobFieldsFragment;
        if (o.field !== undefined) {
          const v = pick(job, o.field);
          if (v === undefined) throw new CliError(ExitCode.NOT_FOUND, `job ${id} has no field ${o.field}`);
          return ctx.out(typeof v === 'string' ? v : JSON.stringify(v));
        }
        if (o.json) return ctx.out(JSON.stringify(job, null, 2));
        const limit = parseIntOption(o.events, '--events');
        const lines = [`job      ${job.id}`, `kind     ${job.kind} (${what(job)})`, `status   ${job.status}${job.attempts > 1 ? ` (attempt ${job.attempts})` : ''}`];
        if (job.dataset) lines.push(`dataset  ${job.dataset.name} (${job.dataset.id})`);
        if (job.progress && !isTerminal(job.status)) lines.push(`progress ${job.progress.phase ?? ''} ${pct(job.progress.fraction, 0)} ${describeProgress(job.progress)}`);
        if ((job.__typename === 'HardeningJob' || job.__typename === 'ZooTrainingJob') && job.resultModel) lines.push(`model    ${job.resultModel.name} (${job.resultModel.id})`);
        if (job.error) lines.push(`error    ${job.error.code}: ${job.error.message}`);
        lines.push(`created  ${job.createdAt}${job.startedAt ? `, started ${job.startedAt}` : ''}${job.finishedAt ? `, finished ${job.finishedAt}` : ''}`);
        if (limit > 0) {
          const t = await ctx.client.request(JobTimelineQuery, { id, afterSequence: Math.max(0, job.lastSequence - limit), limit });
          const events = t.node && 'timeline' in t.node ? t.node.timeline : [];
          if (events.length) lines.push('', table(['#', 'KIND', 'STATUS', 'MESSAGE'], events.map((e) => [String(e.sequence), e.kind, e.status, e.message ?? ''])));
        }
        ctx.out(lines.join('\n'));
      }),
    );

  jobs
    .command('cancel <id>')
    .description('cancel a queued job at once, a running one at its next step')
    .action(
      run(async (ctx, cmd) => {
        const id = await resolveJob(ctx, cmd.args[0]);
        const job = await ctx.client.cancelJob(id);
        ctx.info(`job ${job.id}: ${job.status.toLowerCase()}${job.status === 'CANCELLED' ? '' : ' (cancel requested; it stops at its next step)'}`);
        ctx.out(job.id);
      }),
    );

  jobs
    .command('watch <id>')
    .description('follow a job with live progress until it ends (exit code tells how it ended)')
    .option('--on-interrupt <action>', 'what Ctrl-C/SIGTERM does: ask, cancel, detach')
    .action(
      run(async (ctx, cmd) => {
        const id = await resolveJob(ctx, cmd.args[0]);
        const node = await ctx.client.node(id);
        if (!node) throw notFound(id);
        await followJobUi(ctx, id, { onInterrupt: interruptOption(cmd.opts<{ onInterrupt?: string }>().onInterrupt) });
        const job = (await ctx.client.node(id)) as JobFieldsFragment;
        checkOutcome(job);
        ctx.info(`job ${id} ${job.status.toLowerCase()}`);
      }),
    );
}
