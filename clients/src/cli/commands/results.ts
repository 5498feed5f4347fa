import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import type { Command } from 'commander';
import { notFound } from '../../sdk/client.ts';
import type { CliContext } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { formatReport, reportJson } from '../report.ts';
import { evaluateGate } from '../gate.ts';
import { junitXml } from '../junit.ts';
import { parseFraction, parseNumberList } from '../format.ts';
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

export function registerResults(program: Command, run: Run): void {
  program
    .command('report <job-or-evaluation>')
    .description('the robustness report of a hardening or evaluation job (or an evaluation) as a table')
    .option('--json', 'print JSON instead')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per number)')
    .option('--wait', 'wait for an unfinished job')
    .option('--on-interrupt <action>', 'what Ctrl-C/SIGTERM does while waiting: ask, cancel, detach')
    .action(
      run(async (ctx, cmd) => {
        const [id] = cmd.args;
        const o = cmd.opts<{ json?: boolean; junit?: string; wait?: boolean; onInterrupt?: string }>();
        const { job, evaluation } = await loadEvaluation(ctx, id, {
          wait: o.wait,
          onInterrupt: interruptOption(o.onInterrupt),
          onJob: (j) => ctx.out(o.json ? JSON.stringify(reportJson(j, null), null, 2) : formatReport(j, null)),
        });
        if (o.junit) await writeJunit(o.junit, junitXml(job, evaluation));
        ctx.out(o.json ? JSON.stringify(reportJson(job, evaluation), null, 2) : formatReport(job, evaluation));
      }),
    );

  program
    .command('gate <job-or-evaluation>')
    .description('exit 0 when every threshold holds; 9 and a one-line reason when one fails')
    .option('--min-robust <fraction>', 'least worst-case robust accuracy (0.85 or 85%), at every eps of the report or at --eps')
    .option('--min-clean <fraction>', 'least clean accuracy')
    .option('--attack <ensemble>', 'the ensemble the robust accuracy must come from: standard or a comma list of attacks')
    .option('--eps <list>', 'radii --min-robust applies at (default: every eps of the report)')
    .option('--json', 'print the checks as JSON')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per threshold)')
    .option('--wait', 'wait for an unfinished job')
    .option('--on-interrupt <action>', 'what Ctrl-C/SIGTERM does while waiting: ask, cancel, detach')
    .action(
      run(async (ctx, cmd) => {
        const [id] = cmd.args;
        const o = cmd.opts<{ minRobust?: string; minClean?: string; attack?: string; eps?: string; json?: boolean; junit?: string; wait?: boolean; onInterrupt?: string }>();
        if (o.minRobust === undefined && o.minClean === undefined) throw new CliError(ExitCode.USAGE, 'gate needs a threshold: --min-robust and/or --min-clean');
        const options = {
          ...(o.minRobust !== undefined ? { minRobust: parseFraction(o.minRobust, '--min-robust') } : {}),
          ...(o.minClean !== undefined ? { minClean: parseFraction(o.minClean, '--min-clean') } : {}),
          ...(o.attack ? { attack: o.attack } : {}),
          ...(o.eps ? { eps: parseNumberList(o.eps, '--eps') } : {}),
        };
        const { job, evaluation } = await loadEvaluation(ctx, id, { wait: o.wait, onInterrupt: interruptOption(o.onInterrupt) });
        if (!evaluation) throw new CliError(ExitCode.REJECTED, `${id} has no robustness evaluation to gate on (a ${job?.type ?? 'job'})`);
        const result = evaluateGate(evaluation, options);
        if (o.junit) await writeJunit(o.junit, junitXml(job, evaluation, result.checks));
        if (o.json) ctx.out(JSON.stringify({ passed: result.passed, reason: result.reason, checks: result.checks, evaluation: evaluation.id, job: job?.id ?? null }, null, 2));
        if (!result.passed) throw new CliError(ExitCode.GATE_FAILED, result.reason);
        if (!o.json) ctx.out(result.reason);
      }),
    );

  program
    .command('download <model-or-job> <dir>')
    .description('download a model (or the model a job produced) into a directory, checking each SHA-256')
    .action(
      run(async (ctx, cmd) => {
        const [id, dir] = cmd.args;
        const ref = await resolveModel(ctx.client, id);
        const model = await ctx.client.node(ref.id);
        if (!model || model.__typename !== 'Model') throw notFound(ref.id);
        const files = await ctx.client.downloadModel(model);
        await mkdir(dir, { recursive: true });
        for (const f of files) {
          // Names come from the server; never let one climb out of the target directory.
          const rel = normalize(f.name);
          if (isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) throw new CliError(ExitCode.ERROR, `refusing to write the file name "${f.name}"`);
          const path = join(dir, rel);
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, f.bytes);
          ctx.out(path);
        }
        ctx.info(`downloaded "${model.name}" (${model.id}): ${files.length} file(s), ${files.reduce((s, f) => s + f.bytes.byteLength, 0)} bytes, sha256 checked`);
      }),
    );
}
