import type * as tf from '@tensorflow/tfjs-core';
import { ErrorCodes, ModelFormatError } from '../errors.ts';
import { isJsonObject, preview } from './json.ts';

export interface ManifestGroup {
  /** Shard file names, in the order their bytes concatenate (leading "./" already removed). */
  readonly paths: readonly string[];
  readonly weights: readonly tf.io.WeightsManifestEntry[];
}

/**
 * Bytes per stored element. Entries of every storable dtype are accepted here so that shard sizes
 * can be checked and unused entries (a Keras 3 optimizer's int iteration counter) skipped; whether
 * the weights the model actually uses are float32 is checked once they are matched to layers
 * (`assertFloat32`).
 */
const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };
const QUANTIZED_BYTES: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };

export function entryBytes(w: tf.io.WeightsManifestEntry): number {
  const perElement = w.quantization ? QUANTIZED_BYTES[w.quantization.dtype] : DTYPE_BYTES[w.dtype];
  return numElements(w.shape) * perElement;
}

/** Refuses a weight the model uses unless it is stored as plain float32 (quantized weights included). */
export function assertFloat32(w: tf.io.WeightsManifestEntry): void {
  if (w.quantization) {
    throw new ModelFormatError(
      ErrorCodes.MODEL_UNSUPPORTED_DTYPE,
      `Weight "${w.name}" is quantized to ${w.quantization.dtype}; Temper needs float32 weights to train and attack the model ` +
        'faithfully. Re-export without the --quantize_* converter options.',
      { file: 'model.json', weight: w.name, dtype: w.dtype, quantization: w.quantization },
    );
  }
  if (w.dtype !== 'float32') {
    throw new ModelFormatError(ErrorCodes.MODEL_UNSUPPORTED_DTYPE, `Weight "${w.name}" has dtype ${w.dtype}; Temper loads float32 weights only.`, {
      file: 'model.json',
      weight: w.name,
      dtype: w.dtype,
    });
  }
}

/**
 * Validates a weightsManifest: structure, shard file names and storable dtypes. Shard names are file names,
 * never paths: uploads arrive as a flat set of files, and a name that climbs or descends
 * directories would only make sense to a loader that reads the disk, which Temper never does.
 */
export function validateManifest(raw: unknown): ManifestGroup[] {
  const invalid = (message: string, details: Record<string, unknown> = {}) =>
    new ModelFormatError(ErrorCodes.MODEL_INVALID_TOPOLOGY, message, { file: 'model.json', ...details });
  if (!Array.isArray(raw)) throw invalid('weightsManifest must be an array of {paths, weights} groups.');

  const seenPaths = new Set<string>();
  const seenWeights = new Set<string>();
  return raw.map((group, g) => {
    if (!isJsonObject(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw invalid(`weightsManifest[${g}] must be an object with "paths" and "weights" arrays, got ${preview(group)}.`, { group: g });
    }
    const paths = group['paths'].map((p) => {
      const name = shardFileName(p);
      if (seenPaths.has(name)) throw invalid(`weightsManifest lists the shard "${name}" more than once.`, { path: name });
      seenPaths.add(name);
      return name;
    });
    const weights = group['weights'].map((w, i) => {
      const entry = validateEntry(w, `weightsManifest[${g}].weights[${i}]`);
      if (seenWeights.has(entry.name)) throw invalid(`weightsManifest names the weight "${entry.name}" twice.`, { weight: entry.name });
      seenWeights.add(entry.name);
      return entry;
    });
    if (paths.length === 0 && weights.some((w) => numElements(w.shape) > 0)) {
      throw invalid(`weightsManifest[${g}] lists weights but no shard files to read them from.`, { group: g });
    }
    return { paths, weights };
  });
}

/**
 * A manifest path as a plain file name. tfjs' browser `model.save('downloads://…')` writes
 * "./name.weights.bin", which names a file in the same folder, so exactly that prefix is dropped;
 * any other separator or `..` is refused.
 */
export function shardFileName(path: unknown): string {
  if (typeof path !== 'string') {
    throw new ModelFormatError(ErrorCodes.MODEL_INVALID_TOPOLOGY, `weightsManifest has a non-string shard path ${preview(path, 40)}.`, {
      file: 'model.json',
      path,
    });
  }
  const name = path.startsWith('./') ? path.slice(2) : path;
  const unsafe = name === '' || /[/\\]/.test(name) || name.includes('..') || /[\u0000-\u001f]/.test(name);
  if (unsafe) {
    throw new ModelFormatError(
      ErrorCodes.MODEL_UNSAFE_PATH,
      `weightsManifest path ${JSON.stringify(path)} is not a plain file name: shard paths may not contain "/", "\\" or "..". ` +
        'Upload the shards beside model.json and list them by file name.',
      { file: 'model.json', path },
    );
  }
  return name;
}

function validateEntry(w: unknown, where: string): tf.io.WeightsManifestEntry {
  const invalid = (why: string) =>
    new ModelFormatError(ErrorCodes.MODEL_INVALID_TOPOLOGY, `${where} ${why}: ${preview(w)}.`, { file: 'model.json', entry: w });
  if (!isJsonObject(w)) throw invalid('is not an object');
  const { name, shape, dtype, quantization, group } = w as {
    name?: unknown;
    shape?: unknown;
    dtype?: unknown;
    quantization?: unknown;
    group?: unknown;
  };
  if (typeof name !== 'string' || name === '') throw invalid('has no name');
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw invalid('has no valid shape (a list of non-negative integers)');
  }
  if (typeof dtype !== 'string') throw invalid('has no dtype');
  if (!(dtype in DTYPE_BYTES)) {
    throw new ModelFormatError(ErrorCodes.MODEL_UNSUPPORTED_DTYPE, `Weight "${name}" has dtype ${dtype}; Temper loads float32 weights only.`, {
      file: 'model.json',
      weight: name,
      dtype,
    });
  }
  let q: tf.io.WeightsManifestEntry['quantization'];
  if (quantization != null) {
    const qdtype = isJsonObject(quantization) ? quantization['dtype'] : undefined;
    if (typeof qdtype !== 'string' || !(qdtype in QUANTIZED_BYTES)) throw invalid('has an unknown quantization');
    q = quantization as tf.io.WeightsManifestEntry['quantization'];
  }
  // tfjs `model.save({includeOptimizer: true})` appends optimizer state tagged group "optimizer".
  return {
    name,
    shape: shape as number[],
    dtype: dtype as tf.io.WeightsManifestEntry['dtype'],
    ...(q ? { quantization: q } : {}),
    ...(typeof group === 'string' ? { group: group as tf.io.WeightGroup } : {}),
  };
}

export function numElements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
