import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ErrorCodes, ModelCompatibilityError } from '../errors.ts';
import type { Classifier } from '../models/classifier.ts';
import { applyPreprocessing } from '../models/preprocessing.ts';

type Layer = tfl.layers.Layer;

/** The layer name that marks the representation explicitly, as the zoo and users can do. */
export const FEATURES_LAYER_NAME = 'features';

/**
 * Layers that are the identity at inference and only add noise in training. The representation
 * RRM matches is the one before them, so the search looks through them.
 */
const NOISE_LAYERS = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianDropout', 'GaussianNoise', 'AlphaDropout']);

/**
 * The feature layer of a logits model: `requested` if given, else the layer named "features",
 * else the layer feeding the last Dense (looking through dropout/noise layers).
 */
export function findFeatureLayer(model: tfl.LayersModel, requested?: string): string {
  const names = model.layers.map((l) => l.name);
  const none = (message: string, details: Record<string, unknown> = {}) =>
    new ModelCompatibilityError(ErrorCodes.MODEL_NO_FEATURE_LAYER, message, { layers: names, ...details });
  if (requested !== undefined) {
    if (!names.includes(requested)) throw none(`The model has no layer named "${requested}" to use as its feature layer.`, { requested });
    return requested;
  }
  if (names.includes(FEATURES_LAYER_NAME)) return FEATURES_LAYER_NAME;

  const dense = [...model.layers].reverse().find((l) => l.getClassName() === 'Dense');
  if (!dense) {
    throw none(
      `The model has no layer named "${FEATURES_LAYER_NAME}" and no Dense layer whose input could serve as its feature layer. ` +
        `Name the penultimate layer "${FEATURES_LAYER_NAME}" and re-export.`,
    );
  }
  let source: Layer | undefined = dense.inboundNodes[0]?.inboundLayers[0];
  while (source && NOISE_LAYERS.has(source.getClassName())) source = source.inboundNodes[0]?.inboundLayers[0];
  if (!source || source.getClassName() === 'InputLayer' || !names.includes(source.name)) {
    throw none(
      `The last Dense layer "${dense.name}" reads the model input directly, so the model has no hidden representation to use as features.`,
      { dense: dense.name },
    );
  }
  return source.name;
}

const featureModels = new WeakMap<tfl.LayersModel, { layer: string; model: tfl.LayersModel }>();

/**
 * A model over the same (preprocessed) input as `c.model` with outputs [features, logits]. It
 * shares all weights with `c.model` and is cached per classifier: do not dispose it (disposing
 * `c.model` frees the weights).
 */
export function featureModel(c: Classifier): tfl.LayersModel {
  const cached = featureModels.get(c.model);
  if (cached && cached.layer === c.featureLayer) return cached.model;
  let features: tfl.SymbolicTensor;
  try {
    features = c.model.getLayer(c.featureLayer).output as tfl.SymbolicTensor;
  } catch (e) {
    throw new ModelCompatibilityError(
      ErrorCodes.MODEL_NO_FEATURE_LAYER,
      `Feature layer "${c.featureLayer}" cannot be tapped: ${(e as Error).message}`,
      { featureLayer: c.featureLayer },
      { cause: e },
    );
  }
  const model = tfl.model({ inputs: c.model.inputs, outputs: [features, c.model.outputs[0]] });
  featureModels.set(c.model, { layer: c.featureLayer, model });
  return model;
}

/** Features (flattened to [batch, d]) and logits for [0,1] NHWC images, like `logits()` in classifier.ts. */
export function featuresAndLogits(c: Classifier, x: tf.Tensor, training = false): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  const fm = featureModel(c);
  const [features, logits] = tf.tidy(() => {
    const [f, l] = fm.apply(applyPreprocessing(x, c.preprocessing), { training }) as tf.Tensor[];
    return [tf.reshape(f, [f.shape[0], -1]) as tf.Tensor2D, l as tf.Tensor2D];
  });
  return { features, logits };
}
