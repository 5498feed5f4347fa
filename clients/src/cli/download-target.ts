import { readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { sha256Hex } from '../sdk/client.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/**
 * Where `temper download` writes. A folder that already holds this very model is fine (the same
 * bytes land again); one holding another model is refused unless --force, because mixing two
 * models' model.json and shards yields a model that loads and is neither.
 */

export interface PlannedFile {
  readonly name: string;
  readonly sha256: string;
}

/** A server-given file name inside `dir`; never one that climbs out of it. */
export function targetPath(dir: string, name: string): string {
  const rel = normalize(name);
  if (isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) throw new CliError(ExitCode.ERROR, `refusing to write the file name "${name}"`);
  return join(dir, rel);
}

async function readIfExists(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(ExitCode.USAGE, `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The weight shards an existing model.json lists (to remove with it under --force). */
function listedShards(modelJson: Uint8Array): string[] {
  try {
    const m = JSON.parse(new TextDecoder().decode(modelJson)) as { weightsManifest?: { paths?: unknown[] }[] };
    return (m.weightsManifest ?? []).flatMap((g) => (g.paths ?? []).filter((p): p is string => typeof p === 'string'));
  } catch {
    return [];
  }
}

/**
 * Checks the folder before anything is written. Without `force`, any file about to be written that
 * exists with other bytes is a conflict (exit 2, naming the files and --force). With `force`, the
 * old model.json and the shards it lists are removed first, so no stale shard stays behind.
 */
export async function prepareDownload(dir: string, files: readonly PlannedFile[], force: boolean): Promise<void> {
  const conflicts: string[] = [];
  for (const f of files) {
    const existing = await readIfExists(targetPath(dir, f.name));
    if (existing && (await sha256Hex(existing)) !== f.sha256) conflicts.push(f.name);
  }
  if (conflicts.length === 0) return;
  if (!force) {
    throw new CliError(ExitCode.USAGE, `${dir} already holds another model (${conflicts.join(', ')} differ${conflicts.length === 1 ? 's' : ''} from this one's); pass --force to replace it, or choose another directory`);
  }
  const oldJson = await readIfExists(targetPath(dir, 'model.json'));
  const stale = ['model.json', ...(oldJson ? listedShards(oldJson) : [])];
  for (const name of stale) {
    try {
      await rm(targetPath(dir, name), { force: true });
    } catch {
      // A listed name that climbs out of the folder is not ours to delete.
    }
  }
}
