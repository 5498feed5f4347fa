import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ErrorCodes, ModelFormatError } from '../errors.ts';

export interface WeightAssignment {
  /** For each of `model.weights`, in order, the index of its manifest entry. */
  readonly specIndex: number[];
  /** How manifest names were matched, for diagnostics: see `SCHEMES`. */
  readonly scheme: string;
  /** Manifest entries no model weight uses (optimizer state, leftovers). */
  readonly unused: string[];
}

interface WeightRef {
  readonly variable: tfl.LayerVariable;
  readonly originalName: string;
  readonly shape: readonly number[];
  /** `<container path>/<snake_case class>[_k]/<index in layer>`: how Keras 3 `.keras` files address a variable. */
  readonly classPath: string;
  /** The same path built from layer names, as tf.keras 2.13's first `.keras` format did. */
  readonly namePath: string;
}

interface Scheme {
  readonly name: string;
  readonly modelKey: (w: WeightRef) => string;
  /** The keys a manifest name answers to under this scheme (none when the name does not fit it). */
  readonly specKeys: (specName: string) => string[];
}

/**
 * How converters name weights, in the order they are tried; the first that accounts for every
 * model weight with the right shape wins.
 *  - exact: tfjs `model.save` and Keras 2 converter output, `dense/kernel` (the layer variable's
 *    original name).
 *  - suffix: Keras 3 saved to .h5 and converted writes variable paths, which start with the
 *    enclosing model's name when the layer was built inside it, `sequential/dense/kernel`; tfjs-layers
 *    4.22 rejects those ("Provided weight data has no target variable"). A manifest name matches
 *    the layer weight it ends with, when no other manifest name does.
 *  - keras3-vars: the converter's `.keras` path (h5_v3_merged_saved_model_to_tfjs_format) names
 *    weights after the HDF5 groups of model.weights.h5, `layers/dense/vars/0`, where Keras 3's
 *    saving_lib names each layer by its snake_case class plus a per-class counter (not by layer
 *    name) and numbers its variables trainable-first. tfjs-layers 4.22 means to parse these
 *    (Container.parseWeights) but iterates key indices instead of keys, so it never does.
 *  - keras-vars-by-name: the same layout with layer names, as the first tf.keras `.keras` files had.
 */
const SCHEMES: readonly Scheme[] = [
  { name: 'exact', modelKey: (w) => w.originalName, specKeys: (s) => [s] },
  { name: 'suffix', modelKey: (w) => w.originalName, specKeys: (s) => s.split('/').map((_, i, t) => t.slice(i).join('/')) },
  { name: 'keras3-vars', modelKey: (w) => w.classPath, specKeys: varsKey },
  { name: 'keras-vars-by-name', modelKey: (w) => w.namePath, specKeys: varsKey },
];

const CONTAINER_TOKENS = new Set(['layers', '_layer_checkpoint_dependencies', 'vars']);

function varsKey(specName: string): string[] {
  const tokens = specName.split('/');
  if (tokens.length < 3 || tokens[tokens.length - 2] !== 'vars' || !/^\d+$/.test(tokens[tokens.length - 1])) return [];
  return [tokens.filter((t) => !CONTAINER_TOKENS.has(t)).join('/')];
}

/** Key → manifest index under a scheme; a key two entries answer to maps to AMBIGUOUS. */
const AMBIGUOUS = -1;
function indexSpecs(scheme: Scheme, candidates: ReadonlyArray<{ s: tf.io.WeightsManifestEntry; i: number }>): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const { s, i } of candidates) {
    for (const key of scheme.specKeys(s.name)) byKey.set(key, byKey.has(key) ? AMBIGUOUS : i);
  }
  return byKey;
}

/** Keras' naming.to_snake_case, which names `.keras` weight groups. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function collectRefs(model: tfl.LayersModel): WeightRef[] {
  const refs: WeightRef[] = [];
  const visit = (container: tfl.LayersModel, classPrefix: string[], namePrefix: string[]) => {
    const seen = new Map<string, number>();
    for (const layer of container.layers) {
      const snake = toSnakeCase(layer.getClassName());
      const k = seen.has(snake) ? seen.get(snake)! + 1 : 0;
      seen.set(snake, k);
      const classKey = [...classPrefix, k === 0 ? snake : `${snake}_${k}`];
      const nameKey = [...namePrefix, layer.name];
      if (layer instanceof tfl.LayersModel) {
        visit(layer, classKey, nameKey);
        continue;
      }
      layer.weights.forEach((w, i) => {
        refs.push({ variable: w, originalName: w.originalName, shape: w.shape as number[], classPath: `${classKey.join('/')}/${i}`, namePath: `${nameKey.join('/')}/${i}` });
      });
    }
  };
  visit(model, [], []);
  return refs;
}

/**
 * Pairs every weight of `model` with its manifest entry, or throws MODEL_INVALID_TOPOLOGY naming
 * the weights the manifest lacks or holds with another shape.
 */
export function assignWeights(model: tfl.LayersModel, specs: readonly tf.io.WeightsManifestEntry[]): WeightAssignment {
  // collectRefs walks layer by layer; model.weights lists all trainable weights first.
  const byVariable = new Map(collectRefs(model).map((r) => [r.variable, r]));
  const refs = model.weights.map((w) => {
    const ref = byVariable.get(w);
    if (!ref) throw new Error(`Internal: weight ${w.name} is not owned by any layer of the model.`);
    return ref;
  });
  const candidates = specs.map((s, i) => ({ s, i })).filter(({ s }) => s.group !== 'optimizer');

  type Outcome = { missing: WeightRef[]; ambiguous: WeightRef[]; wrongShape: Array<{ ref: WeightRef; spec: tf.io.WeightsManifestEntry }> };
  const count = (o: Outcome) => o.missing.length + o.ambiguous.length + o.wrongShape.length;
  let best: Outcome | undefined;
  for (const scheme of SCHEMES) {
    const byKey = indexSpecs(scheme, candidates);
    const specIndex: number[] = [];
    const outcome: Outcome = { missing: [], ambiguous: [], wrongShape: [] };
    for (const ref of refs) {
      const i = byKey.get(scheme.modelKey(ref));
      if (i === undefined) outcome.missing.push(ref);
      else if (i === AMBIGUOUS) outcome.ambiguous.push(ref);
      else if (!sameShape(specs[i].shape, ref.shape)) outcome.wrongShape.push({ ref, spec: specs[i] });
      else specIndex.push(i);
    }
    if (count(outcome) === 0) {
      const used = new Set(specIndex);
      return { specIndex, scheme: scheme.name, unused: specs.filter((_, i) => !used.has(i)).map((s) => s.name) };
    }
    if (!best || count(outcome) < count(best)) best = outcome;
  }

  const problems = [
    ...(best?.wrongShape ?? []).map(({ ref, spec }) => `"${spec.name}" is [${spec.shape.join(',')}] but layer weight "${ref.originalName}" is [${ref.shape.join(',')}]`),
    ...(best?.ambiguous ?? []).map((r) => `several entries could be "${r.originalName}"`),
    ...(best?.missing ?? refs).map((r) => `no entry for "${r.originalName}" [${r.shape.join(',')}]`),
  ];
  throw new ModelFormatError(
    ErrorCodes.MODEL_INVALID_TOPOLOGY,
    `The weights manifest does not match the topology: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}.`,
    {
      problems,
      manifestWeights: specs.map((s) => s.name),
      modelWeights: refs.map((r) => r.originalName),
    },
  );
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
