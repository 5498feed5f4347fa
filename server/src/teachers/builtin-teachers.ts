import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadClassifier } from '@temper/edge/io';
import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import { readModelDir } from '../models/model-dir.ts';
import type { Store } from '../store/store.ts';

/** server/teachers/: the committed teachers, one directory per recipe id. */
export function teachersDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'teachers');
}

/** How a shipped teacher is told apart from a user's zoo model (ModelSource has no BUILTIN value yet). */
export const BUILTIN_TEACHER_PRODUCER = 'temper built-in robust teacher (npm run train:teachers)';

/**
 * Gives every owner the committed robust teachers as models of their own (source ZOO, producer
 * BUILTIN_TEACHER_PRODUCER, named `builtin: <id>`), once per owner: a teacher is a model like any
 * other to the API (a job names it by id, the owner may delete it), and its files are shared
 * artifacts, stored once. Only finished teachers count: a directory needs model.json, recipe.json
 * and report.json (train:teachers writes the report last, after the evaluation).
 */
export async function ensureBuiltinTeachers(store: Store, artifacts: ArtifactStore, o: { dir?: string; log?: (line: string) => void } = {}): Promise<number> {
  const dir = o.dir ?? teachersDir();
  if (!existsSync(dir)) return 0;
  const ids = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && ['model.json', 'recipe.json', 'report.json'].every((f) => existsSync(join(dir, e.name, f)))).map((e) => e.name).sort();
  if (ids.length === 0) return 0;
  const owners = await store.ownerIds();
  let added = 0;
  for (const id of ids) {
    const files = await readModelDir(join(dir, id));
    const { classifier, info } = await loadClassifier({ ...files, purpose: 'harden' });
    classifier.model.dispose();
    const recipe = JSON.parse(await readFile(join(dir, id, 'recipe.json'), 'utf8')) as { recipe?: { architecture?: string } };
    const names = ['model.json', ...Object.keys(files.shards)];
    for (const ownerId of owners) {
      if (await store.modelBySha256(ownerId, info.sha256, BUILTIN_TEACHER_PRODUCER)) continue;
      const hashes = [];
      for (const b of [files.modelJson, ...Object.values(files.shards)]) hashes.push(await artifacts.put(b));
      await store.insertModel({
        ownerId,
        name: `builtin: ${id}`,
        source: 'ZOO',
        format: info.format,
        producer: BUILTIN_TEACHER_PRODUCER,
        inputShape: [...info.inputShape],
        numClasses: info.numClasses,
        parameterCount: info.parameterCount,
        sha256: info.sha256,
        featureLayer: info.featureLayer,
        outputsWereSoftmax: info.outputsWereSoftmax,
        preprocessing: info.preprocessing,
        architecture: recipe.recipe?.architecture ?? null,
        files: hashes.map((h, i) => ({ name: names[i], artifact: h.hash, bytes: h.bytes })),
        warnings: [...info.warnings],
        createdByJobId: null,
      });
      added++;
    }
  }
  if (added) o.log?.(`[temper] built-in teachers: added ${added} model(s) (${ids.join(', ')}) for ${owners.length} owner(s)`);
  return added;
}
