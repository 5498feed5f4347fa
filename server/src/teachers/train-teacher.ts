import { writeFile, mkdir, rename } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createZooClassifier } from '@temper/edge';
import { saveClassifier } from '@temper/edge/io';
import { describeBackend } from '../compute/backend.ts';
import { loadDataset } from '../datasets/index.ts';
import type { HardeningProgress } from '../hardening/contract.ts';
import { runHardening } from '../hardening/run.ts';
import { writeModelDir } from '../models/model-dir.ts';
import { tensorflowThreads } from '../config.ts';
import { FileCheckpointStore } from './file-checkpoint-store.ts';
import type { TeacherRecipe } from './recipes.ts';

export interface TrainTeacherOptions {
  /** Checkpoints and the progress log of the run: survives kills, resumed on the next call. */
  readonly runDir: string;
  /** Where the finished teacher goes (model.json, weights.bin, recipe.json, report.json). */
  readonly outDir: string;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

async function writeAtomic(path: string, content: string): Promise<void> {
  await writeFile(`${path}.tmp`, content);
  await rename(`${path}.tmp`, path);
}

/**
 * Trains one teacher from its recipe (resuming from the run directory's checkpoint), evaluates it
 * with the standard ensemble on the recipe's test examples, and writes the model with its recipe,
 * budget and report. The progress of every epoch goes to `<runDir>/progress.jsonl` as it happens,
 * so a run in the background can be watched and a killed one still shows how far it got.
 */
export async function trainTeacher(recipe: TeacherRecipe, o: TrainTeacherOptions): Promise<{ outDir: string; robustAccuracy: number; cleanAccuracy: number }> {
  const log = o.log ?? (() => {});
  await mkdir(o.runDir, { recursive: true });
  const data = await loadDataset(recipe.dataset, recipe.split);
  const student = createZooClassifier(recipe.architecture, {
    inputShape: [data.train.height, data.train.width, data.train.channels],
    numClasses: data.train.numClasses,
    featureWidth: recipe.featureWidth,
    widthMultiplier: recipe.widthMultiplier,
    seed: recipe.seed,
  });
  const progressFile = join(o.runDir, 'progress.jsonl');
  const started = new Date().toISOString();
  let lastEpoch = -1;
  const statusFile = join(o.runDir, 'status.json');
  let lastStatus = 0;
  const onProgress = (p: HardeningProgress) => {
    // A cheap "where is it now" for a run in the background, at most every 30 s.
    if (Date.now() - lastStatus > 30_000) {
      lastStatus = Date.now();
      void writeAtomic(statusFile, JSON.stringify({ at: new Date().toISOString(), phase: p.phase, epoch: p.epoch, epochs: p.epochs, step: p.step, totalSteps: p.totalSteps, examplesPerSecond: p.examplesPerSecond, etaSeconds: p.etaSeconds, terms: p.terms, message: p.message }));
    }
    // Epoch ends carry the held-out numbers; those are the lines worth keeping.
    if (p.phase === 'training' && p.heldOutCleanAccuracy !== undefined && p.epoch !== lastEpoch) {
      lastEpoch = p.epoch;
      const line = { at: new Date().toISOString(), epoch: p.epoch, epochs: p.epochs, step: p.step, examplesPerSecond: p.examplesPerSecond, heldOutClean: p.heldOutCleanAccuracy, heldOutPgd: p.heldOutPgdAccuracy, terms: p.terms, loadavg: loadavg()[0] };
      void writeFile(progressFile, `${JSON.stringify(line)}\n`, { flag: 'a' });
      log(`[teacher ${recipe.id}] epoch ${p.epoch}/${p.epochs}: held-out clean ${(100 * p.heldOutCleanAccuracy).toFixed(1)}%, PGD ${p.heldOutPgdAccuracy === undefined ? 'n/a' : `${(100 * p.heldOutPgdAccuracy).toFixed(1)}%`}, ${p.examplesPerSecond?.toFixed(1)} ex/s`);
    }
  };
  const out = await runHardening(
    {
      method: recipe.method,
      student,
      data,
      eps: recipe.eps,
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      seed: recipe.seed,
      params: recipe.params,
      evaluation: { eps: [recipe.eps], attacks: 'standard', sampleSize: recipe.evaluationSize },
    },
    { checkpoints: new FileCheckpointStore(o.runDir), log, onProgress, signal: o.signal },
  );
  try {
    const robust = out.report.results.find((r) => r.eps === recipe.eps)?.robustAccuracy ?? Number.NaN;
    const budget = {
      // This call's share only when it resumed: the progress file has every epoch's rate.
      trainingSeconds: out.training.seconds,
      examplesPerSecond: out.training.examplesPerSecond,
      epochs: out.training.epochs,
      steps: out.training.steps,
      trainingExamples: data.train.count * recipe.epochs,
      attackStepsPerExample: recipe.params.steps,
      evaluationSeconds: out.report.elapsedMs / 1000,
      backend: tf.getBackend(),
      backendDetails: describeBackend(),
      threads: tensorflowThreads() ?? null,
      cpus: cpus().length,
      loadAverageAtEnd: loadavg()[0],
      started,
      finished: new Date().toISOString(),
    };
    const recipeJson = { recipe, command: `npm run train:teachers -- --only ${recipe.id}`, budget, resolvedConfig: out.config, result: { cleanAccuracy: out.report.cleanAccuracy, robustAccuracy: robust, target: recipe.target } };
    await writeModelDir(o.outDir, await saveClassifier(out.student), {
      'recipe.json': JSON.stringify(recipeJson, null, 2),
      'report.json': JSON.stringify(out.report, null, 2),
      'training-log.txt': `${out.log.join('\n')}\n`,
    });
    await writeAtomic(join(o.runDir, 'done.json'), JSON.stringify({ outDir: o.outDir, cleanAccuracy: out.report.cleanAccuracy, robustAccuracy: robust }, null, 2));
    return { outDir: o.outDir, robustAccuracy: robust, cleanAccuracy: out.report.cleanAccuracy };
  } finally {
    out.student.model.dispose();
  }
}
