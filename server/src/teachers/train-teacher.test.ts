import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTemperError } from '@temper/edge';
import { loadClassifier } from '@temper/edge/io';
import { readModelDir } from '../models/model-dir.ts';
import type { TeacherRecipe } from './recipes.ts';
import { trainTeacher } from './train-teacher.ts';

const tiny: TeacherRecipe = {
  id: 'tiny',
  dataset: 'mnist',
  split: { trainSize: 128, testSize: 32 },
  eps: 0.1,
  architecture: 'mlp',
  method: 'pgd-at',
  epochs: 2,
  batchSize: 64,
  seed: 3,
  params: { steps: 2, stepSize: 0.05, epsWarmupEpochs: 1, monitorSize: 16, monitorPgdSteps: 2 },
  evaluationSize: 8,
  target: 'none (test)',
  why: 'test',
};

describe('trainTeacher', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('survives a kill after an epoch: the second call resumes from the checkpoint and writes the teacher', async () => {
    const root = await mkdtemp(join(tmpdir(), 'temper-teacher-'));
    dirs.push(root);
    const runDir = join(root, 'run');
    const outDir = join(root, 'out');
    const controller = new AbortController();
    const first: string[] = [];
    // Abort as soon as epoch 1's checkpoint exists (the progress line follows the epoch's last step).
    const err = await trainTeacher(tiny, {
      runDir,
      outDir,
      signal: controller.signal,
      log: (l) => {
        first.push(l);
        if (l.includes('epoch 1/2: held-out')) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(isTemperError(err) && err.code).toBe('ABORTED');
    expect(JSON.parse(await readFile(join(runDir, 'checkpoint.json'), 'utf8')).epoch).toBe(1);

    const second: string[] = [];
    const r = await trainTeacher(tiny, { runDir, outDir, log: (l) => second.push(l) });
    expect(second.some((l) => l.includes('resumed from the checkpoint after epoch 1/2'))).toBe(true);
    expect(r.robustAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.robustAccuracy).toBeLessThanOrEqual(r.cleanAccuracy);
    const recipe = JSON.parse(await readFile(join(outDir, 'recipe.json'), 'utf8'));
    expect(recipe.recipe.id).toBe('tiny');
    expect(recipe.budget.trainingExamples).toBe(256);
    expect(recipe.resolvedConfig.params.epsWarmupEpochs).toBe(1);
    const report = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8'));
    expect(report.numExamples).toBe(8);
    expect(report.results[0].robustAccuracy).toBe(r.robustAccuracy);
    const progress = (await readFile(join(runDir, 'progress.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(progress.map((p) => p.epoch)).toEqual([1, 2]);
    const { classifier } = await loadClassifier({ ...(await readModelDir(outDir)), purpose: 'evaluate' });
    expect(classifier.numClasses).toBe(10);
    classifier.model.dispose();
  }, 300_000);
});
