import { subsetDataset } from '@temper/edge';
import { evaluateRobustness, type AttackSpec } from '@temper/edge/evaluation';
import type { JobRunner } from './job-context.ts';
import { loadStoredDataset, loadStoredModel } from './worker-inputs.ts';
import { evaluationEnvironment } from '../compute/environment.ts';
import { DEFAULT_SPLIT_SEED } from '../datasets/index.ts';

const DEFAULT_SAMPLE_SIZE = 1000;

/** evaluateModel: the attack ensemble at every eps on the first `sampleSize` test examples. */
export const runEvaluation: JobRunner = async (ctx) => {
  const { job } = ctx;
  const input = job.input as { eps: number[]; attacks?: { attack: string; config?: Record<string, unknown> | null }[] | null; sampleSize?: number | null };
  ctx.progress({ phase: 'preparing', message: 'loading model and dataset' }, true);
  const { classifier } = await loadStoredModel(ctx.artifacts, job.model!, 'evaluate');
  try {
    const data = await loadStoredDataset(ctx.artifacts, job.dataset);
    const n = Math.min(input.sampleSize ?? DEFAULT_SAMPLE_SIZE, data.test.count);
    const test = subsetDataset(data.test, Array.from({ length: n }, (_, i) => i), job.dataset.name);
    const attacks: 'standard' | AttackSpec[] = input.attacks?.length ? input.attacks.map((a) => ({ attack: a.attack, ...(a.config ? { config: a.config } : {}) })) : 'standard';
    const config = { eps: [...input.eps].sort((a, b) => a - b), attacks, sampleSize: n, seed: job.seed, checks: true };
    ctx.config(config);
    const evaluation = await evaluateRobustness(classifier, test, {
      eps: input.eps,
      attacks,
      modelSha256: job.model!.sha256,
      seed: job.seed,
      signal: ctx.signal,
      keepAdversarial: false,
      datasetSplit: { dataset: job.dataset.name, datasetId: job.dataset.id, split: 'test', splitSeed: job.dataset.source === 'BUILTIN' ? DEFAULT_SPLIT_SEED : 0, trainSize: job.dataset.trainSize, testSize: job.dataset.testSize, firstExamples: n },
      environment: evaluationEnvironment(),
      onProgress: (p) => {
        const ap = p.attackProgress as { done?: number; total?: number } | undefined;
        ctx.progress({
          phase: 'evaluating',
          message: [p.phase, p.eps !== undefined ? `eps ${p.eps}` : '', p.attack ?? ''].filter(Boolean).join(' '),
          step: p.epsIndex ?? 0,
          totalSteps: p.epsCount,
          ...(ap?.done !== undefined && ap.total ? { fraction: ap.done / ap.total } : {}),
        });
      },
    });
    return { report: evaluation.report as unknown as Record<string, unknown> & { cleanAccuracy: number } };
  } finally {
    classifier.model.dispose();
  }
};
