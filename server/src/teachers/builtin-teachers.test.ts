import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZooClassifier } from '@temper/edge';
import { saveClassifier } from '@temper/edge/io';
import { FileArtifactStore } from '../artifacts/artifact-store.ts';
import { initTestBackend } from '../compute/test-backend.ts';
import { storeFile } from '../config.ts';
import { writeModelDir } from '../models/model-dir.ts';
import { Store } from '../store/store.ts';
import { BUILTIN_TEACHER_PRODUCER, ensureBuiltinTeachers } from './builtin-teachers.ts';

describe('built-in teachers', () => {
  let root: string;
  beforeAll(async () => {
    await initTestBackend();
    root = await mkdtemp(join(tmpdir(), 'temper-builtin-teachers-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('gives every owner each finished teacher once, sharing the files', async () => {
    const teachers = join(root, 'teachers');
    const model = createZooClassifier('mlp', { inputShape: [28, 28, 1], numClasses: 10, seed: 1, widthMultiplier: 0.25 });
    const saved = await saveClassifier(model);
    model.model.dispose();
    await writeModelDir(join(teachers, 'mnist-tiny'), saved, { 'recipe.json': JSON.stringify({ recipe: { architecture: 'mlp' } }), 'report.json': '{}' });
    // Still training: no report yet, so not offered.
    await writeModelDir(join(teachers, 'unfinished'), saved, { 'recipe.json': '{}' });
    const dataDir = join(root, 'data');
    await mkdir(dataDir, { recursive: true });
    const store = await Store.open(storeFile(dataDir));
    const artifacts = new FileArtifactStore(dataDir);
    try {
      const a = await store.ensureOwner('a');
      const b = await store.ensureOwner('b');
      const lines: string[] = [];
      expect(await ensureBuiltinTeachers(store, artifacts, { dir: teachers, log: (l) => lines.push(l) })).toBe(2);
      expect(lines[0]).toContain('added 2 model(s) (mnist-tiny) for 2 owner(s)');
      expect(await ensureBuiltinTeachers(store, artifacts, { dir: teachers })).toBe(0);
      for (const owner of [a, b]) {
        const models = await store.listModels(owner.id, { source: null }, { limit: 10, offset: 0 });
        expect(models.map((m) => [m.name, m.source, m.producer, m.architecture])).toEqual([['builtin: mnist-tiny', 'ZOO', BUILTIN_TEACHER_PRODUCER, 'mlp']]);
        expect(await artifacts.has(models[0].files[0].artifact)).toBe(true);
      }
      const c = await store.ensureOwner('c');
      expect(await ensureBuiltinTeachers(store, artifacts, { dir: teachers })).toBe(1);
      expect((await store.listModels(c.id, { source: null }, { limit: 10, offset: 0 })).length).toBe(1);
      expect(await ensureBuiltinTeachers(store, artifacts, { dir: join(root, 'none') })).toBe(0);
    } finally {
      await store.close();
    }
  });
});
