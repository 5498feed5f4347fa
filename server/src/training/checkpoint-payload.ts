import * as tf from '@tensorflow/tfjs-core';
import { ErrorCodes, TrainingConfigError } from '@temper/edge';

/**
 * The binary payload of a training checkpoint: a JSON header (run identity, epoch, RNG state, and
 * the name, dtype and shape of every tensor) followed by the raw little-endian tensor bytes.
 * Tensors are stored in groups (model weights, optimizer slots, method state) and keep their
 * order, which is how tfjs restores them (model.setWeights, optimizer.setWeights).
 */

const MAGIC = 'TMPRCKP1';

/** A tensor with a name, as tfjs optimizers' getWeights() return them. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

export interface StoredTensor {
  readonly name: string;
  readonly dtype: 'float32' | 'int32';
  readonly shape: number[];
  readonly data: Float32Array | Int32Array;
}

export interface CheckpointContents {
  readonly meta: unknown;
  readonly groups: Readonly<Record<string, readonly StoredTensor[]>>;
}

interface HeaderEntry {
  readonly group: string;
  readonly name: string;
  readonly dtype: 'float32' | 'int32';
  readonly shape: number[];
  readonly offset: number;
  readonly length: number;
}

function bad(why: string): TrainingConfigError {
  return new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `Invalid checkpoint: ${why}`);
}

/** Reads every tensor (without disposing it) and packs the lot into one payload. */
export async function encodeCheckpoint(meta: unknown, groups: Record<string, readonly NamedTensor[]>): Promise<Uint8Array> {
  const entries: HeaderEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [group, tensors] of Object.entries(groups)) {
    for (const { name, tensor } of tensors) {
      if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw bad(`tensor ${group}/${name} has unsupported dtype ${tensor.dtype}`);
      const values = await tensor.data();
      const typed = tensor.dtype === 'float32' ? Float32Array.from(values as Float32Array) : Int32Array.from(values as Int32Array);
      const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
      entries.push({ group, name, dtype: tensor.dtype, shape: [...tensor.shape], offset, length: typed.length });
      chunks.push(bytes);
      offset += bytes.byteLength;
    }
  }
  const header = new TextEncoder().encode(JSON.stringify({ meta, tensors: entries }));
  // Keep the tensor section 4-byte aligned so that it can be viewed as Float32Array/Int32Array.
  const headerPadded = Math.ceil((MAGIC.length + 4 + header.byteLength) / 4) * 4;
  const out = new Uint8Array(headerPadded + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.byteLength, true);
  out.set(header, MAGIC.length + 4);
  let at = headerPadded;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export function decodeCheckpoint(payload: Uint8Array): CheckpointContents {
  if (payload.byteLength < MAGIC.length + 4 || new TextDecoder().decode(payload.subarray(0, MAGIC.length)) !== MAGIC) {
    throw bad('not a Temper training checkpoint (bad magic)');
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > payload.byteLength) throw bad('truncated header');
  let header: { meta: unknown; tensors: HeaderEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(payload.subarray(MAGIC.length + 4, headerEnd)));
  } catch (e) {
    throw bad(`unreadable header (${(e as Error).message})`);
  }
  const base = Math.ceil(headerEnd / 4) * 4;
  const groups: Record<string, StoredTensor[]> = {};
  for (const t of header.tensors) {
    const start = base + t.offset;
    const end = start + t.length * 4;
    if (end > payload.byteLength) throw bad(`tensor ${t.group}/${t.name} is truncated`);
    // Copy: the payload's buffer may not be 4-byte aligned.
    const bytes = payload.slice(start, end);
    const data = t.dtype === 'float32' ? new Float32Array(bytes.buffer) : new Int32Array(bytes.buffer);
    (groups[t.group] ??= []).push({ name: t.name, dtype: t.dtype, shape: t.shape, data });
  }
  return { meta: header.meta, groups };
}

export function storedToTensor(t: StoredTensor): tf.Tensor {
  return tf.tensor(t.data, t.shape, t.dtype);
}

export function storedToNamed(ts: readonly StoredTensor[] | undefined): { name: string; tensor: tf.Tensor }[] {
  return (ts ?? []).map((t) => ({ name: t.name, tensor: storedToTensor(t) }));
}
