import * as tf from '@tensorflow/tfjs-core';
import type { Classifier } from '../models/classifier.ts';
import { isJsonObject } from './json.ts';
import { TEMPER_METADATA_KEY, temperMetadata } from './metadata.ts';

export interface SavedModel {
  /** A tfjs layers-model model.json whose manifest names the single shard "weights.bin". */
  readonly modelJson: string;
  readonly weightsBin: Uint8Array;
}

/** The one shard name Temper writes; a plain file name, so it passes Temper's own path checks. */
export const WEIGHTS_FILE_NAME = 'weights.bin';

/**
 * Serializes a classifier's logits model as model.json + one weights.bin, in memory. The
 * preprocessing, feature layer and softmax provenance go into `userDefinedMetadata.temper`, so
 * `loadClassifier` restores the same Classifier without being told them again.
 */
export async function saveClassifier(c: Classifier): Promise<SavedModel> {
  let saved: SavedModel | undefined;
  await c.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const userDefinedMetadata = {
        ...(isJsonObject(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata : {}),
        [TEMPER_METADATA_KEY]: temperMetadata(c),
      };
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'Temper',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE_NAME], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata,
      };
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      saved = { modelJson: JSON.stringify(modelJson), weightsBin: new Uint8Array(weights) };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!saved) throw new Error('Internal: tfjs did not call the save handler.');
  return saved;
}
