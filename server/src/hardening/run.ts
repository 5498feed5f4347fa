import * as tf from '@tensorflow/tfjs-core';
import { checkDatasetFits } from '@temper/edge/attacks';
import { subsetDataset, ErrorCodes, TrainingConfigError } from '@temper/edge';
import { evaluateRobustness } from '@temper/edge/evaluation';
import type { RobustnessReport } from '@temper/edge/evaluation';
import { saveClassifier, sha256Hex } from '@temper/edge/io';
import type { Classifier } from '@temper/edge';
import { runTrainingLoop } from '../training/loop.ts';
import type { HardeningJobInput, HardeningHooks, HardeningJobOutput, HardeningProgress, RunHardening } from './contract.ts';
import type { CommonParams } from './method.ts';
import { optimizerConfigOf, resolveParams, type RecipeFamily } from './params.ts';
import { getMethod } from './registry.ts';
import { describeBackend } from '../compute/backend.ts';
import { evaluationEnvironment } from '../compute/environment.ts';
import { hardeningProvenance } from './provenance.ts';
import { checkTeacher, checksTeacher, type TeacherCheckResult } from './teacher-check.ts';

/** Default number of test examples the final evaluation attacks (the contract's default). */
export const DEFAULT_EVALUATION_SIZE = 1000;

/** PGD-20 runs beside the ensemble (the evaluation's FGSM-vs-PGD check) so that weak-attack robustness is visible. */
export const PGD20 = { steps: 20, restarts: 1 } as const;

function invalid(why: string, details: Record<string, unknown> = {}): TrainingConfigError {
  return new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, why, details);
}

/** sha256 of the classifier as saveClassifier writes it (model.json, then weights.bin). */
export async function classifierSha256(c: Classifier): Promise<string> {
  const saved = await saveClassifier(c);
  return sha256Hex([new TextEncoder().encode(saved.modelJson), saved.weightsBin]);
}

/** PGD-20 and ensemble accuracies at each eps of a report, and the gap between them. */
export function weakVsStrong(report: RobustnessReport): { eps: number; pgd20: number | undefined; ensemble: number; gap: number | undefined }[] {
  return report.results.map((r) => {
    const pgd20 = report.checks.fgsmVsPgd?.find((c) => c.eps === r.eps)?.pgdRobustAccuracy;
    return { eps: r.eps, pgd20, ensemble: r.robustAccuracy, gap: pgd20 === undefined ? undefined : pgd20 - r.robustAccuracy };
  });
}

/** What training produced, before the evaluation. */
export interface TrainedHardening {
  readonly student: Classifier;
  readonly config: Record<string, unknown>;
  readonly training: HardeningJobOutput['training'] & {
    /** Teacher caching, head finetuning and the like, included in `seconds`. */
    readonly preparationSeconds: number;
    /** Loop wall time, held-out monitoring and checkpoints included (not in `seconds`). */
    readonly wallSeconds: number;
    readonly epochTerms: Record<string, number>[];
    readonly resumedFromEpoch: number;
    readonly heldOut?: { readonly cleanAccuracy: number; readonly pgdAccuracy?: number };
  };
  readonly log: string[];
}

/**
 * Resolves the method's settings (defaults with sources), prepares it (teacher caches, projection,
 * IGAM's head and discriminator) and trains it with the shared loop (progress, checkpoints,
 * resume, cancellation). `runHardening` is this plus the final evaluation.
 */
export async function trainHardening(input: HardeningJobInput, hooks: HardeningHooks = {}, lines: string[] = []): Promise<TrainedHardening> {
  const log = (line: string) => {
    lines.push(line);
    hooks.log?.(line);
  };
  const progress = (p: HardeningProgress) => hooks.onProgress?.(p);
  const def = getMethod(input.method);
  const { data, eps, epochs, seed } = input;
  const batchSize = input.batchSize ?? 128;
  if (!(typeof eps === 'number' && eps >= 0 && eps <= 1)) throw invalid(`eps must be in [0, 1] ([0,1] pixel units), got ${eps}`, { eps });
  if (!Number.isInteger(epochs) || epochs < 1) throw invalid(`epochs must be a positive integer, got ${epochs}`, { epochs });
  if (!Number.isInteger(batchSize) || batchSize < 1) throw invalid(`batchSize must be a positive integer, got ${batchSize}`, { batchSize });
  if (!Number.isInteger(seed)) throw invalid(`seed must be an integer, got ${seed}`, { seed });
  if (def.needsTeacher && !input.teacher) throw invalid(`${def.name} needs a teacher model`, { method: def.name });
  checkDatasetFits(input.student, data.train);
  if (input.teacher) checkDatasetFits(input.teacher, data.train);
  const family: RecipeFamily = data.train.channels === 1 ? 'mnist' : 'cifar';
  const { values: config, sources } = resolveParams<CommonParams>(def.name, def.params, input.params, { family, eps, epochs });
  const passes = def.passes?.(epochs, config) ?? epochs;
  const { optimizer, schedule } = optimizerConfigOf(config);
  const sampleSize = Math.min(input.evaluation?.sampleSize ?? DEFAULT_EVALUATION_SIZE, data.test.count);
  const evalEps = [...(input.evaluation?.eps ?? [eps])];
  log(`[temper] ${def.name}: ${def.title} (${def.reference}); eps ${eps}, ${epochs} epochs${passes !== epochs ? ` (${passes} passes)` : ''}, batch ${batchSize}, seed ${seed}, ${family} recipe`);
  log(`[temper] ${def.name} settings: ${Object.entries(config).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);

  let teacherCheck: TeacherCheckResult | undefined;
  if (input.teacher && checksTeacher(config)) {
    progress({ phase: 'preparing', epoch: 0, epochs: passes, step: 0, totalSteps: 0, terms: {}, message: `checking the teacher: PGD-${config.teacherCheckSteps} at eps ${eps} on ${Math.min(config.teacherCheckSize, data.test.count)} held-out examples` });
    teacherCheck = await checkTeacher(input.teacher, data.test, eps, config, hooks.signal);
    const verdict = teacherCheck.passed ? 'robust enough' : `below the ${(100 * teacherCheck.minRobustAccuracy).toFixed(0)}% floor, used because forceTeacher is set`;
    const line = `teacher at eps ${eps}: clean ${(100 * teacherCheck.cleanAccuracy).toFixed(1)}%, ${teacherCheck.attack} ${(100 * teacherCheck.pgdAccuracy).toFixed(1)}% on ${teacherCheck.examples} held-out examples (${verdict})`;
    log(`[temper] ${def.name}: ${line}`);
    progress({ phase: 'preparing', epoch: 0, epochs: passes, step: 0, totalSteps: 0, terms: { teacherClean: teacherCheck.cleanAccuracy, teacherPgd: teacherCheck.pgdAccuracy }, message: line });
  }

  progress({ phase: 'preparing', epoch: 0, epochs: passes, step: 0, totalSteps: 0, terms: {}, message: `preparing ${def.name}` });
  const prepStart = performance.now();
  const run = await def.create({ student: input.student, teacher: input.teacher, data, eps, config, seed, batchSize, epochs: passes, log, signal: hooks.signal });
  const prepSeconds = (performance.now() - prepStart) / 1000;
  if (prepSeconds > 0.5) log(`[temper] ${def.name}: preparation took ${prepSeconds.toFixed(1)} s`);

  let loop;
  try {
    loop = await runTrainingLoop({
      stepper: run,
      data,
      epochs: passes,
      batchSize,
      seed,
      optimizer,
      schedule,
      monitor: { size: config.monitorSize, pgd: config.monitorPgdSteps > 0 ? { eps, steps: config.monitorPgdSteps } : undefined },
      progressEvery: 10,
      signal: hooks.signal,
      checkpoints: hooks.checkpoints,
      runIdentity: { method: def.name, eps, epochs, config },
      log,
      onProgress: (p) =>
        progress({
          phase: 'training',
          epoch: p.epoch,
          epochs: p.epochs,
          step: p.step,
          totalSteps: p.totalSteps,
          terms: p.terms,
          learningRate: p.learningRate,
          examplesPerSecond: p.examplesPerSecond,
          etaSeconds: p.etaSeconds,
          heldOutCleanAccuracy: p.heldOutAccuracy,
          heldOutPgdAccuracy: p.heldOutPgdAccuracy,
        }),
    });
  } finally {
    run.dispose();
  }
  const trainSeconds = prepSeconds + loop.trainSeconds;
  const loopResult = loop;
  log(
    `[temper] ${def.name}: trained ${loop.steps} steps (${loop.updates} updates) in ${loop.trainSeconds.toFixed(1)} s of steps + ${prepSeconds.toFixed(1)} s preparation ` +
      `(${loop.seconds.toFixed(1)} s wall with monitoring), ${loop.examplesPerSecond.toFixed(0)} examples/s` +
      (loop.heldOut ? `; held-out clean ${(100 * loop.heldOut.cleanAccuracy).toFixed(1)}%${loop.heldOut.pgdAccuracy !== undefined ? `, PGD-${config.monitorPgdSteps} ${(100 * loop.heldOut.pgdAccuracy).toFixed(1)}%` : ''}` : ''),
  );

  return {
    student: run.student,
    config: {
      method: def.name,
      eps,
      epochs,
      passes,
      batchSize,
      seed,
      recipeFamily: family,
      params: config,
      sources,
      attackBatchNorm: def.attackBatchNorm,
      optimizer,
      schedule,
      evaluation: { eps: evalEps, attacks: input.evaluation?.attacks ?? 'standard', sampleSize, pgd: PGD20 },
      ...(teacherCheck ? { teacherCheck } : {}),
      backend: tf.getBackend(),
      backendDetails: describeBackend(),
      tfjsVersion: tf.version_core,
    },
    training: {
      seconds: trainSeconds,
      examplesPerSecond: loopResult.examplesPerSecond,
      epochs: passes,
      steps: loopResult.steps,
      finalTerms: loopResult.finalTerms,
      preparationSeconds: prepSeconds,
      wallSeconds: loopResult.seconds,
      epochTerms: loopResult.epochTerms,
      resumedFromEpoch: loopResult.resumedFromEpoch,
      heldOut: loopResult.heldOut,
    },
    log: lines,
  };
}

/**
 * Runs one hardening job (the contract's RunHardening): `trainHardening`, then the standard
 * ensemble with PGD-20 beside it (the evaluation's FGSM-vs-PGD check) on the first `sampleSize`
 * test examples, the same examples for every method.
 */
export const runHardening: RunHardening = async (input: HardeningJobInput, hooks: HardeningHooks = {}): Promise<HardeningJobOutput> => {
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    hooks.log?.(line);
  };
  const progress = (p: HardeningProgress) => hooks.onProgress?.(p);
  const trained = await trainHardening(input, hooks, lines);
  const { student, training } = trained;
  const evalConfig = trained.config.evaluation as { eps: number[]; sampleSize: number };
  const sampleSize = evalConfig.sampleSize;
  const passes = training.epochs;
  const loop = { steps: training.steps, finalTerms: training.finalTerms };
  const seed = input.seed;
  const def = getMethod(input.method);
  const evalEps = evalConfig.eps;
  const data = input.data;
  const evalSet = subsetDataset(data.test, Array.from({ length: sampleSize }, (_, i) => i));
  let lastEvalEvent = 0;
  const evaluation = await evaluateRobustness(student, evalSet, {
    eps: evalEps,
    attacks: input.evaluation?.attacks ?? 'standard',
    modelSha256: await classifierSha256(student),
    seed,
    signal: hooks.signal,
    // The report carries a dozen fooled examples per eps (clean and adversarial images): the web app's gallery.
    keepAdversarial: true,
    checks: { randomizedForward: true, outputRange: true, zeroGradients: true, fgsmVsPgd: true, pgd: PGD20 },
    datasetSplit: { dataset: data.test.name, split: 'test', firstExamples: sampleSize, trainExamples: data.train.count, testExamples: data.test.count },
    environment: evaluationEnvironment(),
    hardening: hardeningProvenance(trained),
    onProgress: (e) => {
      const now = performance.now();
      if (now - lastEvalEvent < 500) return;
      lastEvalEvent = now;
      const a = e.attackProgress;
      progress({
        phase: 'evaluating',
        epoch: passes,
        epochs: passes,
        step: loop.steps,
        totalSteps: loop.steps,
        terms: loop.finalTerms,
        message: e.phase === 'attack' ? `${e.attack} at eps ${e.eps}${a ? `: ${a.samplesDone}/${a.samplesTotal}` : ''}` : e.phase,
      });
    },
  });
  const report = evaluation.report;
  for (const g of weakVsStrong(report)) {
    log(
      `[temper] ${def.name} at eps ${g.eps}: clean ${(100 * report.cleanAccuracy).toFixed(1)}%, PGD-20 ${g.pgd20 === undefined ? 'n/a' : `${(100 * g.pgd20).toFixed(1)}%`}, ` +
        `ensemble ${(100 * g.ensemble).toFixed(1)}%${g.gap !== undefined ? ` (PGD-20 minus ensemble: ${(100 * g.gap).toFixed(1)} points)` : ''} on ${sampleSize} test examples`,
    );
  }
  for (const f of report.flags) log(`[temper] evaluation flag ${f.code}: ${f.message}`);

  return {
    student,
    config: trained.config,
    training: { seconds: training.seconds, examplesPerSecond: training.examplesPerSecond, epochs: training.epochs, steps: training.steps, finalTerms: training.finalTerms },
    report,
    log: lines,
  };
};
