import { ErrorCodes, ModelCompatibilityError, ModelFormatError } from '../errors.ts';
import { isJsonObject, preview, type JsonObject } from './json.ts';

/** Which tool wrote a layers-model model.json, as far as the file tells. */
export type ModelProducer = 'tfjs' | 'keras2' | 'keras3';

/** Why the model is being loaded; graph models are refused either way, with a message that fits. */
export type LoadPurpose = 'harden' | 'evaluate';

export interface ParsedModelJson {
  /** The exact model.json bytes (hashed into the model's sha256). */
  readonly bytes: Uint8Array;
  readonly producer: ModelProducer;
  /** Keras or tfjs-layers version the file names, when it names one. */
  readonly producerVersion?: string;
  /** The `{class_name, config}` model config (unwrapped from Keras' `model_config`). */
  readonly topology: JsonObject;
  /** True when the file carried an optimizer/loss config; Temper trains with its own, so it is dropped. */
  readonly hadTrainingConfig: boolean;
  /** Not yet validated: see `validateManifest`. */
  readonly weightsManifest: unknown;
  readonly userDefinedMetadata?: JsonObject;
}

/**
 * Parses an uploaded model.json and classifies it. Accepts tfjs `model.save` output and
 * tensorflowjs_converter output (Keras 2 and 3, with or without the `format` key that converters
 * before tfjs 1.x did not write). Only structure is checked here; weights and layers come later.
 */
export function parseModelJson(input: string | Uint8Array, purpose: LoadPurpose = 'harden'): ParsedModelJson {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ModelFormatError(ErrorCodes.MODEL_NOT_JSON, 'model.json is not UTF-8 text (was a weights shard uploaded in its place?).', {
      file: 'model.json',
      bytes: bytes.byteLength,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(ErrorCodes.MODEL_NOT_JSON, `model.json is not valid JSON: ${(e as Error).message}`, {
      file: 'model.json',
      bytes: bytes.byteLength,
    });
  }
  if (!isJsonObject(json)) {
    throw new ModelFormatError(ErrorCodes.MODEL_NOT_JSON, `model.json must hold a JSON object, got ${preview(json, 40)}.`, {
      file: 'model.json',
    });
  }

  const format = json['format'];
  const modelTopology = json['modelTopology'];
  if (format === 'graph-model' || looksLikeGraphDef(modelTopology)) {
    const why =
      purpose === 'harden'
        ? 'graph models cannot be hardened: hardening retrains the layers, and a graph model has only a frozen op graph'
        : 'graph models are not supported: Temper evaluates layers models, whose layers and feature layer it can address';
    throw new ModelCompatibilityError(
      ErrorCodes.MODEL_GRAPH_FORMAT,
      `model.json is a TensorFlow.js graph model, and ${why}. Convert the original Keras model with ` +
        '`tensorflowjs_converter --input_format keras --output_format tfjs_layers_model`, or save it from tfjs with `model.save()`.',
      { file: 'model.json', format: format ?? null, purpose },
    );
  }
  if (format !== undefined && format !== 'layers-model') {
    throw new ModelFormatError(
      ErrorCodes.MODEL_INVALID_TOPOLOGY,
      `model.json has format ${preview(format, 40)}; Temper loads "layers-model" files.`,
      { file: 'model.json', format },
    );
  }
  if (!isJsonObject(modelTopology)) {
    const bareKeras = typeof json['class_name'] === 'string' && 'config' in json;
    throw new ModelFormatError(
      ErrorCodes.MODEL_INVALID_TOPOLOGY,
      bareKeras
        ? 'model.json is a bare Keras model config (model.to_json() or the config.json inside a .keras file), without weights. ' +
            'Convert the saved model with tensorflowjs_converter to get model.json plus weight shards.'
        : 'model.json has no "modelTopology" object.',
      { file: 'model.json', keys: Object.keys(json) },
    );
  }

  const topology = isJsonObject(modelTopology['model_config']) ? modelTopology['model_config'] : modelTopology;
  if (typeof topology['class_name'] !== 'string' || !('config' in topology)) {
    throw new ModelFormatError(
      ErrorCodes.MODEL_INVALID_TOPOLOGY,
      'modelTopology has no model config (expected {"class_name": ..., "config": ...}, possibly inside "model_config").',
      { file: 'model.json', keys: Object.keys(topology) },
    );
  }
  if (!Array.isArray(json['weightsManifest'])) {
    throw new ModelFormatError(
      ErrorCodes.MODEL_INVALID_TOPOLOGY,
      'model.json has no "weightsManifest" array, so it holds a topology without weights.',
      { file: 'model.json' },
    );
  }

  const { producer, version } = detectProducer(json, modelTopology, topology);
  const metadata = json['userDefinedMetadata'];
  return {
    bytes,
    producer,
    ...(version !== undefined ? { producerVersion: version } : {}),
    topology,
    hadTrainingConfig: modelTopology['training_config'] != null || json['trainingConfig'] != null,
    weightsManifest: json['weightsManifest'],
    ...(isJsonObject(metadata) ? { userDefinedMetadata: metadata } : {}),
  };
}

/** A TF GraphDef (what graph models carry as modelTopology) has a `node` list and op-set versions. */
function looksLikeGraphDef(t: unknown): boolean {
  return isJsonObject(t) && (Array.isArray(t['node']) || (isJsonObject(t['versions']) && !('model_config' in t)));
}

function detectProducer(
  json: JsonObject,
  modelTopology: JsonObject,
  topology: JsonObject,
): { producer: ModelProducer; version?: string } {
  const kerasVersion = typeof modelTopology['keras_version'] === 'string' ? modelTopology['keras_version'] : undefined;
  const generatedBy = typeof json['generatedBy'] === 'string' ? json['generatedBy'] : '';
  const tfjs = /tfjs-layers v?([\w.-]+)/.exec(kerasVersion ?? '') ?? /tfjs-layers v?([\w.-]+)/.exec(generatedBy);
  if (tfjs) return { producer: 'tfjs', version: tfjs[1] };
  const version = kerasVersion ?? /keras v([\w.-]+)/.exec(generatedBy)?.[1];
  // Hand-edited files sometimes claim one Keras and carry the other's JSON; the JSON decides.
  if (hasKeras3Markers(topology)) return { producer: 'keras3', ...(version ? { version } : {}) };
  if (version?.startsWith('3.')) return { producer: 'keras3', version };
  return { producer: 'keras2', ...(version ? { version } : {}) };
}

/** JSON shapes only Keras 3 writes: `__keras_tensor__` node args, `batch_shape`, DTypePolicy objects. */
export function hasKeras3Markers(topology: unknown): boolean {
  let found = false;
  const visit = (v: unknown): void => {
    if (found) return;
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isJsonObject(v)) {
      if (v['class_name'] === '__keras_tensor__' || v['class_name'] === 'DTypePolicy' || v['class_name'] === 'FloatDTypePolicy') {
        found = true;
        return;
      }
      if (v['class_name'] === 'InputLayer' && isJsonObject(v['config']) && 'batch_shape' in v['config']) {
        found = true;
        return;
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(topology);
  return found;
}
