import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@temper/edge';
import { initTestBackend } from '../compute/test-backend.ts';
import { decodeCheckpoint, encodeCheckpoint, storedToTensor } from './checkpoint-payload.ts';

beforeAll(async () => {
  await initTestBackend();
});

describe('checkpoint payload', () => {
  it('round-trips the header and every tensor bit for bit, in order, by group', async () => {
    const a = tf.tensor([1.5, -0, Number.MIN_VALUE, 3.4e38, Number.NaN], [5]);
    const b = tf.tensor([[1, 2], [3, -4]], [2, 2], 'int32');
    const c = tf.scalar(0.1);
    const meta = { epoch: 3, rng: { c: 1, s0: 0.25, s1: 0.5, s2: 0.75 }, run: { method: 'trades' } };
    // An odd-length header exercises the alignment of the tensor section.
    const payload = await encodeCheckpoint({ ...meta, pad: 'x' }, { model: [{ name: 'a', tensor: a }, { name: 'b', tensor: b }], optimizer: [{ name: 'c', tensor: c }], method: [] });
    const back = decodeCheckpoint(payload.slice(0)); // a copy: its buffer starts at offset 0
    expect(back.meta).toEqual({ ...meta, pad: 'x' });
    expect(back.groups.model.map((t) => [t.name, t.dtype, t.shape])).toEqual([['a', 'float32', [5]], ['b', 'int32', [2, 2]]]);
    expect(new Uint8Array(back.groups.model[0].data.buffer)).toEqual(new Uint8Array((a.dataSync() as Float32Array).buffer));
    expect(Array.from(back.groups.model[1].data)).toEqual([1, 2, 3, -4]);
    const restored = storedToTensor(back.groups.optimizer[0]);
    expect(restored.dataSync()[0]).toBe(c.dataSync()[0]);
    // A payload that sits at an unaligned offset of a larger buffer still decodes.
    const shifted = new Uint8Array(payload.byteLength + 1);
    shifted.set(payload, 1);
    expect(Array.from(decodeCheckpoint(shifted.subarray(1)).groups.model[1].data)).toEqual([1, 2, 3, -4]);
    tf.dispose([a, b, c, restored]);
  });

  it('refuses bytes that are not a checkpoint, or a truncated one', async () => {
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"epoch":1}'))).toThrow(expect.objectContaining({ code: ErrorCodes.TRAINING_INVALID_CONFIG }));
    const t = tf.ones([100]);
    const payload = await encodeCheckpoint({}, { model: [{ name: 'w', tensor: t }] });
    expect(() => decodeCheckpoint(payload.subarray(0, payload.byteLength - 8))).toThrow(/truncated/);
    t.dispose();
  });
});
