/** Temper's model I/O: load uploaded tfjs layers models, save classifiers, tap their features. */
export { loadClassifier, type LoadClassifierInput, type ModelInfo } from './load.ts';
export { saveClassifier, WEIGHTS_FILE_NAME, type SavedModel } from './save.ts';
export { classifierFromModel, type ClassifierOptions, type ExpectedShape } from './classifier-from-model.ts';
export { featureModel, featuresAndLogits, findFeatureLayer, FEATURES_LAYER_NAME } from './feature-layer.ts';
export { TEMPER_METADATA_KEY, type TemperModelMetadata } from './metadata.ts';
export type { LoadPurpose, ModelProducer } from './model-json.ts';
export { sha256Hex } from './sha256.ts';
