import type * as tf from '@tensorflow/tfjs-core';
import { ErrorCodes, ModelFormatError } from '../errors.ts';
import { entryBytes, type ManifestGroup } from './manifest.ts';

export interface AssembledWeights {
  /** Every manifest entry, in the order its bytes appear in `weightData`. */
  readonly weightSpecs: tf.io.WeightsManifestEntry[];
  readonly weightData: ArrayBuffer;
  /** The uploaded shards in manifest order (what the model's sha256 covers after model.json). */
  readonly orderedShards: Uint8Array[];
}

/**
 * Matches uploaded shards to the manifest and joins them into one buffer. A group's shards are
 * consecutive slices of one byte string holding its weights back to back (that is how
 * tensorflowjs_converter and tfjs write them), so only a group's total size can be checked;
 * a weight may straddle two shards.
 */
export function assembleShards(groups: readonly ManifestGroup[], shards: Readonly<Record<string, Uint8Array>>): AssembledWeights {
  const listed = groups.flatMap((g) => g.paths);
  const uploaded = Object.keys(shards);

  const missing = listed.filter((p) => !Object.hasOwn(shards, p));
  if (missing.length > 0) {
    const hints = missing
      .map((m) => [m, uploaded.find((u) => u === `${m}.bin` || `${u}.bin` === m)] as const)
      .filter(([, u]) => u !== undefined)
      .map(([m, u]) => ` ("${u}" was uploaded; the manifest names it "${m}", rename it to match)`);
    throw new ModelFormatError(
      ErrorCodes.MODEL_MISSING_SHARD,
      `${missing.length === 1 ? 'Weight shard' : 'Weight shards'} ${missing.map((m) => `"${m}"`).join(', ')} listed in model.json ` +
        `${missing.length === 1 ? 'was' : 'were'} not uploaded${hints.join('')}.`,
      { missing, uploaded },
    );
  }
  const extra = uploaded.filter((u) => !listed.includes(u));
  if (extra.length > 0) {
    throw new ModelFormatError(
      ErrorCodes.MODEL_EXTRA_SHARD,
      `Uploaded ${extra.length === 1 ? 'file' : 'files'} ${extra.map((e) => `"${e}"`).join(', ')} ` +
        `${extra.length === 1 ? 'is' : 'are'} not listed in model.json's weightsManifest (expected only ${listed.map((l) => `"${l}"`).join(', ') || 'no shards'}).`,
      { extra, listed },
    );
  }

  let total = 0;
  for (const g of groups) {
    const expected = g.weights.reduce((n, w) => n + entryBytes(w), 0);
    const sizes = g.paths.map((p) => shards[p].byteLength);
    const actual = sizes.reduce((a, b) => a + b, 0);
    if (actual !== expected) {
      throw new ModelFormatError(
        ErrorCodes.MODEL_SHARD_SIZE_MISMATCH,
        `${g.paths.length === 1 ? 'Shard' : 'Shards'} ${g.paths.map((p) => `"${p}"`).join(' + ')} hold ${actual} bytes, ` +
          `but the manifest's ${g.weights.length} weights need ${expected} bytes (truncated, re-exported or mismatched upload?).`,
        { paths: [...g.paths], expectedBytes: expected, actualBytes: actual, shardBytes: sizes },
      );
    }
    total += actual;
  }

  const joined = new Uint8Array(total);
  const orderedShards = listed.map((p) => shards[p]);
  let offset = 0;
  for (const s of orderedShards) {
    joined.set(s, offset);
    offset += s.byteLength;
  }
  return { weightSpecs: groups.flatMap((g) => g.weights), weightData: joined.buffer, orderedShards };
}
