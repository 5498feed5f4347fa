import { expect } from 'vitest';
import { TemperError, type ErrorCode } from '@temper/edge';

/** Runs `fn`, expects a TemperError of the given class and code, and returns it for further checks. */
export function expectCode<E extends TemperError>(
  fn: () => unknown,
  cls: abstract new (...args: never[]) => E,
  code: ErrorCode,
): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect((e as TemperError).code).toBe(code);
    return e as E;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

export async function expectCodeAsync<E extends TemperError>(
  fn: () => Promise<unknown>,
  cls: abstract new (...args: never[]) => E,
  code: ErrorCode,
): Promise<E> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect((e as TemperError).code).toBe(code);
    return e as E;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

/** A hand-built IDX file (big-endian header), independent of the encoder under test. */
export function rawIdx(dtype: number, dims: number[], payload: Uint8Array | number[]): Uint8Array {
  const buf = Buffer.alloc(4 + 4 * dims.length + payload.length);
  buf.writeUInt32BE((dtype << 8) | dims.length, 0);
  dims.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  Buffer.from(payload).copy(buf, 4 + 4 * dims.length);
  return new Uint8Array(buf);
}
