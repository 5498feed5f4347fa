import { HARDENING_METHOD_KEYS, HARDENING_METHOD_NAMES } from '@temper/contracts';
import type { Command } from 'commander';
import type { HardeningMethod } from '../../sdk/gql/graphql.ts';
import type { CliContext } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { epsLabel, parseEps, parseEpsList, parseIntOption, parseJson, pct } from '../format.ts';
import { resolveDataset, resolveModel } from '../resolve.ts';
import { interruptOption, waitForJob } from './shared.ts';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const METHODS: readonly HardeningMethod[] = HARDENING_METHOD_KEYS;

/** "rrm", "pgd-at", "PGD_AT" -> PGD_AT. */
export function parseMethod(value: string): HardeningMethod {
  const m = value.trim().toUpperCase().replace(/-/g, '_') as HardeningMethod;
  if (!METHODS.includes(m)) throw new CliError(ExitCode.USAGE, `--method must be one of ${HARDENING_METHOD_NAMES.join(', ')}; got "${value}"`);
  return m;
}

/** "standard" (the server default) or a comma list of attack names. */
export function parseAttacks(value: string | undefined): { attack: string }[] | undefined {
  if (value === undefined || value === 'standard') return undefined;
  const list = value.split(',').map((a) => a.trim()).filter(Boolean);
  if (list.length === 0) throw new CliError(ExitCode.USAGE, '--attacks needs "standard" or a comma list of attacks');
  return list.map((attack) => ({ attack }));
}

/** Repeated `--param key=value` (values parsed as JSON when they parse, else strings). */
function collectParam(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const at = value.indexOf('=');
  if (at <= 0) throw new CliError(ExitCode.USAGE, `--param takes key=value, got "${value}"`);
  const raw = value.slice(at + 1);
  let v: unknown = raw;
  try {
    v = JSON.parse(raw);
  } catch {
    /* a plain string */
  }
  return { ...previous, [value.slice(0, at)]: v };
}

const WAIT = '--wait';
const WAIT_HELP = 'follow the job to its end with live progress (exit code tells how it ended)';
const INTERRUPT_HELP = 'what Ctrl-C/SIGTERM does while waiting: ask (terminal default), cancel, detach (default without a terminal)';

export function registerJobCreation(program: Command, run: Run): void {
  const zoo = program.command('zoo').description('models built from the zoo architectures');
  zoo
    .command('create')
    .description('build (and with --epochs, train) a zoo model; prints the job id (its model: `temper jobs show <job> --field resultModel.id`)')
    .requiredOption('--architecture <name>', 'mlp, cnn, cnn-wide or resnet (serverInfo.zooArchitectures)')
    .requiredOption('--dataset <id-or-name>', 'fixes the input shape and classes; the training data')
    .option('--epochs <n>', 'natural training epochs (0: initialized only)', '0')
    .option('--batch-size <n>', 'training batch size')
    .option('--feature-width <n>', 'width of the feature layer')
    .option('--name <name>', 'model name')
    .option('--seed <n>', 'seed', '0')
    .option(WAIT, WAIT_HELP)
    .option('--on-interrupt <action>', INTERRUPT_HELP)
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ architecture: string; dataset: string; epochs: string; batchSize?: string; featureWidth?: string; name?: string; seed: string; wait?: boolean; onInterrupt?: string }>();
        const onInterrupt = interruptOption(o.onInterrupt);
        const job = await ctx.client.createZooModel({
          architecture: o.architecture,
          dataset: await resolveDataset(ctx.client, o.dataset),
          epochs: parseIntOption(o.epochs, '--epochs'),
          seed: parseIntOption(o.seed, '--seed'),
          ...(o.batchSize ? { batchSize: parseIntOption(o.batchSize, '--batch-size', 1) } : {}),
          ...(o.featureWidth ? { featureWidth: parseIntOption(o.featureWidth, '--feature-width', 1) } : {}),
          ...(o.name ? { name: o.name } : {}),
        });
        ctx.out(job.id);
        ctx.info(`queued zoo job ${job.id} (${o.architecture})`);
        if (!o.wait) return;
        const done = await waitForJob(ctx, job.id, onInterrupt);
        if (done.__typename === 'ZooTrainingJob' && done.resultModel) ctx.info(`model ${done.resultModel.name}: ${done.resultModel.id}`);
      }),
    );

  program
    .command('harden')
    .description('harden a copy of a model (distillation, adversarial training, logit pairing); prints the job id')
    .requiredOption('--model <id>', 'the student: a model id, or the id of the job that made it')
    .option('--teacher <id>', 'robust teacher (KD, ARD, RSLAD, RRM, IGAM): a model or job id, or "auto" (trained for the dataset and eps as the job\'s first stage, reused later)')
    .requiredOption('--method <method>', 'rrm, rslad, ard, igam, kd, pgd-at, fast-at, free-at, trades, alp, clp, lsq, natural')
    .requiredOption('--eps <eps>', 'L-inf radius in [0,1] pixel units: 0.031 or 8/255')
    .requiredOption('--epochs <n>', 'training epochs')
    .option('--dataset <id-or-name>', 'training data (default: the dataset the student or teacher was trained on)')
    .option('--batch-size <n>', 'batch size')
    .option('--param <key=value>', 'a method parameter (lambda, beta, steps, stepSize, lr...); repeatable', collectParam)
    .option('--params <json>', 'method parameters as one JSON object')
    .option('--eval-eps <list>', 'radii of the final robustness evaluation, e.g. 2/255,8/255 (default: --eps)')
    .option('--eval-attacks <list>', 'attacks of the final evaluation: standard or a comma list (default standard)')
    .option('--eval-sample-size <n>', 'test examples the final evaluation attacks (default 1000)')
    .option('--name <name>', 'name of the hardened model')
    .option('--seed <n>', 'seed', '0')
    .option(WAIT, WAIT_HELP)
    .option('--on-interrupt <action>', INTERRUPT_HELP)
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{
          model: string;
          teacher?: string;
          method: string;
          eps: string;
          epochs: string;
          dataset?: string;
          batchSize?: string;
          param?: Record<string, unknown>;
          params?: string;
          evalEps?: string;
          evalAttacks?: string;
          evalSampleSize?: string;
          name?: string;
          seed: string;
          wait?: boolean;
          onInterrupt?: string;
        }>();
        const method = parseMethod(o.method);
        const eps = parseEps(o.eps, '--eps');
        const epochs = parseIntOption(o.epochs, '--epochs', 1);
        const onInterrupt = interruptOption(o.onInterrupt);
        const params = { ...((o.params === undefined ? {} : parseJson(o.params, '--params')) as Record<string, unknown>), ...o.param };
        const student = await resolveModel(ctx.client, o.model);
        // "auto" goes to the server as is: it trains or reuses the owner's teacher for the dataset and eps.
        const autoTeacher = o.teacher !== undefined && o.teacher.trim().toLowerCase() === 'auto';
        const teacher = o.teacher && !autoTeacher ? await resolveModel(ctx.client, o.teacher) : null;
        const datasetRef = o.dataset ?? student.datasetId ?? teacher?.datasetId;
        if (!datasetRef) throw new CliError(ExitCode.USAGE, '--dataset is required: neither the student nor the teacher was trained on a Temper dataset');
        const evaluation = {
          ...(o.evalEps ? { eps: parseEpsList(o.evalEps, '--eval-eps') } : {}),
          ...(o.evalAttacks ? { attacks: parseAttacks(o.evalAttacks) } : {}),
          ...(o.evalSampleSize ? { sampleSize: parseIntOption(o.evalSampleSize, '--eval-sample-size', 1) } : {}),
        };
        const job = await ctx.client.hardenModel({
          method,
          student: student.id,
          ...(teacher ? { teacher: teacher.id } : autoTeacher ? { teacher: 'AUTO' } : {}),
          dataset: await resolveDataset(ctx.client, datasetRef),
          eps,
          epochs,
          seed: parseIntOption(o.seed, '--seed'),
          ...(o.batchSize ? { batchSize: parseIntOption(o.batchSize, '--batch-size', 1) } : {}),
          ...(Object.keys(params).length ? { params } : {}),
          ...(Object.keys(evaluation).length ? { evaluation } : {}),
          ...(o.name ? { name: o.name } : {}),
        });
        ctx.out(job.id);
        ctx.info(`queued ${method} hardening of "${student.name}"${teacher ? ` from teacher "${teacher.name}"` : autoTeacher ? ' from an auto teacher' : ''} at eps ${epsLabel(eps)} for ${epochs} epoch(s): job ${job.id}`);
        if (!o.wait) return;
        await waitForJob(ctx, job.id, onInterrupt);
        await printOutcome(ctx, job.id);
      }),
    );

  program
    .command('eval')
    .description('evaluate a model against an attack ensemble at a list of eps; prints the job id')
    .requiredOption('--model <id>', 'a model id, or the id of the job that made it')
    .requiredOption('--dataset <id-or-name>', 'its test split is attacked')
    .requiredOption('--eps <list>', 'comma-separated L-inf radii, e.g. 0.1,0.2,0.3 or 2/255,8/255')
    .option('--attacks <list>', 'standard (APGD-CE, APGD-T, Square) or a comma list (fgsm,pgd,apgd-ce,apgd-t,apgd-dlr,square...)', 'standard')
    .option('--sample-size <n>', 'test examples attacked (default 1000)')
    .option('--seed <n>', 'seed', '0')
    .option(WAIT, WAIT_HELP)
    .option('--on-interrupt <action>', INTERRUPT_HELP)
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ model: string; dataset: string; eps: string; attacks: string; sampleSize?: string; seed: string; wait?: boolean; onInterrupt?: string }>();
        const eps = parseEpsList(o.eps, '--eps');
        const attacks = parseAttacks(o.attacks);
        const onInterrupt = interruptOption(o.onInterrupt);
        const model = await resolveModel(ctx.client, o.model);
        const job = await ctx.client.evaluateModel({
          model: model.id,
          dataset: await resolveDataset(ctx.client, o.dataset),
          eps,
          seed: parseIntOption(o.seed, '--seed'),
          ...(attacks ? { attacks } : {}),
          ...(o.sampleSize ? { sampleSize: parseIntOption(o.sampleSize, '--sample-size', 1) } : {}),
        });
        ctx.out(job.id);
        ctx.info(`queued evaluation of "${model.name}" (${o.attacks}) at eps ${eps.map((e) => epsLabel(e)).join(', ')}: job ${job.id}`);
        if (!o.wait) return;
        await waitForJob(ctx, job.id, onInterrupt);
        await printOutcome(ctx, job.id);
      }),
    );
}

/** After --wait: the result in one or two lines (stderr; `temper report` prints the whole table). */
async function printOutcome(ctx: CliContext, id: string): Promise<void> {
  const node = await ctx.client.jobOrEvaluation(id);
  if (node.__typename === 'HardeningJob' && node.resultModel) ctx.info(`hardened model "${node.resultModel.name}": ${node.resultModel.id}`);
  const ev = node.__typename === 'HardeningJob' || node.__typename === 'EvaluationJob' ? node.evaluation : null;
  if (ev) ctx.info(`clean ${pct(ev.cleanAccuracy)}; robust ${ev.epsCurve.map((p) => `${pct(p.robustAccuracy)} at eps ${epsLabel(p.eps)}`).join(', ')} (temper report ${id})`);
}
