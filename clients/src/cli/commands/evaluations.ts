import type { Command } from 'commander';
import { ModelEvaluationsQuery } from '../../sdk/operations.ts';
import type { CliContext } from '../context.ts';
import { epsLabel, parseIntOption, pct, shortTime, table } from '../format.ts';
import { formatReport, reportJson } from '../report.ts';
import { shortId } from '../short-id.ts';
import { collectPages } from './paging.ts';
import { loadEvaluation } from './shared.ts';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

export function registerEvaluations(program: Command, run: Run): void {
  const evaluations = program.command('evaluations').description('robustness evaluations of your models (ids: full or short)');

  evaluations
    .command('list')
    .description('every evaluation of your models, newest first')
    .option('--model <model>', 'only this model (id, short id or name)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON (full ids)')
    .option('--wide', 'full ids')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ model?: string; limit: string; json?: boolean; wide?: boolean }>();
        const limit = parseIntOption(o.limit, '--limit', 1);
        const modelId = o.model ? await ctx.resolve(o.model, ['Model']) : null;
        const models = await collectPages(async (after) => {
          const c = (await ctx.client.request(ModelEvaluationsQuery, { first: 100, after })).viewer.models;
          return { nodes: c.edges.map((e) => e.node), hasNextPage: c.pageInfo.hasNextPage, endCursor: c.pageInfo.endCursor };
        });
        const rows = models
          .filter((m) => modelId === null || m.id === modelId)
          .flatMap((m) => m.evaluations.map((e) => ({ ...e, model: { id: m.id, name: m.name } })))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .slice(0, limit);
        if (o.json) return ctx.out(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return ctx.info('no evaluations');
        ctx.out(
          table(
            ['ID', 'MODEL', 'DATASET', 'N', 'CLEAN', 'ROBUST AT LARGEST EPS', 'FLAGS', 'CREATED'],
            rows.map((e) => {
              const worst = e.epsCurve.reduce<(typeof e.epsCurve)[number] | null>((w, p) => (w === null || p.eps > w.eps ? p : w), null);
              return [
                o.wide ? e.id : shortId(e.id),
                e.model.name,
                e.dataset?.name ?? '-',
                String(e.numExamples),
                pct(e.cleanAccuracy),
                worst ? `${pct(worst.robustAccuracy)} @ ${epsLabel(worst.eps)}` : '-',
                String(e.flags.length),
                shortTime(e.createdAt),
              ];
            }),
          ),
        );
      }),
    );

  evaluations
    .command('show <evaluation>')
    .description('one evaluation as a report table (the same as temper report)')
    .option('--json', 'print JSON')
    .action(
      run(async (ctx, cmd) => {
        const { job, evaluation } = await loadEvaluation(ctx, cmd.args[0], {});
        ctx.out(cmd.opts<{ json?: boolean }>().json ? JSON.stringify(reportJson(job, evaluation), null, 2) : formatReport(job, evaluation));
      }),
    );
}
