import { subsetDataset } from '@temper/edge';
import { evaluateRobustness, type AttackSpec } from '@temper/edge/evaluation';
import { evaluationProgress } from './evaluation-progress.ts';
import type { JobRunner } from './job-context.ts';
import { loadStoredDataset, loadStoredModel } from './worker-inputs.ts';
import { evaluationEnvironment } from '../compute/environment.ts';
import { DEFAULT_SPLIT_SEED } from '../datasets/index.ts';

const DEFAULT_SAMPLE_SIZE = 1000;

/** evaluateModel: the attack ensemble at every eps on the first `sampleSize` test examples. */
export const runEvaluation: JobRunner<'EVALUATE'> = async (ctx) => {
  const { job } = ctx;
  const input = job.input;
  const model = job.model!;
  ctx.progress({ phase: 'preparing', message: 'loading model and dataset' }, true);
  const { classifier } = await loadStoredModel(ctx.artifacts, model, 'evaluate');
  try {
    const data = await loadStoredDataset(ctx.artifacts, job.dataset);
    const n = Math.min(input.sampleSize ?? DEFAULT_SAMPLE_SIZE, data.test.count);
    const test = subsetDataset(data.test, Array.from({ length: n }, (_, i) => i), job.dataset.name);
    const attacks: 'standard' | AttackSpec[] = input.attacks?.length ? input.attacks.map((a) => ({ attack: a.attack, ...(a.config ? { config: a.config } : {}) })) : 'standard';
    const config = { eps: [...input.eps].sort((a, b) => a - b), attacks, sampleSize: n, seed: job.seed, checks: true };
    ctx.config(config);
    const started = Date.now();
    const evaluation = await evaluateRobustness(classifier, test, {
      eps: input.eps,
      attacks,
      modelSha256: model.sha256,
      seed: job.seed,
      signal: ctx.signal,
      // evaluate.ts keeps the gallery's dozen fooled examples per eps either way; every adversarial batch is not needed here.
      keepAdversarial: false,
      datasetSplit: { dataset: job.dataset.name, datasetId: job.dataset.id, split: 'test', splitSeed: job.dataset.source === 'BUILTIN' ? DEFAULT_SPLIT_SEED : 0, trainSize: job.dataset.trainSize, testSize: job.dataset.testSize, firstExamples: n },
      environment: evaluationEnvironment(),
      // A stage's start and its last batch always get through the throttle: the fraction visibly reaches each stage's end.
      onProgress: (p) => ctx.progress(evaluationProgress(p, (Date.now() - started) / 1000), !p.attackProgress || p.attackProgress.samplesDone === p.attackProgress.samplesTotal),
    });
    const last = evaluation.report.epsCurve.at(-1);
    ctx.progress(
      {
        phase: 'evaluating',
        message: 'done',
        step: input.eps.length,
        totalSteps: input.eps.length,
        fraction: 1,
        etaSeconds: 0,
        ...(last ? { eps: last.eps, robustAccuracy: last.robustAccuracy } : {}),
      },
      true,
    );
    return { report: evaluation.report };
  } finally {
    classifier.model.dispose();
  }
};
