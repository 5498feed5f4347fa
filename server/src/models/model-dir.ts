import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SavedModel } from '@temper/edge/io';

/**
 * Reads `model.json` and every other regular file in a directory as candidate shards. Only names
 * inside the directory are read: manifest paths never resolve on disk (the loader rejects any
 * manifest path with separators or `..`, and reports shards it was given but does not need).
 */
export async function readModelDir(dir: string): Promise<{ modelJson: Uint8Array; shards: Record<string, Uint8Array> }> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    throw new Error(e.code === 'ENOENT' ? `model directory ${dir} does not exist` : `cannot read model directory ${dir}: ${e.message}`);
  });
  if (!entries.some((e) => e.isFile() && e.name === 'model.json')) throw new Error(`model directory ${dir} has no model.json`);
  const modelJson = await readFile(join(dir, 'model.json'));
  const shards: Record<string, Uint8Array> = {};
  for (const e of entries) {
    if (!e.isFile() || e.name === 'model.json' || !isShardCandidate(e.name)) continue;
    shards[e.name] = new Uint8Array(await readFile(join(dir, e.name)));
  }
  return { modelJson: new Uint8Array(modelJson), shards };
}

/** Weight shards are `*.bin` or extensionless `group1-shard1of1` files; reports and notes are not. */
function isShardCandidate(name: string): boolean {
  return name.endsWith('.bin') || /^group\d+-shard\d+of\d+$/.test(name);
}

/** Writes model.json + weights.bin atomically enough that a reader never sees a half-written model. */
export async function writeModelDir(dir: string, saved: SavedModel, extraFiles: Record<string, string> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: Record<string, string | Uint8Array> = { 'weights.bin': saved.weightsBin, ...extraFiles, 'model.json': saved.modelJson };
  for (const [name, content] of Object.entries(files)) {
    const tmp = join(dir, `.${name}.tmp`);
    await writeFile(tmp, content);
    await rename(tmp, join(dir, name));
  }
}
