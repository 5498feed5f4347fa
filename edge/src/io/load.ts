import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ErrorCodes, ModelFormatError, isTemperError } from '../errors.ts';
import type { Classifier } from '../models/classifier.ts';
import type { Preprocessing } from '../models/preprocessing.ts';
import { inspectClassifier, type ExpectedShape } from './classifier-from-model.ts';
import type { JsonObject } from './json.ts';
import { assertKnownLayers } from './known-layers.ts';
import { assertTopologySound } from './topology-soundness.ts';
import { assertFloat32, entryBytes, validateManifest } from './manifest.ts';
import { readTemperMetadata } from './metadata.ts';
import { parseModelJson, type LoadPurpose, type ModelProducer } from './model-json.ts';
import { normalizeTopology } from './normalize-topology.ts';
import { sha256Hex } from './sha256.ts';
import { assembleShards, type AssembledWeights } from './shards.ts';
import { assignWeights } from './weight-names.ts';

export interface LoadClassifierInput {
  /** The uploaded model.json, as text or bytes (bytes are hashed exactly as given). */
  readonly modelJson: string | Uint8Array;
  /** Uploaded weight shards by file name, exactly the names the manifest lists. */
  readonly shards: Readonly<Record<string, Uint8Array>>;
  /** How the model expects its pixels; default: what a Temper-saved model.json records, else unit. */
  readonly preprocessing?: unknown;
  /** Overrides the feature-layer search (see findFeatureLayer). */
  readonly featureLayer?: string;
  /** The dataset's image shape and class count; mismatches are refused. */
  readonly expect?: ExpectedShape;
  /** Default 'harden'. */
  readonly purpose?: LoadPurpose;
}

export interface ModelInfo {
  readonly format: 'layers-model';
  readonly producer: ModelProducer;
  /** Keras or tfjs-layers version named in the file, if any. */
  readonly producerVersion?: string;
  /** Class of the uploaded model: Sequential, Functional or Model. */
  readonly className: string;
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  readonly parameterCount: number;
  readonly featureLayer: string;
  readonly outputsWereSoftmax: boolean;
  readonly preprocessing: Preprocessing;
  /** Hex SHA-256 of the model.json bytes followed by the shards in manifest order. */
  readonly sha256: string;
  readonly warnings: readonly string[];
}

/** Layers built on tfjs ops (maxPool, avgPool, leakyRelu) whose gradients cannot be differentiated again (DEVELOPERS.md). */
const NO_SECOND_ORDER = new Set(['MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D', 'LeakyReLU']);

/**
 * Loads an uploaded layers model from memory: model.json plus its weight shards. Nothing is
 * fetched or read from disk; manifest paths only name entries of `shards`. Every failure a user
 * can cause is a TemperError with a MODEL_* code. The caller owns `classifier.model` (dispose it).
 */
export async function loadClassifier(input: LoadClassifierInput): Promise<{ classifier: Classifier; info: ModelInfo }> {
  const purpose = input.purpose ?? 'harden';
  const parsed = parseModelJson(input.modelJson, purpose);
  const groups = validateManifest(parsed.weightsManifest);
  const weights = assembleShards(groups, input.shards);
  const { topology, warnings } = normalizeTopology(parsed.topology);
  assertKnownLayers(topology);
  assertTopologySound(topology, weights.weightSpecs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0));
  const sha256 = await sha256Hex([parsed.bytes, ...weights.orderedShards]);

  const model = await buildModel(topology);
  try {
    warnings.push(...setModelWeights(model, weights));
    const stored = readTemperMetadata(parsed.userDefinedMetadata);
    const preprocessing = input.preprocessing ?? stored?.preprocessing;
    if (input.preprocessing != null && stored?.preprocessing != null && JSON.stringify(input.preprocessing) !== JSON.stringify(stored.preprocessing)) {
      warnings.push(`The given preprocessing overrides the one recorded in model.json (${JSON.stringify(stored.preprocessing)}).`);
    }
    const featureLayer = input.featureLayer ?? (stored?.featureLayer && model.layers.some((l) => l.name === stored.featureLayer) ? stored.featureLayer : undefined);
    const inspected = inspectClassifier(model, {
      preprocessing,
      ...(featureLayer !== undefined ? { featureLayer } : {}),
      ...(input.expect ? { expect: input.expect } : {}),
    });
    warnings.push(...inspected.warnings);
    if (purpose === 'harden') {
      const blocked = layerClasses(inspected.classifier.model).filter((c) => NO_SECOND_ORDER.has(c));
      if (blocked.length > 0) {
        warnings.push(`Layers of class ${[...new Set(blocked)].join(', ')} have no second-order gradients in tfjs; methods that need them cannot train this model.`);
      }
    }

    // A Temper-saved model is already the logits twin; the file remembers what was uploaded first.
    const outputsWereSoftmax = inspected.classifier.outputsWereSoftmax || stored?.outputsWereSoftmax === true;
    const classifier: Classifier =
      outputsWereSoftmax === inspected.classifier.outputsWereSoftmax ? inspected.classifier : Object.freeze({ ...inspected.classifier, outputsWereSoftmax });
    const info: ModelInfo = Object.freeze({
      format: 'layers-model',
      producer: parsed.producer,
      ...(parsed.producerVersion !== undefined ? { producerVersion: parsed.producerVersion } : {}),
      className: inspected.className,
      inputShape: classifier.inputShape,
      numClasses: classifier.numClasses,
      parameterCount: inspected.parameterCount,
      featureLayer: classifier.featureLayer,
      outputsWereSoftmax,
      preprocessing: classifier.preprocessing,
      sha256,
      warnings: Object.freeze([...warnings]),
    });
    return { classifier, info };
  } catch (e) {
    // inspectClassifier throws before it rewires anything, so the built model is still whole here.
    model.dispose();
    throw e;
  }
}

/**
 * Writes the manifest's values into the model's variables. Names are matched here rather than by
 * tfjs' loadWeights, which cannot match Keras 3 names (see weight-names.ts). Returns warnings.
 */
function setModelWeights(model: tfl.LayersModel, weights: AssembledWeights): string[] {
  const { weightSpecs: specs } = weights;
  const assignment = assignWeights(model, specs);
  for (const i of assignment.specIndex) assertFloat32(specs[i]);
  const named = tf.io.decodeWeights(weights.weightData, specs);
  try {
    model.setWeights(assignment.specIndex.map((i) => named[specs[i].name]));
  } finally {
    tf.dispose(Object.values(named));
  }
  const { unused } = assignment;
  const warnings = nonFiniteWeightWarnings(weights);
  if (unused.length > 0) {
    warnings.push(`${unused.length} manifest weights are not used by the model and were ignored: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', …' : ''}.`);
  }
  return warnings;
}

/**
 * NaN or infinite weights (a diverged training run, a broken export) load fine and then make every
 * prediction NaN, which attacks count as "misclassified": the robustness report would be nonsense
 * without a word. Only float32 entries are read (the ones a model uses, see assertFloat32).
 */
function nonFiniteWeightWarnings(weights: AssembledWeights): string[] {
  const bad: string[] = [];
  let count = 0;
  let byteOffset = 0;
  for (const spec of weights.weightSpecs) {
    const bytes = entryBytes(spec);
    if ((spec.dtype ?? 'float32') === 'float32') {
      const n = bytes / 4;
      const values = byteOffset % 4 === 0 ? new Float32Array(weights.weightData, byteOffset, n) : new Float32Array(weights.weightData.slice(byteOffset, byteOffset + bytes));
      let inSpec = 0;
      for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) inSpec++;
      if (inSpec > 0) bad.push(spec.name);
      count += inSpec;
    }
    byteOffset += bytes;
  }
  return count === 0 ? [] : [`${count} weight values are NaN or infinite (in ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}): the model's outputs will be NaN, and no robustness number about it means anything.`];
}

/** Deserializes a normalized topology through tfjs' in-memory IOHandler (weights come separately). */
async function buildModel(topology: JsonObject): Promise<tfl.LayersModel> {
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: topology }));
  } catch (e) {
    if (isTemperError(e)) throw e;
    const message = (e as Error)?.message ?? String(e);
    const unknown = /Unknown layer: (\S+?)\.?(?:\s|$)/.exec(message);
    throw new ModelFormatError(
      unknown ? ErrorCodes.MODEL_UNKNOWN_LAYER : ErrorCodes.MODEL_INVALID_TOPOLOGY,
      `TensorFlow.js could not build the model from its topology: ${message.split('\n')[0]}`,
      { tfjsError: message, ...(unknown ? { className: unknown[1] } : {}) },
      { cause: e },
    );
  }
}

function layerClasses(model: tfl.LayersModel): string[] {
  return model.layers.flatMap((l) => (l instanceof tfl.LayersModel ? layerClasses(l) : [l.getClassName()]));
}
