import type { Command } from 'commander';
import type { ModelSource } from '../../sdk/gql/graphql.ts';
import { notFound } from '../../sdk/client.ts';
import { unwrapResult } from '../../sdk/errors.ts';
import { DeleteModelMutation, ModelDetailQuery, ModelsQuery } from '../../sdk/operations.ts';
import type { CliContext } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { clip, epsLabel, parseIntOption, pct, shortTime, table } from '../format.ts';
import { shortId } from '../short-id.ts';
import { collectPages } from './paging.ts';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const SOURCES: readonly ModelSource[] = ['UPLOADED', 'ZOO', 'HARDENED'];

/** {"kind":"meanStd","mean":[0.49],"std":[0.25]} -> "meanStd (mean 0.49, std 0.25)". */
export function describePreprocessing(p: unknown): string {
  if (!p || typeof p !== 'object') return 'unit ([0,1] pixels)';
  const { kind, mean, std } = p as { kind?: string; mean?: number[]; std?: number[] };
  if (kind === 'unit') return 'unit ([0,1] pixels)';
  if (kind === 'byte') return 'byte ([0,255] pixels)';
  if (kind === 'meanStd') return `meanStd: (x - mean) / std, x in [0,1]; mean ${JSON.stringify(mean)}, std ${JSON.stringify(std)}`;
  return JSON.stringify(p);
}

export function registerModels(program: Command, run: Run): void {
  const models = program.command('models').description('list, inspect and delete models (ids: full, short, or the model name)');

  models
    .command('list')
    .description('your models, newest first')
    .option('--source <list>', `filter: ${SOURCES.join(',')}`)
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON (full ids)')
    .option('--wide', 'full ids')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ source?: string; limit: string; json?: boolean; wide?: boolean }>();
        const source = o.source?.split(',').map((s) => s.trim().toUpperCase()) as ModelSource[] | undefined;
        const bad = source?.filter((s) => !SOURCES.includes(s)) ?? [];
        if (bad.length) throw new CliError(ExitCode.USAGE, `--source takes ${SOURCES.join(', ')}; got ${bad.join(', ')}`);
        const limit = parseIntOption(o.limit, '--limit', 1);
        const nodes = await collectPages(async (after) => {
          const c = (await ctx.client.request(ModelsQuery, { first: Math.min(100, limit), after, source })).viewer.models;
          return { nodes: c.edges.map((e) => e.node), hasNextPage: c.pageInfo.hasNextPage, endCursor: c.pageInfo.endCursor };
        }, limit);
        if (o.json) return ctx.out(JSON.stringify(nodes, null, 2));
        if (nodes.length === 0) return ctx.info('no models');
        ctx.out(
          table(
            ['ID', 'NAME', 'SOURCE', 'ARCH', 'PARAMS', 'INPUT', 'CLASSES', 'WARNINGS', 'CREATED'],
            nodes.map((m) => [
              o.wide ? m.id : shortId(m.id),
              o.wide ? m.name : clip(m.name, 28),
              m.source,
              m.architecture ?? '-',
              String(m.parameterCount),
              m.inputShape.join('x'),
              String(m.numClasses),
              String(m.warnings.length),
              shortTime(m.createdAt),
            ]),
            o.wide ? undefined : { column: 1, width: 100 },
          ),
        );
      }),
    );

  models
    .command('show <model>')
    .description('one model: shape, preprocessing, warnings, files and its evaluations')
    .option('--json', 'print JSON')
    .action(
      run(async (ctx, cmd) => {
        const id = await ctx.resolve(cmd.args[0], ['Model']);
        const node = (await ctx.client.request(ModelDetailQuery, { id })).node;
        if (!node) throw notFound(id);
        if (node.__typename !== 'Model') throw new CliError(ExitCode.USAGE, `${id} is a ${node.__typename}, not a model`);
        if (cmd.opts<{ json?: boolean }>().json) return ctx.out(JSON.stringify(node, null, 2));
        const lines = [
          `model         ${node.name} (${node.id}, short ${shortId(node.id)})`,
          `source        ${node.source}${node.architecture ? `, architecture ${node.architecture}` : ''}${node.producer ? `, produced by ${node.producer}` : ''}${node.createdBy ? `, made by ${node.createdBy.__typename} ${shortId(node.createdBy.id)}` : ''}`,
          `input         ${node.inputShape.join('x')}, ${node.numClasses} classes, ${node.parameterCount} parameters, feature layer "${node.featureLayer}"`,
          `preprocessing ${describePreprocessing(node.preprocessing)}`,
          ...(node.outputsWereSoftmax ? ['output        ended in softmax; Temper works on its logits twin'] : []),
          `sha256        ${node.sha256}`,
          `created       ${node.createdAt}`,
          ...(node.warnings.length ? node.warnings.map((w, i) => `${i === 0 ? 'warnings      ' : '              '}${w}`) : ['warnings      none']),
          '',
          table(['FILE', 'BYTES', 'SHA256'], node.files.map((f) => [f.name, String(f.bytes), f.sha256.slice(0, 16)])),
        ];
        if (node.evaluations.length) {
          lines.push(
            '',
            table(
              ['EVALUATION', 'DATASET', 'EXAMPLES', 'CLEAN', 'ROBUST BY EPS', 'CREATED'],
              node.evaluations.map((e) => [shortId(e.id), e.dataset?.name ?? '-', String(e.numExamples), pct(e.cleanAccuracy), e.epsCurve.map((p) => `${pct(p.robustAccuracy)} @ ${epsLabel(p.eps)}`).join(', '), shortTime(e.createdAt)]),
            ),
          );
        } else lines.push('', 'no evaluations yet (temper eval --model ...)');
        ctx.out(lines.join('\n'));
      }),
    );

  models
    .command('delete <model>')
    .description('delete a model and its files (refused while a queued or running job uses it); prints the deleted id')
    .action(
      run(async (ctx, cmd) => {
        const id = await ctx.resolve(cmd.args[0], ['Model']);
        const deleted = unwrapResult((await ctx.client.request(DeleteModelMutation, { id })).deleteModel);
        ctx.info(`deleted model ${shortId(deleted)}`);
        ctx.out(deleted);
      }),
    );
}
