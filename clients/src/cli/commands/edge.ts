import type { Command } from 'commander';
import { notFound } from '../../sdk/client.ts';
import { unwrapResult } from '../../sdk/errors.ts';
import type { EdgeCheckFieldsFragment } from '../../sdk/gql/graphql.ts';
import { CreateEdgeCheckMutation, EdgeChecksQuery } from '../../sdk/operations.ts';
import type { CliContext } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { epsLabel, parseEps, parseIntOption, pct, shortTime, table } from '../format.ts';
import { resolveDataset, resolveModel } from '../resolve.ts';
import { shortId } from '../short-id.ts';
import { collectPages } from './paging.ts';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

/**
 * The page a device opens to run a check on its own GPU. The token goes after `#`: a fragment never
 * leaves the browser, so it is in no server log; and it is only added on request, because CI logs
 * keep whatever is printed.
 */
export function edgePageUrl(serverUrl: string, checkId: string, token?: string): string {
  const u = new URL('/edge/', serverUrl);
  u.searchParams.set('check', checkId);
  return `${u.href}${token ? `#token=${encodeURIComponent(token)}` : ''}`;
}

/** "0.9", "90%" -> 0.9; anything outside [0,1] is a usage error. */
export function parseFraction(text: string, flag: string): number {
  const t = text.trim();
  const v = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (t === '' || !Number.isFinite(v) || v < 0 || v > 1) throw new CliError(ExitCode.USAGE, `${flag} must be a fraction in [0, 1] or a percentage, got "${text}"`);
  return v;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function settingsLine(s: unknown): string {
  const o = (s ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof o['eps'] === 'number') parts.push(`eps ${epsLabel(o['eps'])}`);
  for (const k of ['sampleSize', 'attackCount', 'squareQueries', 'pgdSteps', 'seed']) if (o[k] !== undefined) parts.push(`${k} ${String(o[k])}`);
  return parts.join(', ');
}

export function describeCheck(c: EdgeCheckFieldsFragment, url: string): string {
  const lines = [
    `edge check ${c.id} (short ${shortId(c.id)})`,
    `status     ${c.checkStatus}`,
    `model      ${c.model ? `${c.model.name} (${shortId(c.model.id)})` : '(deleted)'}, sha256 ${c.modelSha256.slice(0, 16)}`,
    `dataset    ${c.dataset?.name ?? '-'}; surrogates ${c.surrogates.map((s) => (s ? s.name : '(deleted)')).join(', ')}`,
    `settings   ${settingsLine(c.settings)}`,
    `page       ${url}  (append #token=<your token>, or: temper edge url ${shortId(c.id)} --with-token)`,
    `created    ${c.createdAt}`,
  ];
  const th = c.thresholds;
  if (th) lines.push(`thresholds ${[th.minCleanAccuracy != null ? `clean >= ${pct(th.minCleanAccuracy)}` : '', th.minRobustAccuracy != null ? `robust >= ${pct(th.minRobustAccuracy)}` : '', th.minAgreement != null ? `agreement >= ${pct(th.minAgreement)}` : ''].filter(Boolean).join(', ')}`);
  if (c.verdict) {
    lines.push(`verdict    ${c.verdict.summary}`);
    for (const r of c.verdict.reasons) lines.push(`reason     ${r.code}: ${r.message}`);
  }
  for (const f of c.flags) lines.push(`flag       ${f.code}: ${f.message}`);
  if (c.reports.length) {
    lines.push(
      '',
      table(
        ['REPORT', 'BACKEND', 'CLEAN', 'SQUARE ROBUST', 'TRANSFER ROBUST', 'AGREEMENT', 'FLAGS', 'CREATED'],
        c.reports.map((r) => [
          shortId(r.id),
          r.backend,
          pct(r.cleanAccuracy),
          pct(r.squareRobustAccuracy),
          pct(r.transferRobustAccuracy),
          r.agreement ? `${r.agreement.agree}/${r.agreement.count}${r.agreement.ok ? '' : ' (low)'}` : '-',
          r.flags.map((f) => f.code).join(',') || '-',
          shortTime(r.createdAt),
        ]),
      ),
    );
  } else lines.push('', 'no device has reported yet');
  return lines.join('\n');
}

async function loadCheck(ctx: CliContext, ref: string): Promise<EdgeCheckFieldsFragment> {
  const id = await ctx.resolve(ref, ['EdgeCheck']);
  const node = await ctx.client.node(id);
  if (!node) throw notFound(id);
  if (node.__typename !== 'EdgeCheck') throw new CliError(ExitCode.USAGE, `${id} is a ${node.__typename}, not an edge check`);
  return node;
}

export function registerEdge(program: Command, run: Run): void {
  const edge = program.command('edge').description('edge checks: a device runs Square and transfer attacks on its own GPU (the /edge/ page)');

  edge
    .command('create')
    .description('create an edge check for a model; prints its id (the page URL goes to stderr)')
    .requiredOption('--model <model>', 'the student: a model, the job that made it, a short id or a name')
    .requiredOption('--surrogate <model>', 'a model the transfer attack crafts on; repeatable (at least one)', collect)
    .requiredOption('--eps <eps>', 'L-inf radius: 0.031 or 8/255')
    .option('--dataset <dataset>', 'the sample comes from its test split (default: the dataset the model was trained on)')
    .option('--sample-size <n>', 'test rows in the sample (server default 200)')
    .option('--attack-count <n>', 'rows Square and transfer attack (default min(sample size, 100))')
    .option('--square-queries <n>', 'Square queries per example (server default 1000)')
    .option('--pgd-steps <n>', 'PGD steps of the transfer attack (server default 10)')
    .option('--seed <n>', 'seed', '0')
    .option('--min-clean <fraction>', 'a report below this clean accuracy FAILS (0.9 or 90%)')
    .option('--min-robust <fraction>', "a report below this robust accuracy at eps (lower of Square and transfer) FAILS")
    .option('--min-agreement <fraction>', "a report whose clean predictions match the server's less often FAILS")
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ model: string; surrogate: string[]; eps: string; dataset?: string; sampleSize?: string; attackCount?: string; squareQueries?: string; pgdSteps?: string; seed: string; minClean?: string; minRobust?: string; minAgreement?: string }>();
        const eps = parseEps(o.eps, '--eps');
        const model = await resolveModel(ctx.client, o.model);
        const surrogates = [];
        for (const s of o.surrogate) surrogates.push((await resolveModel(ctx.client, s)).id);
        const datasetRef = o.dataset ?? model.datasetId;
        if (!datasetRef) throw new CliError(ExitCode.USAGE, '--dataset is required: the model was not trained on a Temper dataset');
        const check = unwrapResult(
          (
            await ctx.client.request(CreateEdgeCheckMutation, {
              input: {
                model: model.id,
                surrogates,
                dataset: await resolveDataset(ctx.client, datasetRef),
                eps,
                seed: parseIntOption(o.seed, '--seed'),
                ...(o.sampleSize ? { sampleSize: parseIntOption(o.sampleSize, '--sample-size', 1) } : {}),
                ...(o.attackCount ? { attackCount: parseIntOption(o.attackCount, '--attack-count', 1) } : {}),
                ...(o.squareQueries ? { squareQueries: parseIntOption(o.squareQueries, '--square-queries', 1) } : {}),
                ...(o.pgdSteps ? { pgdSteps: parseIntOption(o.pgdSteps, '--pgd-steps', 1) } : {}),
                ...(o.minClean ? { minCleanAccuracy: parseFraction(o.minClean, '--min-clean') } : {}),
                ...(o.minRobust ? { minRobustAccuracy: parseFraction(o.minRobust, '--min-robust') } : {}),
                ...(o.minAgreement ? { minAgreement: parseFraction(o.minAgreement, '--min-agreement') } : {}),
              },
            })
          ).createEdgeCheck,
        );
        ctx.out(check.id);
        ctx.info(`edge check ${shortId(check.id)} for "${model.name}" at eps ${epsLabel(eps)}: open ${edgePageUrl(ctx.url, check.id)} on the device (add #token=<token>, or run temper edge url ${shortId(check.id)} --with-token)`);
      }),
    );

  edge
    .command('list')
    .description('your edge checks, newest first')
    .option('--json', 'print JSON (full ids)')
    .option('--wide', 'full ids')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ json?: boolean; wide?: boolean }>();
        const checks = await collectPages(async (after) => {
          const c = (await ctx.client.request(EdgeChecksQuery, { first: 100, after })).viewer.edgeChecks;
          return { nodes: c.edges.map((e) => e.node), hasNextPage: c.pageInfo.hasNextPage, endCursor: c.pageInfo.endCursor };
        });
        if (o.json) return ctx.out(JSON.stringify(checks, null, 2));
        if (checks.length === 0) return ctx.info('no edge checks');
        ctx.out(
          table(
            ['ID', 'STATUS', 'MODEL', 'EPS', 'REPORTS', 'LATEST SQUARE ROBUST', 'CREATED'],
            checks.map((c) => {
              const eps = (c.settings as { eps?: number } | null)?.eps;
              const latest = c.reports.at(-1);
              return [o.wide ? c.id : shortId(c.id), c.checkStatus, c.model?.name ?? '(deleted)', typeof eps === 'number' ? epsLabel(eps) : '-', String(c.reports.length), latest ? pct(latest.squareRobustAccuracy) : '-', shortTime(c.createdAt)];
            }),
          ),
        );
      }),
    );

  edge
    .command('show <check>')
    .description('one edge check: settings, page URL and every device report with its flags')
    .option('--json', 'print JSON')
    .action(
      run(async (ctx, cmd) => {
        const check = await loadCheck(ctx, cmd.args[0]);
        ctx.out(cmd.opts<{ json?: boolean }>().json ? JSON.stringify(check, null, 2) : describeCheck(check, edgePageUrl(ctx.url, check.id)));
      }),
    );

  edge
    .command('url <check>')
    .description('print the page URL a device opens to run the check')
    .option('--with-token', 'append #token=<your token> (the page needs it; it stays in the browser, but the URL is a secret then)')
    .action(
      run(async (ctx, cmd) => {
        const check = await loadCheck(ctx, cmd.args[0]);
        const token = cmd.opts<{ withToken?: boolean }>().withToken ? (ctx.globals.token ?? ctx.io.env['TEMPER_TOKEN']) : undefined;
        ctx.out(edgePageUrl(ctx.url, check.id, token));
      }),
    );
}
