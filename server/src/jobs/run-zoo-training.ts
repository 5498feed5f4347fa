import { createZooClassifier } from '@temper/edge';
import { trainZooModel } from '../training/train-zoo-model.ts';
import type { JobRunner } from './job-context.ts';
import { loadStoredDataset, storeClassifier } from './worker-inputs.ts';

/**
 * createZooModel: a fresh zoo model for the dataset's shape, trained naturally when epochs > 0.
 * No checkpoints: a retried or resumed zoo job starts over (it is the cheap kind of job).
 */
export const runZooTraining: JobRunner<'TRAIN_ZOO'> = async (ctx) => {
  const { job } = ctx;
  const input = job.input;
  const d = job.dataset;
  const batchSize = input.batchSize ?? 128;
  ctx.config({ architecture: input.architecture, epochs: input.epochs, batchSize, seed: job.seed, featureWidth: input.featureWidth ?? 'architecture default', optimizer: { kind: 'adam', learningRate: 1e-3 }, dataset: d.name });
  if (input.epochs === 0) {
    const classifier = createZooClassifier(input.architecture, { inputShape: [d.height, d.width, d.channels], numClasses: d.numClasses, featureWidth: input.featureWidth ?? undefined, seed: job.seed });
    try {
      return { model: await storeClassifier(ctx.artifacts, classifier, input.architecture) };
    } finally {
      classifier.model.dispose();
    }
  }
  ctx.progress({ phase: 'preparing', message: 'loading dataset' }, true);
  const data = await loadStoredDataset(ctx.artifacts, d);
  const { classifier, record } = await trainZooModel(
    {
      architecture: input.architecture,
      data,
      epochs: input.epochs,
      batchSize,
      seed: job.seed,
      featureWidth: input.featureWidth ?? undefined,
      progressEvery: 5,
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress(
          {
            phase: 'training',
            epoch: p.epoch,
            epochs: p.epochs,
            step: p.step,
            totalSteps: p.totalSteps,
            terms: p.terms,
            learningRate: p.learningRate,
            examplesPerSecond: p.examplesPerSecond,
            etaSeconds: p.etaSeconds,
            ...(p.heldOutAccuracy !== undefined ? { heldOutCleanAccuracy: p.heldOutAccuracy } : {}),
          },
          p.heldOutAccuracy !== undefined,
        ),
    },
    ctx.backend,
  );
  try {
    return { model: await storeClassifier(ctx.artifacts, classifier, input.architecture), summary: { testAccuracy: record.result.testAccuracy, seconds: record.result.seconds } };
  } finally {
    classifier.model.dispose();
  }
};
