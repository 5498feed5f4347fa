import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRecord } from '@temper/contracts';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Store } from './store.ts';
import type { NewModel } from './models.ts';

/** The auto teachers' key lookup and the fenced write that makes a trained teacher a job's, on a real SQLite store. */

let dir: string;
let store: Store;
let ownerId: string;
let job: JobRecord;

const model = (name: string, sha: string, key: string | null): Omit<NewModel, 'id' | 'createdByJobId'> => ({
  ownerId, name, source: 'ZOO', format: 'layers-model', producer: null, inputShape: [28, 28, 1], numClasses: 10, parameterCount: 1, sha256: sha.repeat(64),
  featureLayer: 'f', outputsWereSoftmax: false, preprocessing: null, architecture: 'mlp', files: [{ name: 'model.json', artifact: sha.repeat(64), bytes: 1 }], warnings: [], autoTeacherKey: key, metadata: key ? { recipe: { method: 'pgd-at' } } : null,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'temper-auto-teachers-'));
  store = await Store.open(join(dir, 'temper.db'));
  ownerId = (await store.ensureOwner('alice')).id;
  const dataset = await store.insertDataset({ ownerId, name: 'd', source: 'UPLOADED', format: 'IDX', builtinName: null, files: { images: 'a'.repeat(64), labels: 'b'.repeat(64) }, height: 28, width: 28, channels: 1, numClasses: 10, count: 100, classNames: null, trainSize: 80, testSize: 20 });
  const student = await store.insertModel({ ...model('student', 'c', null), createdByJobId: null });
  await store.insertJob({ ownerId, kind: 'HARDEN', method: 'rrm', input: { eps: 0.1, epochs: 1 }, seed: 0, modelId: student.id, teacherId: null, datasetId: dataset.id, maxAttempts: 2 });
  job = (await store.claimNextJob('server/0'))!;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a trained teacher becomes the owner model and the job teacher in one write; the lookup finds it by key, the newest first', async () => {
  expect(await store.autoTeacher(ownerId, 'd|0.1|mlp')).toBeNull();
  const r = (await store.storeJobTeacher(job.id, 'server/0', model('auto teacher: d, eps 0.1, mlp', 'e', 'd|0.1|mlp'), (m) => ({ message: `stored ${m.id}` })))!;
  expect(r.job.teacherId).toBe(r.model.id);
  expect(r.model).toMatchObject({ createdByJobId: job.id, autoTeacherKey: 'd|0.1|mlp', metadata: { recipe: { method: 'pgd-at' } } });
  expect(r.event).toMatchObject({ kind: 'LOG', payload: { message: `stored ${r.model.id}` } });
  expect((await store.autoTeacher(ownerId, 'd|0.1|mlp'))!.id).toBe(r.model.id);
  expect(await store.autoTeacher(ownerId, 'd|0.2|mlp')).toBeNull();
  expect(await store.autoTeacher((await store.ensureOwner('bob')).id, 'd|0.1|mlp')).toBeNull();
  // Two jobs that trained one for the same key at once: both are kept, the newer is reused.
  await new Promise((res) => setTimeout(res, 5));
  const newer = await store.insertModel({ ...model('auto teacher: d, eps 0.1, mlp', 'f', 'd|0.1|mlp'), createdByJobId: null });
  expect((await store.autoTeacher(ownerId, 'd|0.1|mlp'))!.id).toBe(newer.id);
});

test('an attempt that no longer holds its job stores nothing', async () => {
  const before = await store.listModels(ownerId, {}, { limit: 100, offset: 0 });
  expect(await store.storeJobTeacher(job.id, 'server/1', model('t', 'e', 'd|0.1|mlp'), () => ({ message: 'x' }))).toBeNull();
  expect(await store.listModels(ownerId, {}, { limit: 100, offset: 0 })).toHaveLength(before.length);
  expect((await store.jobById(job.id))!.teacherId).toBeNull();
  expect(await store.autoTeacher(ownerId, 'd|0.1|mlp')).toBeNull();
});
