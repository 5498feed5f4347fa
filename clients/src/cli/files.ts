import { openAsBlob } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gunzipSync, constants as zlib } from 'node:zlib';
import type { NamedBlob } from '../sdk/multipart.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** Reading what users upload from disk (the CLI's Node half; the SDK takes Blobs). */

async function blob(path: string, name: string): Promise<NamedBlob> {
  try {
    // Lazy: a 100 MB shard is streamed into the request, not read into memory first.
    return { name, data: await openAsBlob(path) };
  } catch (e) {
    throw new CliError(ExitCode.USAGE, `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A tfjs layers model directory: model.json and the weight shards its manifest lists. */
export async function readModelDir(dir: string): Promise<{ modelJson: NamedBlob; weights: NamedBlob[]; files: string[] }> {
  const root = resolve(dir);
  const jsonPath = (await isDir(root)) ? join(root, 'model.json') : root;
  const base = (await isDir(root)) ? root : resolve(root, '..');
  let manifest: { weightsManifest?: { paths?: string[] }[] };
  try {
    manifest = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(ExitCode.USAGE, code ? `No model.json in ${dir} (${code}): pass the directory tfjs model.save or tensorflowjs_converter wrote` : `${jsonPath} is not JSON: ${(e as Error).message}`);
  }
  const paths = (manifest.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
  const weights: NamedBlob[] = [];
  for (const p of paths) {
    const file = join(base, p);
    try {
      await stat(file);
    } catch {
      throw new CliError(ExitCode.USAGE, `model.json lists the weight shard "${p}", but ${file} does not exist`);
    }
    weights.push(await blob(file, p));
  }
  return { modelJson: await blob(jsonPath, 'model.json'), weights, files: [jsonPath, ...paths.map((p) => join(base, p))] };
}

export interface DatasetFiles {
  readonly format: 'IDX' | 'CIFAR10';
  readonly images?: NamedBlob;
  readonly labels?: NamedBlob;
  readonly batches?: NamedBlob[];
  readonly meta?: NamedBlob;
}

/**
 * Sorts dataset files: CIFAR-10 binary batches (*.bin, in the order given) with an optional
 * batches.meta.txt, or an IDX image/label pair told apart by the IDX header (rank 1: labels).
 */
export async function readDatasetFiles(paths: readonly string[], format?: string): Promise<DatasetFiles> {
  if (paths.length === 0) throw new CliError(ExitCode.USAGE, 'Give the dataset files: an IDX images/labels pair, or CIFAR-10 batch files');
  const fmt = format?.toUpperCase() ?? (paths.some((p) => /\.bin$/i.test(p)) ? 'CIFAR10' : 'IDX');
  if (fmt === 'CIFAR10' || fmt === 'CIFAR-10') {
    const meta = paths.find((p) => /\.txt$/i.test(p));
    const batches = paths.filter((p) => p !== meta);
    return {
      format: 'CIFAR10',
      batches: await Promise.all(batches.map((p) => blob(p, basename(p)))),
      ...(meta ? { meta: await blob(meta, basename(meta)) } : {}),
    };
  }
  if (fmt !== 'IDX') throw new CliError(ExitCode.USAGE, `--format must be idx or cifar10, got "${format}"`);
  if (paths.length !== 2) throw new CliError(ExitCode.USAGE, `An IDX dataset is two files (images and labels), got ${paths.length}`);
  const ranks = await Promise.all(paths.map(idxRank));
  const imagesAt = ranks.findIndex((r) => r >= 3);
  const labelsAt = ranks.findIndex((r) => r === 1);
  if (imagesAt < 0 || labelsAt < 0) throw new CliError(ExitCode.USAGE, `Cannot tell images from labels: IDX ranks ${ranks.join(' and ')} (want 3 or 4 for images, 1 for labels)`);
  return { format: 'IDX', images: await blob(paths[imagesAt], basename(paths[imagesAt])), labels: await blob(paths[labelsAt], basename(paths[labelsAt])) };
}

/** The rank byte of an IDX header (raw or gzip); -1 when the file is not IDX. */
async function idxRank(path: string): Promise<number> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(1 << 16), 0, 1 << 16, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new CliError(ExitCode.USAGE, `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      head = gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH });
    } catch {
      return -1;
    }
  }
  return head.length >= 4 && head[0] === 0 && head[1] === 0 ? head[3] : -1;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
