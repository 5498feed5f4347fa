import type { Command } from 'commander';
import { notFound } from '../../sdk/client.ts';
import { DatasetsPageQuery } from '../../sdk/operations.ts';
import type { CliContext } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { clip, shortTime, table } from '../format.ts';
import { resolveDataset } from '../resolve.ts';
import { shortId } from '../short-id.ts';
import { collectPages } from './paging.ts';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

export function registerDatasets(program: Command, run: Run): void {
  const datasets = program.command('datasets').description('list and inspect datasets (built-in ones first; ids: full, short, or the name)');

  datasets
    .command('list')
    .description('the built-in datasets, then your uploads')
    .option('--json', 'print JSON (full ids)')
    .option('--wide', 'full ids')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ json?: boolean; wide?: boolean }>();
        const nodes = await collectPages(async (after) => {
          const c = (await ctx.client.request(DatasetsPageQuery, { first: 100, after })).viewer.datasets;
          return { nodes: c.edges.map((e) => e.node), hasNextPage: c.pageInfo.hasNextPage, endCursor: c.pageInfo.endCursor };
        });
        if (o.json) return ctx.out(JSON.stringify(nodes, null, 2));
        ctx.out(
          table(
            ['ID', 'NAME', 'SOURCE', 'FORMAT', 'EXAMPLES', 'TRAIN', 'TEST', 'INPUT', 'CLASSES', 'CREATED'],
            nodes.map((d) => [
              o.wide ? d.id : shortId(d.id),
              o.wide ? d.name : clip(d.name, 24),
              d.datasetSource,
              d.datasetFormat,
              String(d.count),
              String(d.trainSize),
              String(d.testSize),
              d.inputShape.join('x'),
              String(d.numClasses),
              shortTime(d.createdAt),
            ]),
          ),
        );
      }),
    );

  datasets
    .command('show <dataset>')
    .description('one dataset: size, split, shape and class names')
    .option('--json', 'print JSON')
    .action(
      run(async (ctx, cmd) => {
        const id = await resolveDataset(ctx.client, cmd.args[0]);
        const node = await ctx.client.node(id);
        if (!node) throw notFound(id);
        if (node.__typename !== 'Dataset') throw new CliError(ExitCode.USAGE, `${id} is a ${node.__typename}, not a dataset`);
        if (cmd.opts<{ json?: boolean }>().json) return ctx.out(JSON.stringify(node, null, 2));
        ctx.out(
          [
            `dataset  ${node.name} (${node.id}, short ${shortId(node.id)})`,
            `source   ${node.datasetSource}, format ${node.datasetFormat}`,
            `examples ${node.count}: ${node.trainSize} train / ${node.testSize} test`,
            `input    ${node.inputShape.join('x')} ([height, width, channels]), ${node.numClasses} classes`,
          ].join('\n'),
        );
      }),
    );
}
