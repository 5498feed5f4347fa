import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobEventRecord, JobRecord } from '@temper/contracts';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Store } from '../store/store.ts';
import { WorkerCrashedError } from './attempt-errors.ts';
import { runAttempt, type AttemptHost } from './attempt.ts';

/**
 * The attempt against a real SQLite store; `execute` - where the host would run the job's compute
 * (a worker child, the BullMQ processor) - is the test's own code, so each path can be driven.
 */

let dir: string;
let store: Store;
let published: JobEventRecord[];
let job: JobRecord;

const REPORT = { cleanAccuracy: 0.5, results: [], epsCurve: [{ eps: 0.1, robustAccuracy: 0.25 }] };

function host(execute: AttemptHost['execute']): AttemptHost {
  return { store, publish: (e) => published.push(e), log: () => {}, where: 'worker t (test)', logName: 'test', execute };
}

async function queueEvaluation(input: Record<string, unknown> = { eps: [0.1], sampleSize: 4 }): Promise<JobRecord> {
  const owner = await store.ensureOwner('alice');
  const dataset = await store.insertDataset({ ownerId: owner.id, name: 'd', source: 'UPLOADED', format: 'IDX', builtinName: null, files: { images: 'a'.repeat(64), labels: 'b'.repeat(64) }, height: 28, width: 28, channels: 1, numClasses: 10, count: 100, classNames: null, trainSize: 80, testSize: 20 });
  const model = await store.insertModel({
    ownerId: owner.id, name: 'm', source: 'UPLOADED', format: 'layers-model', producer: null, inputShape: [28, 28, 1], numClasses: 10, parameterCount: 1, sha256: 'c'.repeat(64),
    featureLayer: 'f', outputsWereSoftmax: false, preprocessing: null, architecture: null, files: [{ name: 'model.json', artifact: 'd'.repeat(64), bytes: 1 }], warnings: [], createdByJobId: null,
  });
  return store.insertJob({ ownerId: owner.id, kind: 'EVALUATE', method: null, input, seed: 1, modelId: model.id, teacherId: null, datasetId: dataset.id, maxAttempts: 2 });
}

const events = async (id: string) => store.jobEvents(id, 0);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'temper-attempt-'));
  store = await Store.open(join(dir, 'temper.db'));
  published = [];
  await queueEvaluation();
  job = (await store.claimNextJob('server/0'))!;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runAttempt', () => {
  test('success: reports become fenced events, the outcome one finish with the evaluation', async () => {
    const outcome = await runAttempt(job, 'server/0', host(async (spec, sink) => {
      expect(spec.kind).toBe('EVALUATE');
      expect(spec.input).toEqual({ eps: [0.1], sampleSize: 4 });
      sink.config({ eps: [0.1] });
      sink.progress({ phase: 'evaluating', message: 'x', step: 0, totalSteps: 1, fraction: 0.5 });
      return { report: REPORT };
    }));
    expect(outcome).toBe('SUCCEEDED');
    const after = (await store.jobById(job.id))!;
    expect(after).toMatchObject({ status: 'SUCCEEDED', config: { eps: [0.1] }, progress: { fraction: 0.5 } });
    const [evaluation] = await store.evaluationsByIds(job.ownerId, [after.evaluationId!]);
    expect(evaluation).toMatchObject({ modelId: job.modelId, cleanAccuracy: 0.5, jobId: job.id });
    const timeline = await events(job.id);
    expect(timeline.map((e) => e.kind)).toEqual(['STATUS', 'PROGRESS', 'STATUS']);
    expect(timeline.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(published.map((e) => e.sequence)).toEqual([1, 2, 3]);
  });

  test('a result of the wrong shape fails the job (JOB_DATA_INVALID) and records nothing', async () => {
    const outcome = await runAttempt(job, 'server/0', host(async () => ({ report: { cleanAccuracy: 2 } })));
    expect(outcome).toBe('FAILED');
    const after = (await store.jobById(job.id))!;
    expect(after).toMatchObject({ status: 'FAILED', errorCode: 'JOB_DATA_INVALID', evaluationId: null });
  });

  test('a stored input of the wrong shape fails before anything runs', async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'temper-attempt-'));
    store = await Store.open(join(dir, 'temper.db'));
    await queueEvaluation({ eps: 'wide' });
    const bad = (await store.claimNextJob('server/0'))!;
    let ran = false;
    expect(await runAttempt(bad, 'server/0', host(async () => (ran = true)))).toBe('FAILED');
    expect(ran).toBe(false);
    expect((await store.jobById(bad.id))!.errorMessage).toContain('eps');
  });

  test('an attempt taken over by another holder stops writing (LOST)', async () => {
    const outcome = await runAttempt(job, 'server/0', host(async (_spec, sink) => {
      await store.takeJob(job.id, 'other/1');
      sink.progress({ phase: 'preparing', message: 'too late' });
      return { report: REPORT };
    }));
    expect(outcome).toBe('LOST');
    const after = (await store.jobById(job.id))!;
    expect(after.status).toBe('RUNNING');
    expect((await events(job.id)).map((e) => e.kind)).toEqual(['STATUS']);
  });

  test('worker crashes use up max_attempts: re-queued at the first, failed at the second', async () => {
    const crash = host(async () => {
      throw new WorkerCrashedError(123, 'killed by SIGKILL');
    });
    expect(await runAttempt(job, 'server/0', crash)).toBe('REQUEUED');
    expect((await store.jobById(job.id))!.status).toBe('QUEUED');
    const again = (await store.claimNextJob('server/0'))!;
    expect(await runAttempt(again, 'server/0', crash)).toBe('FAILED');
    const after = (await store.jobById(job.id))!;
    expect(after).toMatchObject({ status: 'FAILED', errorCode: 'WORKER_CRASHED', attempts: 2 });
    expect(after.errorMessage).toBe('The worker (pid 123) killed by SIGKILL, after 2 worker crash(es).');
  });
});
