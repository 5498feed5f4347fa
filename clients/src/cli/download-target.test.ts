import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { sha256Hex } from '../sdk/client.ts';
import { CliError } from './exit-codes.ts';
import { prepareDownload, targetPath } from './download-target.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'temper-dl-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);
const planned = async (name: string, content: string) => ({ name, sha256: await sha256Hex(bytes(content)) });

test('an empty or missing folder, or one holding this very model, is fine', async () => {
  await prepareDownload(join(dir, 'missing'), [await planned('model.json', '{}')], false);
  writeFileSync(join(dir, 'model.json'), '{}');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  await prepareDownload(dir, [await planned('model.json', '{}')], false);
  expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
});

test('another model is refused with the files that differ; --force removes its model.json and the shards it lists, nothing else', async () => {
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['old-1.bin', 'old-2.bin', '../outside.bin'] }] }));
  writeFileSync(join(dir, 'old-1.bin'), 'a');
  writeFileSync(join(dir, 'old-2.bin'), 'b');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  const files = [await planned('model.json', '{"new":1}'), await planned('weights.bin', 'w')];
  await expect(prepareDownload(dir, files, false)).rejects.toThrow(CliError);
  await expect(prepareDownload(dir, files, false)).rejects.toThrow(`${dir} already holds another model (model.json differs from this one's); pass --force to replace it, or choose another directory`);
  await prepareDownload(dir, files, true);
  expect(['model.json', 'old-1.bin', 'old-2.bin'].map((f) => existsSync(join(dir, f)))).toEqual([false, false, false]);
  expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
});

test('a server file name never leaves the folder', () => {
  expect(() => targetPath(dir, '../evil')).toThrow(/refusing to write the file name "..\/evil"/);
  expect(() => targetPath(dir, '/etc/passwd')).toThrow(CliError);
  expect(targetPath(dir, 'group1-shard1of1.bin')).toBe(join(dir, 'group1-shard1of1.bin'));
});
