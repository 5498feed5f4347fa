import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, test } from 'vitest';
import { CliError, ExitCode } from './exit-codes.ts';
import { readDatasetFiles, readModelDir } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'temper-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** IDX header: 0, 0, dtype 0x08 (ubyte), rank; then the dimensions. */
const idx = (dims: number[]) => {
  const b = Buffer.alloc(4 + 4 * dims.length + dims.reduce((a, d) => a * d, 1));
  b.writeUInt8(8, 2);
  b.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
};

test('an IDX pair is told apart by its header, raw or gzip, in any order', async () => {
  writeFileSync(join(dir, 'a.gz'), gzipSync(idx([3])));
  writeFileSync(join(dir, 'b.gz'), gzipSync(idx([3, 28, 28])));
  const f = await readDatasetFiles([join(dir, 'a.gz'), join(dir, 'b.gz')]);
  expect(f).toMatchObject({ format: 'IDX', images: { name: 'b.gz' }, labels: { name: 'a.gz' } });
  expect(await f.images!.data.arrayBuffer()).toEqual(gzipSync(idx([3, 28, 28])).buffer.slice(0));
});

test('CIFAR-10: .bin batches in the order given, batches.meta.txt as meta', async () => {
  for (const n of ['data_batch_2.bin', 'data_batch_1.bin', 'batches.meta.txt']) writeFileSync(join(dir, n), 'x');
  const f = await readDatasetFiles(['data_batch_2.bin', 'batches.meta.txt', 'data_batch_1.bin'].map((n) => join(dir, n)));
  expect(f.format).toBe('CIFAR10');
  expect(f.batches!.map((b) => b.name)).toEqual(['data_batch_2.bin', 'data_batch_1.bin']);
  expect(f.meta!.name).toBe('batches.meta.txt');
});

test('unusable input is a usage error (exit 2) that says what is wrong', async () => {
  writeFileSync(join(dir, 'not-idx'), 'hello world');
  await expect(readDatasetFiles([join(dir, 'not-idx'), join(dir, 'a.gz')])).rejects.toThrow(/Cannot tell images from labels/);
  await expect(readDatasetFiles([join(dir, 'a.gz')])).rejects.toThrow(/two files/);
  const model = join(dir, 'model');
  await expect(readModelDir(model)).rejects.toMatchObject({ exitCode: ExitCode.USAGE, message: expect.stringContaining('No model.json in') });
  mkdirSync(model);
  writeFileSync(join(model, 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['group1-shard1of1.bin'] }] }));
  const e = await readModelDir(model).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(CliError);
  expect((e as CliError).message).toContain('model.json lists the weight shard "group1-shard1of1.bin"');
  writeFileSync(join(model, 'group1-shard1of1.bin'), new Uint8Array(8));
  const ok = await readModelDir(model);
  expect([ok.modelJson.name, ...ok.weights.map((w) => w.name)]).toEqual(['model.json', 'group1-shard1of1.bin']);
});
