import { ErrorCodes, ModelFormatError } from '../errors.ts';
import { isJsonObject, preview, type JsonObject } from './json.ts';
import { CONTAINER_CLASSES, layerName, modelLayers } from './layer-walk.ts';

/**
 * Rewrites the parts of a Keras 3 model config that tfjs-layers 4.22 cannot read into their
 * Keras 2 form (tfjs-layers implements the Keras 2 format). Mutates `model`; pass a copy.
 *
 *  - InputLayer `batch_shape` → `batch_input_shape` (else tfjs: "An InputLayer should be passed
 *    either a `batchInputShape` or an `inputShape`", tensorflow/tfjs#8328, #8494).
 *  - Functional `inbound_nodes` entries `{args: [{class_name: "__keras_tensor__", config:
 *    {keras_history: [layer, node, tensor]}}], kwargs}` → `[[layer, node, tensor, kwargs], ...]`
 *    (else tfjs: "Corrupted configuration, expected array for nodeData").
 *  - `input_layers`/`output_layers` written as a dict or a single flat triple → a list of triples.
 *  - `build_config` / `compile_config` keys beside a layer's config are dropped.
 *
 * Keras 2 configs pass through unchanged, apart from the flattened single-input nodes that early
 * converters wrote, which get the same list form.
 *
 * DTypePolicy objects and `module`/`registered_name` keys are handled in `normalizeTopology`,
 * because Keras 2.13+ writes the latter too.
 */
export function rewriteKeras3Topology(model: JsonObject): void {
  rewriteContainer(model);
}

function rewriteContainer(model: JsonObject): void {
  delete model['build_config'];
  delete model['compile_config'];
  const config = model['config'];
  if (isJsonObject(config)) {
    for (const key of ['input_layers', 'output_layers'] as const) {
      if (key in config) config[key] = tensorRefList(config[key], key);
    }
  }
  for (const layer of modelLayers(model)) {
    delete layer['build_config'];
    const lc = layer['config'];
    if (layer['class_name'] === 'InputLayer' && isJsonObject(lc)) {
      if (Array.isArray(lc['batch_shape']) && lc['batch_input_shape'] == null) lc['batch_input_shape'] = lc['batch_shape'];
      delete lc['batch_shape'];
      // Keras 3.10+ `optional` inputs may be fed None; a classifier's image input never is.
      delete lc['optional'];
    }
    if (Array.isArray(layer['inbound_nodes'])) {
      layer['inbound_nodes'] = layer['inbound_nodes'].map((node) => convertNode(node, layerName(layer) ?? '?'));
    }
    if (typeof layer['class_name'] === 'string' && CONTAINER_CLASSES.has(layer['class_name'])) rewriteContainer(layer);
  }
}

type TensorRef = [string, number, number];

function isTensorRef(v: unknown): v is TensorRef {
  return Array.isArray(v) && v.length >= 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);
}

function tensorRefList(v: unknown, key: string): TensorRef[] {
  if (isTensorRef(v)) return [[v[0], v[1], v[2]]];
  const items = Array.isArray(v) ? v : isJsonObject(v) ? Object.values(v) : undefined;
  if (items === undefined || !items.every(isTensorRef)) {
    throw new ModelFormatError(ErrorCodes.MODEL_INVALID_TOPOLOGY, `Model config "${key}" is not a list of [layer, node, tensor] triples: ${preview(v)}.`, {
      key,
      value: v,
    });
  }
  return items.map((r) => [r[0], r[1], r[2]]);
}

/** One call of a layer, as tfjs-layers wants it: a list of `[layer, node, tensor, kwargs]`. */
function convertNode(node: unknown, layer: string): unknown {
  // Converter 1.2 wrote single-input nodes flattened, `["input", 0, 0, {}]` (tensorflow/tfjs#1688).
  if (Array.isArray(node) && typeof node[0] === 'string') return [node];
  if (!isJsonObject(node) || !('args' in node)) return node; // Keras 2 form already.
  const bad = (why: string) =>
    new ModelFormatError(ErrorCodes.MODEL_INVALID_TOPOLOGY, `Layer "${layer}": ${why} (inbound node ${preview(node)}).`, { layer, node });

  const refs: TensorRef[] = [];
  const collect = (arg: unknown): void => {
    if (Array.isArray(arg)) {
      arg.forEach(collect);
    } else if (isJsonObject(arg) && arg['class_name'] === '__keras_tensor__') {
      const history = isJsonObject(arg['config']) ? arg['config']['keras_history'] : undefined;
      if (!isTensorRef(history)) throw bad('a __keras_tensor__ argument has no [layer, node, tensor] keras_history');
      refs.push([history[0], history[1], history[2]]);
    } else {
      // tfjs nodes carry only tensors positionally; a constant argument (Keras 3 ops layers) has no slot.
      throw bad(`it is called with a non-tensor positional argument ${preview(arg, 60)}, which tfjs-layers cannot represent`);
    }
  };
  collect(node['args']);

  const kwargs: JsonObject = {};
  const rawKwargs = node['kwargs'];
  if (isJsonObject(rawKwargs)) {
    for (const [k, v] of Object.entries(rawKwargs)) {
      if (v === null) continue;
      if (JSON.stringify(v).includes('"__keras_tensor__"')) throw bad(`it receives a tensor through keyword argument "${k}"`);
      kwargs[k] = v;
    }
  }
  if (refs.length === 0) throw bad('a call with no tensor inputs');
  return refs.map((r) => [...r, kwargs]);
}
