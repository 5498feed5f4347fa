import { predictDataset, subsetDataset } from '@temper/edge';
import { encodeEdgeSample, quantizeDataset } from '@temper/edge/device';
import type { JobRunner } from './job-context.ts';
import { loadStoredDataset, loadStoredModel } from './worker-inputs.ts';

/**
 * An edge check's sample: the first `sampleSize` test images, quantized, with the server's clean
 * predictions on the quantized images - exactly what the device decodes (sample-format.ts).
 */
export const runEdgeSample: JobRunner<'EDGE_SAMPLE'> = async (ctx) => {
  const { job } = ctx;
  ctx.progress({ phase: 'preparing', message: 'loading model and dataset' }, true);
  const split = await loadStoredDataset(ctx.artifacts, job.dataset);
  const count = Math.min(job.input.sampleSize, split.test.count);
  const test = quantizeDataset(subsetDataset(split.test, Array.from({ length: count }, (_, i) => i)));
  const { classifier } = await loadStoredModel(ctx.artifacts, job.model!, 'evaluate');
  let serverPredictions: Int32Array;
  try {
    ctx.progress({ phase: 'predicting', message: `clean predictions on ${count} images` }, true);
    serverPredictions = await predictDataset(classifier, test);
  } finally {
    classifier.model.dispose();
  }
  const sample = await ctx.artifacts.put(encodeEdgeSample({ ...test, images: test.images, serverPredictions }));
  return { summary: { sampleArtifact: sample.hash, count } };
};
