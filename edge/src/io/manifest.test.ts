import { describe, expect, it } from 'vitest';
import { ErrorCodes, ModelFormatError } from '../errors.ts';
import { assertFloat32, entryBytes, shardFileName, validateManifest } from './manifest.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as ModelFormatError).code;
  }
  return undefined;
}

describe('shardFileName', () => {
  it.each(['group1-shard1of1', 'group1-shard1of2.bin', 'weights.bin', 'my model (1).weights.bin'])('accepts the plain file name %j', (p) => {
    expect(shardFileName(p)).toBe(p);
  });

  it('drops the "./" that tfjs browser downloads write', () => {
    expect(shardFileName('./mnist-cnn.weights.bin')).toBe('mnist-cnn.weights.bin');
  });

  it.each([
    '../weights.bin',
    '../../etc/passwd',
    'sub/group1-shard1of1.bin',
    '/abs/group1.bin',
    'C:\\models\\group1.bin',
    '..\\group1.bin',
    'https://example.com/model/group1-shard1of1.bin',
    '././x.bin',
    '..',
    'a..bin',
    '',
    './',
    'bad\u0000name.bin',
  ])('refuses %j with MODEL_UNSAFE_PATH', (p) => {
    expect(codeOf(() => shardFileName(p))).toBe(ErrorCodes.MODEL_UNSAFE_PATH);
  });

  it('names the offending path in the message and details', () => {
    try {
      shardFileName('../secrets.bin');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelFormatError);
      expect((e as ModelFormatError).message).toContain('"../secrets.bin"');
      expect((e as ModelFormatError).details).toMatchObject({ path: '../secrets.bin' });
    }
  });
});

describe('validateManifest', () => {
  const w = (name: string, shape: number[], dtype = 'float32', extra: object = {}) => ({ name, shape, dtype, ...extra });

  it('returns groups with plain shard names and typed entries', () => {
    const groups = validateManifest([{ paths: ['./a.bin', 'b.bin'], weights: [w('d/kernel', [2, 3]), w('d/bias', [3])] }]);
    expect(groups).toEqual([{ paths: ['a.bin', 'b.bin'], weights: [w('d/kernel', [2, 3]), w('d/bias', [3])] }]);
  });

  it('keeps int32 entries for sizing (a Keras 3 optimizer iteration count) but refuses unknown dtypes', () => {
    const [g] = validateManifest([{ paths: ['a.bin'], weights: [w('optimizer/vars/0', [], 'int32')] }]);
    expect(entryBytes(g.weights[0])).toBe(4);
    expect(codeOf(() => validateManifest([{ paths: ['a.bin'], weights: [w('s', [1], 'string')] }]))).toBe(ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
    expect(codeOf(() => validateManifest([{ paths: ['a.bin'], weights: [w('c', [1], 'complex64')] }]))).toBe(ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
  });

  it('sizes quantized entries by their stored dtype, and assertFloat32 refuses them', () => {
    const [g] = validateManifest([
      { paths: ['a.bin'], weights: [w('k', [10], 'float32', { quantization: { dtype: 'uint8', min: -1, scale: 0.01 } }), w('h', [10], 'float32', { quantization: { dtype: 'float16' } })] },
    ]);
    expect(g.weights.map(entryBytes)).toEqual([10, 20]);
    expect(codeOf(() => assertFloat32(g.weights[0]))).toBe(ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
    expect(codeOf(() => assertFloat32(g.weights[1]))).toBe(ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
    expect(codeOf(() => assertFloat32({ name: 'i', shape: [2], dtype: 'int32' }))).toBe(ErrorCodes.MODEL_UNSUPPORTED_DTYPE);
    expect(codeOf(() => assertFloat32({ name: 'f', shape: [2], dtype: 'float32' }))).toBeUndefined();
  });

  it.each([
    ['not an array', {}],
    ['a group without paths', [{ weights: [] }]],
    ['an entry without a shape', [{ paths: ['a.bin'], weights: [{ name: 'x', dtype: 'float32' }] }]],
    ['a negative dimension', [{ paths: ['a.bin'], weights: [w('x', [-1])] }]],
    ['an entry without a dtype', [{ paths: ['a.bin'], weights: [{ name: 'x', shape: [1] }] }]],
    ['a duplicated shard', [{ paths: ['a.bin'], weights: [] }, { paths: ['./a.bin'], weights: [] }]],
    ['a duplicated weight', [{ paths: ['a.bin'], weights: [w('x', [1]), w('x', [1])] }]],
    ['weights without shards', [{ paths: [], weights: [w('x', [1])] }]],
    ['a non-string path', [{ paths: [3], weights: [] }]],
  ])('refuses %s with MODEL_INVALID_TOPOLOGY', (_, manifest) => {
    expect(codeOf(() => validateManifest(manifest))).toBe(ErrorCodes.MODEL_INVALID_TOPOLOGY);
  });
});
