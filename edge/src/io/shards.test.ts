import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.ts';
import type { ManifestGroup } from './manifest.ts';
import { assembleShards } from './shards.ts';
import { thrown } from './fixtures/thrown.ts';

const groups: ManifestGroup[] = [
  {
    paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
    weights: [
      { name: 'a', shape: [3], dtype: 'float32' },
      { name: 'b', shape: [2, 2], dtype: 'float32' },
    ],
  },
  { paths: ['group2-shard1of1.bin'], weights: [{ name: 'c', shape: [1], dtype: 'float32' }] },
];
const bytes = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) % 256);
const good = () => ({ 'group1-shard1of2.bin': bytes(16), 'group1-shard2of2.bin': bytes(12, 16), 'group2-shard1of1.bin': bytes(4, 100) });


describe('assembleShards', () => {
  it('joins shards in manifest order, whatever order they were uploaded in', () => {
    const s = good();
    const shuffled = { 'group2-shard1of1.bin': s['group2-shard1of1.bin'], 'group1-shard2of2.bin': s['group1-shard2of2.bin'], 'group1-shard1of2.bin': s['group1-shard1of2.bin'] };
    const out = assembleShards(groups, shuffled);
    expect(Array.from(new Uint8Array(out.weightData))).toEqual([...bytes(28), ...bytes(4, 100)]);
    expect(out.weightSpecs.map((w) => w.name)).toEqual(['a', 'b', 'c']);
    expect(out.orderedShards).toEqual([s['group1-shard1of2.bin'], s['group1-shard2of2.bin'], s['group2-shard1of1.bin']]);
  });

  it('MODEL_MISSING_SHARD lists every missing shard', () => {
    const { 'group1-shard2of2.bin': _, 'group2-shard1of1.bin': __, ...rest } = good();
    const e = thrown(() => assembleShards(groups, rest));
    expect(e.code).toBe(ErrorCodes.MODEL_MISSING_SHARD);
    expect(e.message).toContain('"group1-shard2of2.bin", "group2-shard1of1.bin"');
    expect(e.details).toMatchObject({ missing: ['group1-shard2of2.bin', 'group2-shard1of1.bin'] });
  });

  it('MODEL_MISSING_SHARD suggests the rename when only the ".bin" suffix differs', () => {
    const g: ManifestGroup[] = [{ paths: ['group1-shard1of1'], weights: [{ name: 'a', shape: [1], dtype: 'float32' }] }];
    const e = thrown(() => assembleShards(g, { 'group1-shard1of1.bin': bytes(4) }));
    expect(e.code).toBe(ErrorCodes.MODEL_MISSING_SHARD);
    expect(e.message).toMatch(/"group1-shard1of1\.bin" was uploaded; the manifest names it "group1-shard1of1"/);
  });

  it('MODEL_EXTRA_SHARD names uploads the manifest does not list', () => {
    const e = thrown(() => assembleShards(groups, { ...good(), 'group1-shard1of1 (copy).bin': bytes(4) }));
    expect(e.code).toBe(ErrorCodes.MODEL_EXTRA_SHARD);
    expect(e.details).toMatchObject({ extra: ['group1-shard1of1 (copy).bin'] });
  });

  it('MODEL_SHARD_SIZE_MISMATCH gives expected and actual bytes of the group', () => {
    const e = thrown(() => assembleShards(groups, { ...good(), 'group1-shard2of2.bin': bytes(11) }));
    expect(e.code).toBe(ErrorCodes.MODEL_SHARD_SIZE_MISMATCH);
    expect(e.message).toContain('"group1-shard1of2.bin" + "group1-shard2of2.bin" hold 27 bytes');
    expect(e.details).toMatchObject({ expectedBytes: 28, actualBytes: 27, shardBytes: [16, 11] });
  });
});
