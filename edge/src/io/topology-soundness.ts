import { ErrorCodes, ModelFormatError } from '../errors.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { CONTAINER_CLASSES, forEachLayer, layerName, modelLayers } from './layer-walk.ts';

/** Layers in one model, nested models included: far above any classifier Temper hardens. */
export const MAX_LAYERS = 2000;
/** Models nested in models. */
export const MAX_NESTING = 16;
/** Any single size in a layer's config (units, filters, a kernel or input dimension). */
export const MAX_LAYER_SIZE = 1 << 20;

const SIZE_KEYS = ['units', 'filters', 'output_dim', 'input_dim', 'depth_multiplier'] as const;

const tooComplex = (message: string, details: Record<string, unknown>) => new ModelFormatError(ErrorCodes.MODEL_TOO_COMPLEX, message, details);
const invalid = (message: string, details: Record<string, unknown>) => new ModelFormatError(ErrorCodes.MODEL_INVALID_TOPOLOGY, message, details);

/**
 * Checks a normalized topology for what makes tfjs-layers hang or allocate without bound before it
 * builds anything: a functional graph whose inbound nodes name a missing layer or node, or that loops
 * (`Container.fromConfig` then waits forever for a node that never comes), and layer sizes that no
 * uploaded weights could fill (a 3 KB topology asking for `Dense(units=200000)` would allocate
 * hundreds of MB while the weights it is then checked against hold a few KB).
 *
 * `weightElements` is the number of values in the weights manifest: every weight a layer creates must
 * come from it, so no size in a layer's config can exceed it.
 */
export function assertTopologySound(topology: JsonObject, weightElements: number): void {
  let layers = 0;
  forEachLayer(topology, (layer, path) => {
    layers++;
    if (layers > MAX_LAYERS) throw tooComplex(`The model has more than ${MAX_LAYERS} layers.`, { maxLayers: MAX_LAYERS });
    if (path.length > MAX_NESTING) throw tooComplex(`The model nests models more than ${MAX_NESTING} deep.`, { maxNesting: MAX_NESTING });
    const config = layer['config'];
    if (!isJsonObject(config)) return;
    const name = [...path, layerName(layer) ?? '?'].join('/');
    for (const key of SIZE_KEYS) {
      const v = config[key];
      if (typeof v !== 'number') continue;
      const bound = Math.min(MAX_LAYER_SIZE, Math.max(weightElements, 1));
      if (!Number.isFinite(v) || v > bound) {
        throw tooComplex(
          `Layer "${name}" asks for ${key}=${v}, more than ${v > MAX_LAYER_SIZE ? `the limit of ${MAX_LAYER_SIZE}` : `the ${weightElements} values its weights manifest holds`}.`,
          { layer: name, key, value: v, weightElements, maxLayerSize: MAX_LAYER_SIZE },
        );
      }
    }
  });
  checkGraphs(topology, []);
}

/** Every functional graph, nested ones included: references resolve and no layer feeds itself. */
function checkGraphs(model: JsonObject, path: readonly string[]): void {
  const entries = modelLayers(model);
  const isFunctional = entries.some((l) => 'inbound_nodes' in l) || (isJsonObject(model['config']) && 'input_layers' in model['config']);
  if (isFunctional) checkFunctionalGraph(model, entries, path);
  for (const layer of entries) {
    if (typeof layer['class_name'] === 'string' && CONTAINER_CLASSES.has(layer['class_name'])) checkGraphs(layer, [...path, layerName(layer) ?? '?']);
  }
}

interface NodeRef {
  readonly layer: string;
  readonly node: number;
}

/** Keras 2 inbound nodes: a list of calls, each a list of [layer, node index, tensor index, kwargs]. */
function inboundRefs(layer: JsonObject, where: string): NodeRef[][] {
  const nodes = layer['inbound_nodes'];
  if (nodes === undefined) return [];
  if (!Array.isArray(nodes)) throw invalid(`Layer "${where}" has inbound_nodes that are not a list.`, { layer: where });
  return nodes.map((call) => {
    if (!Array.isArray(call)) throw invalid(`Layer "${where}" has an inbound node that is not a list.`, { layer: where });
    return call.map((ref) => {
      if (!Array.isArray(ref) || typeof ref[0] !== 'string' || !Number.isInteger(ref[1]) || (ref[1] as number) < 0) {
        throw invalid(`Layer "${where}" has an inbound reference that is not [layer name, node index, tensor index, kwargs].`, { layer: where });
      }
      return { layer: ref[0], node: ref[1] as number };
    });
  });
}

function checkFunctionalGraph(model: JsonObject, entries: readonly JsonObject[], path: readonly string[]): void {
  const at = (name: string) => [...path, name].join('/');
  const calls = new Map<string, NodeRef[][]>();
  for (const layer of entries) {
    // tfjs-layers files each built layer under its top-level name and resolves inbound nodes by it.
    const name = layer['name'];
    if (typeof name !== 'string') throw invalid(`A layer of ${path.length ? `"${path.join('/')}"` : 'the model'} has no name.`, { path, layer: layerName(layer) ?? null });
    if (calls.has(name)) throw invalid(`Two layers are named "${at(name)}".`, { layer: at(name) });
    const refs = inboundRefs(layer, at(name));
    // A call with no inputs, or a layer other than an input that is never called, leaves nodes
    // that nothing ever produces: Container.fromConfig waits for them forever.
    if (refs.some((call) => call.length === 0)) throw invalid(`Layer "${at(name)}" has an inbound node with no inputs.`, { layer: at(name) });
    if (refs.length === 0 && layer['class_name'] !== 'InputLayer') throw invalid(`Layer "${at(name)}" (${String(layer['class_name'])}) takes no input; only an InputLayer may.`, { layer: at(name), className: layer['class_name'] ?? null });
    calls.set(name, refs);
  }
  // A layer called n times has nodes 0..n-1; an input layer (never called) has its one node 0.
  const nodeCount = (name: string) => Math.max(1, calls.get(name)!.length);
  const assertRef = (ref: NodeRef, from: string) => {
    if (!calls.has(ref.layer)) throw invalid(`Layer "${from}" takes its input from "${at(ref.layer)}", which is not a layer of the model.`, { layer: from, missing: at(ref.layer) });
    if (ref.node >= nodeCount(ref.layer)) {
      throw invalid(`Layer "${from}" takes node ${ref.node} of "${at(ref.layer)}", which has ${nodeCount(ref.layer)}.`, { layer: from, missing: at(ref.layer), node: ref.node });
    }
  };
  for (const [name, layerCalls] of calls) for (const call of layerCalls) for (const ref of call) assertRef(ref, at(name));
  const config = model['config'];
  for (const key of ['input_layers', 'output_layers']) {
    const list = isJsonObject(config) ? config[key] : undefined;
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw invalid(`The model's ${key} is not a list.`, { key });
    for (const ref of list) {
      if (!Array.isArray(ref) || typeof ref[0] !== 'string' || !Number.isInteger(ref[1])) throw invalid(`The model's ${key} holds an entry that is not [layer name, node index, tensor index].`, { key });
      assertRef({ layer: ref[0], node: ref[1] as number }, key);
    }
  }
  // Depth-first search over layers; a layer met again while on the stack closes a cycle.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'open') {
      const cycle = [...trail.slice(trail.indexOf(name)), name].map(at);
      throw invalid(`The model's layers feed each other in a cycle: ${cycle.join(' → ')}.`, { cycle });
    }
    state.set(name, 'open');
    for (const call of calls.get(name)!) for (const ref of call) visit(ref.layer, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of calls.keys()) visit(name, []);
}
