/**
 * A model trained on [0,255] pixels (as many Keras MNIST models are), uploaded as plain tfjs
 * files with no Temper metadata, reaches its real accuracy once its preprocessing is declared:
 * Temper keeps every image in [0,1] and scales inside the forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '@temper/edge/io';
import { datasetAccuracy, createZooClassifier } from '@temper/edge';
import { initTestBackend, loadDataset, train, naturalLoss } from '@temper/server';

beforeAll(async () => {
  await initTestBackend();
});

async function plainTfjsFiles(model: import('@tensorflow/tfjs-layers').LayersModel): Promise<{ modelJson: string; shards: Record<string, Uint8Array> }> {
  let out: { modelJson: string; shards: Record<string, Uint8Array> } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = {
        format: 'layers-model',
        generatedBy: 'keras v2.15.0',
        convertedBy: 'TensorFlow.js Converter v4.22.0',
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }],
      };
      out = { modelJson: JSON.stringify(json), shards: { 'group1-shard1of1.bin': new Uint8Array(a.weightData as ArrayBuffer) } };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

describe('a [0,255] model', () => {
  it('reaches its real MNIST accuracy with byte preprocessing, and not without', async () => {
    const data = await loadDataset('mnist', { trainSize: 4000, testSize: 1000, seed: 3 });
    // Train an MLP, then fold the 1/255 into its first layer: the result is a model whose layers
    // take [0,255] pixels, exactly what a Keras model trained on raw bytes computes.
    const trained = createZooClassifier('mlp', { inputShape: [28, 28, 1], numClasses: 10, seed: 5 });
    await train({ student: trained, data, loss: naturalLoss, epochs: 2, batchSize: 64, seed: 5, optimizer: { kind: 'adam', learningRate: 1e-3 } });
    const first = trained.model.getLayer('hidden');
    const [kernel, bias] = first.getWeights();
    const scaled = tf.div(kernel, 255);
    first.setWeights([scaled, bias]);
    scaled.dispose();
    const byteModel = { ...trained, preprocessing: { kind: 'byte' as const } };
    const realAccuracy = await datasetAccuracy(byteModel, data.test);
    expect(realAccuracy).toBeGreaterThan(0.9);

    const files = await plainTfjsFiles(trained.model);
    const declared = await loadClassifier({ ...files, preprocessing: { kind: 'byte' }, expect: { inputShape: [28, 28, 1], numClasses: 10 } });
    expect(declared.info.preprocessing).toEqual({ kind: 'byte' });
    const declaredAccuracy = await datasetAccuracy(declared.classifier, data.test);
    expect(Math.abs(declaredAccuracy - realAccuracy)).toBeLessThan(1e-9);

    // The same files read as [0,1] inputs see images 255x too dark: the accuracy collapses.
    const undeclared = await loadClassifier({ ...files, expect: { inputShape: [28, 28, 1], numClasses: 10 } });
    const wrongAccuracy = await datasetAccuracy(undeclared.classifier, data.test);
    expect(wrongAccuracy).toBeLessThan(realAccuracy - 0.3);
    console.log(`[0,255] MLP: ${(100 * declaredAccuracy).toFixed(2)}% with byte preprocessing, ${(100 * wrongAccuracy).toFixed(2)}% if read as [0,1]`);
    for (const m of [trained.model, declared.classifier.model, undeclared.classifier.model]) m.dispose();
  });
});
