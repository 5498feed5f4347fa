import { afterAll, beforeAll, expect, test } from 'vitest';
import { Store } from '../store/store.ts';
import { DatabaseCheckpointStore, LostJobError } from './checkpoint-store.ts';

/**
 * The fencing that makes distributed jobs idempotent, on SQLite (the same queries run on
 * PostgreSQL in test/distributed.test.ts): an attempt that was taken over can write nothing more,
 * and a job's outcome is written once.
 */

let store: Store;
let ownerId: string;
let datasetId: string;
beforeAll(async () => {
  store = await Store.open(':memory:');
  ownerId = (await store.ensureOwner('o')).id;
  datasetId = (await store.insertDataset({ ownerId, name: 'd', source: 'UPLOADED', format: 'IDX', builtinName: null, files: {}, height: 2, width: 2, channels: 1, numClasses: 2, count: 4, classNames: null, trainSize: 2, testSize: 2 })).id;
});
afterAll(() => store.close());

const newJob = () => store.insertJob({ ownerId, kind: 'TRAIN_ZOO', method: 'natural', input: { architecture: 'mlp', epochs: 1 }, seed: 1, modelId: null, teacherId: null, datasetId, maxAttempts: 2 });
const model = () => ({ ownerId, name: 'm', source: 'ZOO' as const, format: 'layers-model', producer: null, inputShape: [2, 2, 1], numClasses: 2, parameterCount: 10, sha256: 'x', featureLayer: 'features', outputsWereSoftmax: false, preprocessing: null, architecture: 'mlp', files: [], warnings: [] });

test('a taken-over attempt can neither write events nor checkpoints nor the outcome; the outcome is written once', async () => {
  const job = await newJob();
  const first = await store.takeJob(job.id, 'w1/a');
  expect(first!.job).toMatchObject({ status: 'RUNNING', attempts: 1 });
  expect(await store.appendJobEventIf(job.id, ['RUNNING'], 'PROGRESS', { step: 1 }, {}, 'w1/a')).not.toBeNull();
  const ckptA = new DatabaseCheckpointStore(store.db, job.id, 'w1/a');
  await ckptA.save({ epoch: 1, payload: new Uint8Array([1, 2, 3]) });

  // w1 stalls; the job is delivered again and w2 takes it over, from w1's checkpoint.
  const second = await store.takeJob(job.id, 'w2/b');
  expect(second).toMatchObject({ previousHolder: 'w1/a', before: { status: 'RUNNING' }, job: { attempts: 2 } });
  const ckptB = new DatabaseCheckpointStore(store.db, job.id, 'w2/b');
  expect(await ckptB.load()).toEqual({ epoch: 1, payload: new Uint8Array([1, 2, 3]) });
  expect(await store.appendJobEventIf(job.id, ['RUNNING'], 'PROGRESS', { step: 2 }, {}, 'w1/a')).toBeNull();
  await expect(ckptA.save({ epoch: 2, payload: new Uint8Array([9]) })).rejects.toBeInstanceOf(LostJobError);
  expect((await ckptB.load())!.epoch).toBe(1);
  expect(await store.finishJob(job.id, 'w1/a', { status: 'SUCCEEDED', payload: {}, model: model() })).toBeNull();

  const done = await store.finishJob(job.id, 'w2/b', { status: 'SUCCEEDED', payload: { message: 'Succeeded.' }, model: model(), evaluation: { ownerId, modelId: null, datasetId, cleanAccuracy: 0.5, report: { cleanAccuracy: 0.5 } } });
  expect(done!.job).toMatchObject({ status: 'SUCCEEDED', resultModelId: done!.model!.id, evaluationId: done!.evaluation!.id });
  expect(done!.evaluation!.modelId).toBe(done!.model!.id);
  expect(await ckptB.load()).toBeUndefined();
  // Delivered once more: nothing to take, nothing written.
  expect((await store.takeJob(job.id, 'w3/c'))!.job).toBeNull();
  expect(await store.finishJob(job.id, 'w2/b', { status: 'SUCCEEDED', payload: {}, model: model() })).toBeNull();
  expect(await store.db.selectFrom('models').select('id').where('created_by_job_id', '=', job.id).execute()).toHaveLength(1);
  const events = await store.jobEvents(job.id, 0);
  expect(events.map((e) => e.sequence)).toEqual([1, 2]);
  expect(events.map((e) => e.kind)).toEqual(['PROGRESS', 'STATUS']);
});

test('queued jobs are handed to the queue once', async () => {
  const a = await newJob();
  expect(await store.undispatchedJobs()).toContain(a.id);
  await store.markDispatched([a.id]);
  expect(await store.undispatchedJobs()).not.toContain(a.id);
});
