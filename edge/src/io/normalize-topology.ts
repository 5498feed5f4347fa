import { ErrorCodes, ModelFormatError } from '../errors.ts';
import { cloneJson, isJsonObject, preview, type JsonObject } from './json.ts';
import { rewriteKeras3Topology } from './keras3-topology.ts';
import { CONTAINER_CLASSES, forEachLayer, layerName, modelLayers } from './layer-walk.ts';

export interface NormalizedTopology {
  /** A copy of the input, in the Keras 2 dialect tfjs-layers 4.22 deserializes. */
  readonly topology: JsonObject;
  readonly warnings: string[];
}

const MIXED_POLICIES = new Set(['mixed_float16', 'mixed_bfloat16']);
const POLICY_CLASSES = new Set(['DTypePolicy', 'FloatDTypePolicy', 'Policy']);

/**
 * Rewrites a Keras 2, Keras 3 or tfjs model config into what tfjs-layers 4.22 loads with the
 * same numerics, or throws naming the construct it cannot honour. Anything tfjs would silently
 * compute differently (grouped convolutions, keepdims pooling, leaky ReLU options) is refused
 * rather than loaded wrong.
 */
export function normalizeTopology(input: JsonObject): NormalizedTopology {
  const topology = cloneJson(input);
  const warnings: string[] = [];
  normalizeValues(topology, undefined, warnings);
  rewriteKeras3Topology(topology);
  fillSequentialInputShape(topology);
  forEachLayer(topology, (layer) => fixLayer(layer));
  return { topology, warnings };
}

/**
 * Value-level rewrites anywhere in the config: Keras serialization metadata, dtype policies,
 * Keras' L1/L2 regularizer classes (tfjs only has L1L2) and Keras 3's "silu" name for swish.
 */
function normalizeValues(v: unknown, layer: string | undefined, warnings: string[]): void {
  if (Array.isArray(v)) {
    v.forEach((item) => normalizeValues(item, layer, warnings));
    return;
  }
  if (!isJsonObject(v)) return;
  if (typeof v['class_name'] === 'string') {
    // Keras 2.13+ and Keras 3 tag every serialized object with its Python module; tfjs does not use it.
    delete v['module'];
    delete v['registered_name'];
  }
  const config = v['config'];
  const here = typeof v['class_name'] === 'string' && isJsonObject(config) && typeof config['name'] === 'string' ? config['name'] : layer;
  const cls = v['class_name'];
  if (typeof cls === 'string' && isJsonObject(config)) {
    if (v['class_name'] === 'L2' || v['class_name'] === 'L1') {
      const l1 = v['class_name'] === 'L1' ? Number(config['l1'] ?? 0.01) : 0;
      const l2 = v['class_name'] === 'L2' ? Number(config['l2'] ?? 0.01) : 0;
      v['class_name'] = 'L1L2';
      v['config'] = { l1, l2 };
    }
    if ('dtype' in config) config['dtype'] = layerDtype(config['dtype'], cls, here ?? cls, warnings);
  }
  if (v['activation'] === 'silu') v['activation'] = 'swish';
  for (const [k, child] of Object.entries(v)) {
    if (k !== 'dtype') normalizeValues(child, here, warnings);
  }
}

function layerDtype(dtype: unknown, className: string, layer: string, warnings: string[]): unknown {
  if (dtype == null) return dtype;
  let name: unknown = dtype;
  if (isJsonObject(dtype)) {
    const cls = dtype['class_name'];
    const cfg = dtype['config'];
    name = typeof cls === 'string' && POLICY_CLASSES.has(cls) && isJsonObject(cfg) ? cfg['name'] : undefined;
    if (name === undefined) {
      throw new ModelFormatError(
        ErrorCodes.MODEL_UNSUPPORTED_DTYPE,
        `Layer "${layer}" uses dtype policy ${preview(dtype, 80)}; Temper loads float32 models only (quantized layers cannot be trained).`,
        { layer, dtype },
      );
    }
  }
  if (name === 'float32') return 'float32';
  if (typeof name === 'string' && MIXED_POLICIES.has(name)) {
    // Mixed precision keeps float32 variables; only the compute dtype differs, and tfjs computes in float32.
    const w = `Layer "${layer}" was trained with the ${name} policy; Temper computes it in float32.`;
    if (!warnings.includes(w)) warnings.push(w);
    return 'float32';
  }
  if (className === 'InputLayer' && typeof name === 'string') {
    // Attacks move pixels by fractions of a grey level, so the input must be float whatever it was trained on.
    warnings.push(`Input "${layer}" was declared ${name}; Temper feeds it float32 pixels.`);
    return 'float32';
  }
  throw new ModelFormatError(
    ErrorCodes.MODEL_UNSUPPORTED_DTYPE,
    `Layer "${layer}" has dtype ${typeof name === 'string' ? name : preview(name, 40)}; Temper loads float32 models only.`,
    { layer, dtype: name },
  );
}

/**
 * A Sequential built with `model.build(shape)` instead of an Input records the shape only as
 * `build_input_shape`; tfjs needs it on the first layer.
 */
function fillSequentialInputShape(model: JsonObject): void {
  const visit = (m: JsonObject) => {
    const layers = modelLayers(m);
    const first = layers[0];
    const config = m['config'];
    if (m['class_name'] === 'Sequential' && first && first['class_name'] !== 'InputLayer' && isJsonObject(first['config']) && isJsonObject(config)) {
      const fc = first['config'];
      if (fc['batch_input_shape'] == null && fc['input_shape'] == null && Array.isArray(config['build_input_shape'])) {
        fc['batch_input_shape'] = config['build_input_shape'];
      }
    }
    for (const l of layers) if (typeof l['class_name'] === 'string' && CONTAINER_CLASSES.has(l['class_name'])) visit(l);
  };
  visit(model);
}

function fixLayer(layer: JsonObject): void {
  const cls = layer['class_name'];
  const config = layer['config'];
  if (typeof cls !== 'string' || !isJsonObject(config)) return;
  const name = layerName(layer) ?? cls;
  const refuse = (why: string, details: Record<string, unknown>) =>
    new ModelFormatError(ErrorCodes.MODEL_INVALID_TOPOLOGY, `Layer "${name}" (${cls}) ${why}.`, { layer: name, className: cls, ...details });

  if (cls === 'BatchNormalization' && Array.isArray(config['axis'])) {
    // tf.keras 2.x writes the axis as a list, e.g. [3]; tfjs-layers expects one integer.
    if (config['axis'].length !== 1) throw refuse(`normalizes over several axes ${preview(config['axis'])}, which tfjs-layers does not support`, { axis: config['axis'] });
    config['axis'] = config['axis'][0];
  }
  if (config['groups'] != null && config['groups'] !== 1) {
    throw refuse(`is a grouped convolution (groups=${String(config['groups'])}), which tfjs-layers does not implement`, { groups: config['groups'] });
  }
  if (config['keepdims'] === true) {
    throw refuse('keeps the pooled dimensions (keepdims=true), which tfjs-layers 4.22 does not implement', { keepdims: true });
  }
  if (cls === 'ReLU' && (Number(config['negative_slope'] ?? 0) !== 0 || Number(config['threshold'] ?? 0) !== 0)) {
    throw refuse('uses negative_slope/threshold, which tfjs-layers\' ReLU ignores', {
      negativeSlope: config['negative_slope'],
      threshold: config['threshold'],
    });
  }
}
