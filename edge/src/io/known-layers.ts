import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the layer classes this module looks up
import { ErrorCodes, ModelFormatError } from '../errors.ts';
import type { JsonObject } from './json.ts';
import { forEachLayer, layerName } from './layer-walk.ts';

/**
 * Throws MODEL_UNKNOWN_LAYER naming every layer class tfjs-layers cannot construct (Lambda,
 * custom Python layers, Keras layers tfjs never ported). Checked before deserializing so the user
 * sees all offending layers at once instead of tfjs' first-failure message.
 *
 * Rescaling needs no help: tfjs-layers 4.22 registers it (layers/preprocessing/image_preprocessing).
 */
export function assertKnownLayers(topology: JsonObject): void {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  const unknown = new Map<string, string[]>();
  const check = (cls: unknown, name: string) => {
    const c = typeof cls === 'string' ? cls : String(cls);
    if (!(c in registry)) unknown.set(c, [...(unknown.get(c) ?? []), name]);
  };
  check(topology['class_name'], 'model');
  forEachLayer(topology, (layer, path) => check(layer['class_name'], [...path, layerName(layer) ?? '?'].join('/')));
  if (unknown.size === 0) return;

  const list = [...unknown].map(([cls, names]) => `${cls} (layer ${names.map((n) => `"${n}"`).join(', ')})`).join('; ');
  throw new ModelFormatError(
    ErrorCodes.MODEL_UNKNOWN_LAYER,
    `The model uses layer ${unknown.size === 1 ? 'class' : 'classes'} that TensorFlow.js does not implement: ${list}. ` +
      'Replace them with built-in layers (a Lambda or custom layer has no portable definition) and re-export.',
    { classes: [...unknown.keys()], layers: Object.fromEntries(unknown) },
  );
}
