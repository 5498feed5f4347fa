import type { ImageDataset, Classifier } from '@temper/edge';
import { selectEdgeBackend, encodeEdgeSample, quantizeDataset } from '@temper/edge/device';
import { saveClassifier, type SavedModel, sha256Hex } from '@temper/edge/io';
import { predictDataset, createZooClassifier } from '@temper/edge';
import { loadDataset, train, naturalLoss } from '@temper/server';

/**
 * What the server side of an edge check holds, built for real: the zoo CNN (the student) and the zoo MLP
 * (the surrogate) trained naturally on real MNIST on wasm, saved as tfjs files, and the binary sample
 * with the server's wasm predictions on its quantized images. Small, for the shared 2-core machines.
 */
export interface EdgeServerSide {
  readonly student: Classifier;
  readonly surrogate: Classifier;
  readonly studentFiles: SavedModel;
  readonly surrogateFiles: SavedModel;
  readonly studentSha256: string;
  readonly surrogateSha256: string;
  /** The quantized test rows the sample holds. */
  readonly test: ImageDataset;
  readonly serverPredictions: Int32Array;
  readonly sampleBytes: Uint8Array;
  readonly studentTestAccuracy: number;
}

export async function buildEdgeServerSide(options: { sampleSize: number; trainSize?: number; seed?: number }): Promise<EdgeServerSide> {
  const seed = options.seed ?? 1;
  await selectEdgeBackend({ backend: 'wasm' });
  const split = await loadDataset('mnist', { trainSize: options.trainSize ?? 3000, testSize: options.sampleSize, seed });
  const test = quantizeDataset(split.test);
  const student = createZooClassifier('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed });
  const surrogate = createZooClassifier('mlp', { inputShape: [28, 28, 1], numClasses: 10, seed: seed + 1 });
  const common = { data: { ...split, test }, loss: naturalLoss, epochs: 1, batchSize: 64, seed, optimizer: { kind: 'adam' as const, learningRate: 0.002 }, monitorSize: 50 };
  const trained = await train({ ...common, student });
  await train({ ...common, student: surrogate });
  const serverPredictions = await predictDataset(student, test);
  const sampleBytes = encodeEdgeSample({ ...test, images: test.images, serverPredictions });
  const studentFiles = await saveClassifier(student);
  const surrogateFiles = await saveClassifier(surrogate);
  const hash = (m: SavedModel) => sha256Hex([new TextEncoder().encode(m.modelJson), m.weightsBin]);
  return {
    student,
    surrogate,
    studentFiles,
    surrogateFiles,
    studentSha256: await hash(studentFiles),
    surrogateSha256: await hash(surrogateFiles),
    test,
    serverPredictions,
    sampleBytes,
    studentTestAccuracy: trained.testAccuracy,
  };
}
