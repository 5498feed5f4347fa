import { isJsonObject, type JsonObject } from './json.ts';

/** Class names whose config holds further layers (a model used as a layer of another). */
export const CONTAINER_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model']);

/**
 * The direct layer entries of a model config. Keras before 2.2.3 wrote a Sequential's config as
 * the bare list of layers; later versions (and tfjs) as `{name, layers}`.
 */
export function modelLayers(model: JsonObject): JsonObject[] {
  const config = model['config'];
  const list = Array.isArray(config) ? config : isJsonObject(config) ? config['layers'] : undefined;
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

/** The name of a layer entry; Functional entries carry it twice, Sequential ones only in config. */
export function layerName(layer: JsonObject): string | undefined {
  const config = layer['config'];
  const n = isJsonObject(config) ? config['name'] : undefined;
  return typeof n === 'string' ? n : typeof layer['name'] === 'string' ? layer['name'] : undefined;
}

/**
 * Visits every layer entry, depth first, including layers of nested models and the inner layer of
 * wrappers (TimeDistributed, Bidirectional). `path` is the chain of enclosing layer names.
 */
export function forEachLayer(model: JsonObject, visit: (layer: JsonObject, path: readonly string[]) => void, path: readonly string[] = []): void {
  for (const layer of modelLayers(model)) {
    visit(layer, path);
    const name = layerName(layer) ?? '?';
    if (typeof layer['class_name'] === 'string' && CONTAINER_CLASSES.has(layer['class_name'])) {
      forEachLayer(layer, visit, [...path, name]);
    }
    const config = layer['config'];
    if (isJsonObject(config) && isJsonObject(config['layer'])) {
      const inner = config['layer'];
      visit(inner, [...path, name]);
    }
  }
}
