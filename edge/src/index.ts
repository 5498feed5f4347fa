/**
 * @temper/edge: the isomorphic core. Everything here runs wherever tfjs runs (Node, browsers,
 * workers); nothing imports Node-only modules.
 */
export * from './errors.ts';
export { Rng, type RngState } from './util/random.ts';

// Data and models.
export { batchTensors, imageSize, subsetDataset, type DatasetSplit, type ImageDataset } from './data/dataset.ts';
export { logits, predictClasses, type Classifier } from './models/classifier.ts';
export { applyPreprocessing, describePreprocessing, UNIT_PREPROCESSING, validatePreprocessing, type Preprocessing } from './models/preprocessing.ts';
export { datasetAccuracy, predictDataset } from './models/accuracy.ts';
export { crossEntropy, crossEntropyPerExample, logSoftmax, logSumExp } from './models/losses.ts';
export { registerSecondOrderGradients } from './models/second-order.ts';
export { createZooClassifier, getZooArchitecture, ZOO, zooArchitectureNames, type ZooArchitecture, type ZooOptions } from './zoo/index.ts';
export * from './io/index.ts';

// Compute.
export { registerWasmTrainingKernels, WASM_REPLACED_KERNELS, WASM_TRAINING_KERNELS } from './kernels/index.ts';

// Attacks and evaluation.
export * from './attacks/index.ts';
export * from './evaluation/index.ts';

// On-device robustness checks (the edge evaluator).
export * from './device/index.ts';
