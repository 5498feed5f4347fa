import { Command, CommanderError } from 'commander';
import { WhoAmIQuery } from '../sdk/operations.ts';
import { registerJobCreation } from './commands/jobs-create.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerResults } from './commands/results.ts';
import { registerUpload } from './commands/upload.ts';
import { registerModels } from './commands/models.ts';
import { registerDatasets } from './commands/datasets.ts';
import { registerEvaluations } from './commands/evaluations.ts';
import { registerEdge } from './commands/edge.ts';
import { CliContext, DEFAULT_URL, type CliIO, type GlobalOptions } from './context.ts';
import { describeFailure, ExitCode, type ExitCodeValue } from './exit-codes.ts';

/** The CLI's version (the SDK and server share Temper's version line). */
export const CLI_VERSION = '0.1.0';

const EXIT_CODE_HELP = `
Connection: --url/--token, or TEMPER_URL/TEMPER_TOKEN (default url ${DEFAULT_URL}).
Results go to stdout (ids, tables, JSON); progress and messages to stderr.
Ids: the full id, the short id tables show (or any unique prefix of it, 4+ characters), or a name.
Radii: 0.031 or 8/255.

Exit codes:
  0  success (gate: every threshold holds)     6  request refused by the server (code printed)
  1  unexpected error                          7  job failed
  2  bad command line or unreadable file       8  job cancelled
  3  server unreachable                        9  gate: a threshold failed
  4  no token / token refused                 10  job not finished yet (use --wait)
  5  unknown id                              130  interrupted: detached, the job keeps running`;

/**
 * Runs one `temper` command line and resolves with its exit code (never exits the process: tests
 * run it in-process, bin/temper exits with the code).
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCodeValue> {
  const contexts: CliContext[] = [];
  const program = new Command('temper')
    .description('Temper: harden TensorFlow.js models against adversarial examples, and gate CI on robustness.')
    .version(CLI_VERSION, '-V, --version')
    .option('--url <url>', 'server URL (env TEMPER_URL)')
    .option('--token <token>', 'API token (env TEMPER_TOKEN)')
    .option('--progress-interval <seconds>', 'without a terminal: least seconds between progress lines (env TEMPER_PROGRESS_INTERVAL, default 10)')
    .addHelpText('after', EXIT_CODE_HELP)
    .showHelpAfterError('(temper --help lists the commands)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(s) });
  program.enablePositionalOptions(false);

  const run =
    (fn: (ctx: CliContext, cmd: Command) => Promise<void>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      const ctx = new CliContext(io, cmd.optsWithGlobals<GlobalOptions>());
      contexts.push(ctx);
      await fn(ctx, cmd);
    };

  program
    .command('whoami')
    .description('check the connection and the token: prints the owner name and the server version')
    .action(
      run(async (ctx) => {
        const r = await ctx.client.request(WhoAmIQuery);
        ctx.info(`server ${ctx.client.endpoint}: Temper ${r.serverInfo.version}, backend ${r.serverInfo.backend ?? 'starting'}, ${r.serverInfo.runningJobs} running / ${r.serverInfo.queuedJobs} queued job(s)`);
        ctx.out(r.viewer.name);
      }),
    );
  registerUpload(program, run);
  registerJobCreation(program, run);
  registerJobs(program, run);
  registerResults(program, run);
  registerModels(program, run);
  registerDatasets(program, run);
  registerEvaluations(program, run);
  registerEdge(program, run);
  for (const c of program.commands) c.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError(`(temper ${c.name()} --help for its options)`);
  for (const c of program.commands.flatMap((c) => c.commands)) c.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError(`(temper ${c.parent?.name()} ${c.name()} --help for its options)`);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.OK;
      // A command group without its subcommand prints help (commander.executeSubCommandAsync et al.).
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const { exitCode, message } = describeFailure(e);
    io.stderr.write(`temper: ${message}\n`);
    return exitCode;
  } finally {
    for (const c of contexts) c.dispose();
  }
}
