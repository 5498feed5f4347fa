import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { notFound } from '../../sdk/client.ts';
import type { CliContext } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { formatReport, reportJson } from '../report.ts';
import { evaluateGate } from '../gate.ts';
import { junitXml } from '../junit.ts';
import { parseEpsList, parseFraction } from '../format.ts';
import { prepareDownload, targetPath } from '../download-target.ts';
import { appendStepSummary, errorCommands, githubMode, markdownSummary } from '../github.ts';
import type { GateResult } from '../gate.ts';
import type { EvaluationSummary, JobSummary } from '../report.ts';
import { resolveModel } from '../resolve.ts';
import { interruptOption, loadEvaluation } from './shared.ts';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

async function writeJunit(path: string, xml: string): Promise<void> {
  try {
    await mkdir(resolve(path, '..'), { recursive: true });
    await writeFile(path, xml);
  } catch (e) {
    throw new CliError(ExitCode.USAGE, `Cannot write ${path}: ${(e as Error).message}`);
  }
}

/** --github (or GITHUB_ACTIONS=true): the step summary table and ::error:: annotations. */
async function toGithub(ctx: CliContext, job: JobSummary | null, ev: EvaluationSummary | null, gate?: GateResult): Promise<void> {
  for (const line of errorCommands(job, gate)) ctx.info(line);
  const written = await appendStepSummary(ctx.io.env, markdownSummary(job, ev, gate));
  if (!written) ctx.info('temper: --github: GITHUB_STEP_SUMMARY is not set, so no summary table was written');
}

const GITHUB_HELP = 'GitHub Actions: append a markdown table to $GITHUB_STEP_SUMMARY and print ::error:: annotations (default when GITHUB_ACTIONS=true)';

export function registerResults(program: Command, run: Run): void {
  program
    .command('report <job-or-evaluation>')
    .description('the robustness report of a hardening or evaluation job (or an evaluation) as a table')
    .option('--json', 'print JSON instead')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per number)')
    .option('--github', GITHUB_HELP)
    .option('--wait', 'wait for an unfinished job')
    .option('--on-interrupt <action>', 'what Ctrl-C/SIGTERM does while waiting: ask, cancel, detach')
    .action(
      run(async (ctx, cmd) => {
        const [id] = cmd.args;
        const o = cmd.opts<{ json?: boolean; junit?: string; github?: boolean; wait?: boolean; onInterrupt?: string }>();
        const github = githubMode(o.github, ctx.io.env);
        const { job, evaluation } = await loadEvaluation(ctx, id, {
          wait: o.wait,
          onInterrupt: interruptOption(o.onInterrupt),
          onJob: async (j) => {
            ctx.out(o.json ? JSON.stringify(reportJson(j, null), null, 2) : formatReport(j, null));
            if (github) await toGithub(ctx, j, null);
          },
        });
        if (o.junit) await writeJunit(o.junit, junitXml(job, evaluation));
        ctx.out(o.json ? JSON.stringify(reportJson(job, evaluation), null, 2) : formatReport(job, evaluation));
        if (github) await toGithub(ctx, job, evaluation);
      }),
    );

  program
    .command('gate <job-or-evaluation>')
    .description('exit 0 when every threshold holds; 9 and a one-line reason naming every failed threshold otherwise')
    .option('--min-robust <fraction>', 'least worst-case robust accuracy (0.85 or 85%), at every eps of the report or at --eps')
    .option('--min-clean <fraction>', 'least clean accuracy')
    .option('--attack <ensemble>', 'the ensemble the robust accuracy must come from: standard or a comma list of attacks')
    .option('--eps <list>', 'radii --min-robust applies at (default: every eps of the report)')
    .option('--json', 'print the checks as JSON')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per threshold)')
    .option('--github', GITHUB_HELP)
    .option('--wait', 'wait for an unfinished job')
    .option('--on-interrupt <action>', 'what Ctrl-C/SIGTERM does while waiting: ask, cancel, detach')
    .action(
      run(async (ctx, cmd) => {
        const [id] = cmd.args;
        const o = cmd.opts<{ minRobust?: string; minClean?: string; attack?: string; eps?: string; json?: boolean; junit?: string; github?: boolean; wait?: boolean; onInterrupt?: string }>();
        const github = githubMode(o.github, ctx.io.env);
        if (o.minRobust === undefined && o.minClean === undefined) throw new CliError(ExitCode.USAGE, 'gate needs a threshold: --min-robust and/or --min-clean');
        const options = {
          ...(o.minRobust !== undefined ? { minRobust: parseFraction(o.minRobust, '--min-robust') } : {}),
          ...(o.minClean !== undefined ? { minClean: parseFraction(o.minClean, '--min-clean') } : {}),
          ...(o.attack ? { attack: o.attack } : {}),
          ...(o.eps ? { eps: parseEpsList(o.eps, '--eps') } : {}),
        };
        const { job, evaluation } = await loadEvaluation(ctx, id, { wait: o.wait, onInterrupt: interruptOption(o.onInterrupt), onJob: github ? (j) => toGithub(ctx, j, null) : undefined });
        if (!evaluation) throw new CliError(ExitCode.REJECTED, `${id} has no robustness evaluation to gate on (a ${job?.type ?? 'job'})`);
        const result = evaluateGate(evaluation, options);
        if (o.junit) await writeJunit(o.junit, junitXml(job, evaluation, result.checks));
        if (github) await toGithub(ctx, job, evaluation, result);
        if (o.json) ctx.out(JSON.stringify({ passed: result.passed, reason: result.reason, checks: result.checks, evaluation: evaluation.id, job: job?.id ?? null }, null, 2));
        if (!result.passed) throw new CliError(ExitCode.GATE_FAILED, result.reason);
        if (!o.json) ctx.out(result.reason);
      }),
    );

  program
    .command('download <model-or-job> <dir>')
    .description('download a model (or the model a job produced) into a directory, checking each SHA-256')
    .option('--force', 'replace another model already in the directory (its model.json and the shards it lists)')
    .action(
      run(async (ctx, cmd) => {
        const [ref, dir] = cmd.args;
        const { force } = cmd.opts<{ force?: boolean }>();
        const { id } = await resolveModel(ctx.client, ref);
        const model = await ctx.client.node(id);
        if (!model || model.__typename !== 'Model') throw notFound(id);
        // Refuse before downloading: a 100 MB model fetched only to be refused would waste the run.
        for (const f of model.files) targetPath(dir, f.name);
        await prepareDownload(dir, model.files, Boolean(force));
        const files = await ctx.client.downloadModel(model);
        await mkdir(dir, { recursive: true });
        for (const f of files) {
          const path = targetPath(dir, f.name);
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, f.bytes);
          ctx.out(path);
        }
        ctx.info(`downloaded "${model.name}" (${model.id}): ${files.length} file(s), ${files.reduce((s, f) => s + f.bytes.byteLength, 0)} bytes, sha256 checked`);
      }),
    );
}
