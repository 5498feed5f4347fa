import { execFile } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gql, sse, startTestServer, uploadTinyDataset, uploadTinyModel } from '@temper/server/testing';

/**
 * hardenModel with teacher AUTO, end to end on a real server (SQLite store, worker child process,
 * real PGD-AT and RRM training on a tiny dataset with tiny budgets): the first job trains and stores
 * the owner's teacher as its first stage, later jobs of the same dataset and eps reuse it (from the
 * API or from the CLI's --teacher auto), another eps trains another one, and a worker killed in the
 * teacher stage leaves exactly one teacher behind.
 */

// The `temper` executable from source (the bundle is cli-e2e's concern), against this test's server over HTTP.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI = join(import.meta.dirname, '..', 'clients', 'src', 'cli', 'bin.ts');

type Server = Awaited<ReturnType<typeof startTestServer>>;
let s: Server;
let http: HttpServer;
let url = '';
let dataset = '';
let student = '';

// A tiny budget: mlp teacher, 1 epoch of PGD-AT; the RRM student is forced past the teacher check (1 epoch is not robust).
const TEACHER_PARAMS = { teacherEpochs: 1, teacherArchitecture: 'mlp', teacherBatchSize: 64 };
const STUDENT_PARAMS = { forceTeacher: true, monitorSize: 0 };
const EVALUATION = { sampleSize: 10, attacks: [{ attack: 'fgsm' }] };

const HARDEN = `mutation($input: HardenModelInput!) { hardenModel(input: $input) { __typename ... on MutationHardenModelSuccess { data { id teacher { id name } } } ... on DomainError { code message } } }`;
const JOB = `query($id: ID!) { node(id: $id) { ... on Job { status attempts error { code message } timeline { kind message } } ... on HardeningJob { teacher { id name } resultModel { id } config progress { stage phase epoch } } } }`;
const TEACHERS = `{ viewer { models(first: 100) { edges { node { id name source architecture metadata } } } } }`;
const FOLLOW = `subscription($id: ID!) { jobProgress(id: $id) { status progress { phase stage epoch epochs step } } }`;

function harden(input: Record<string, unknown>) {
  return gql(s.yoga, s.token, HARDEN, { input: { method: 'RRM', student, dataset, epochs: 1, batchSize: 64, evaluation: EVALUATION, ...input } });
}
const job = async (id: string) => (await gql(s.yoga, s.token, JOB, { id })).data!.node;
const autoTeachers = async () => ((await gql(s.yoga, s.token, TEACHERS)).data!.viewer.models.edges as { node: Record<string, any> }[]).map((e) => e.node).filter((m) => m.name.startsWith('auto teacher: '));
async function finished(id: string): Promise<Record<string, any>> {
  const { completed } = await sse(s.yoga, s.token, `subscription($id: ID!) { jobProgress(id: $id) { status } }`, { id });
  expect(completed).toBe(true);
  return job(id);
}

beforeAll(async () => {
  s = await startTestServer({ workers: 1, maxAttempts: 2, workerEnv: { TEMPER_PROGRESS_INTERVAL_MS: '0', TEMPER_THREADS: '1' } });
  dataset = await uploadTinyDataset(s.yoga, s.token, 300);
  student = await uploadTinyModel(s.yoga, s.token, 'student');
  http = createServer(s.yoga);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => http.close(r));
  await s.dispose();
});

describe('teacher: AUTO', () => {
  let first = '';

  test('the first job trains the teacher as its first stage, stores it as a model of the owner, and the student job completes', async () => {
    const r = await harden({ teacher: 'auto', eps: 0.1, params: { ...TEACHER_PARAMS, ...STUDENT_PARAMS } });
    expect(r.data!.hardenModel.__typename).toBe('MutationHardenModelSuccess');
    expect(r.data!.hardenModel.data.teacher).toBeNull();
    const id = r.data!.hardenModel.data.id;
    const { events, completed } = await sse(s.yoga, s.token, FOLLOW, { id });
    expect(completed).toBe(true);
    const progress = events.map((e) => e.data.jobProgress.progress).filter(Boolean);
    // Progress says whose it is: the teacher's epochs first, then the student's.
    const teacherTraining = progress.filter((p) => p.stage === 'teacher' && p.phase === 'training');
    expect(teacherTraining.length).toBeGreaterThan(0);
    expect(teacherTraining.every((p) => p.epochs === 1 && p.epoch >= 1)).toBe(true);
    const lastTeacher = progress.findLastIndex((p) => p.stage === 'teacher');
    const firstStudent = progress.findIndex((p) => p.stage === 'student' && p.phase === 'training');
    expect(firstStudent).toBeGreaterThan(lastTeacher);

    const j = await job(id);
    expect(j.status).toBe('SUCCEEDED');
    expect(j.resultModel).not.toBeNull();
    const teachers = await autoTeachers();
    expect(teachers).toHaveLength(1);
    const [t] = teachers;
    expect(t).toMatchObject({ name: 'auto teacher: tiny-300, eps 0.1, mlp', source: 'ZOO', architecture: 'mlp' });
    expect(t.metadata).toMatchObject({ kind: 'auto-teacher', eps: 0.1, recipe: { method: 'pgd-at', architecture: 'mlp', epochs: 1, batchSize: 64, params: { steps: 10, stepSize: 0.025, randomStart: true } } });
    expect(t.metadata.budget.trainingSeconds).toBeGreaterThan(0);
    // The job records the teacher it trained, and the teacher check ran on it like on any other.
    expect(j.teacher).toEqual({ id: t.id, name: t.name });
    expect(j.config.teacherCheck).toMatchObject({ forced: true });
    expect(j.timeline.some((e: any) => /teacher/i.test(e.message ?? '') && /stored/.test(e.message ?? ''))).toBe(true);
    first = t.id;
  });

  test('a second job of the same owner, dataset and eps reuses the teacher (no training, no second model)', async () => {
    const r = await harden({ teacher: 'AUTO', eps: 0.1, params: { ...TEACHER_PARAMS, ...STUDENT_PARAMS } });
    expect(r.data!.hardenModel.data.teacher.id).toBe(first);
    const id = r.data!.hardenModel.data.id;
    const { events } = await sse(s.yoga, s.token, FOLLOW, { id });
    expect(events.some((e) => e.data.jobProgress.progress?.stage === 'teacher')).toBe(false);
    const j = await job(id);
    expect(j.status).toBe('SUCCEEDED');
    expect(j.teacher.id).toBe(first);
    expect((await autoTeachers()).map((t) => t.id)).toEqual([first]);
  });

  test('the CLI passes --teacher auto through: the job reuses the same teacher', async () => {
    const args = ['harden', '--model', student, '--dataset', dataset, '--method', 'rrm', '--teacher', 'auto', '--eps', '0.1', '--epochs', '1', '--batch-size', '64', '--param', 'teacherEpochs=1', '--param', 'teacherArchitecture=mlp', '--param', 'teacherBatchSize=64', '--param', 'forceTeacher=true', '--param', 'monitorSize=0', '--eval-attacks', 'fgsm', '--eval-sample-size', '10', '--wait'];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', TSX, CLI, ...args], { env: { ...process.env, TEMPER_URL: url, TEMPER_TOKEN: s.token }, timeout: 240_000 }, (e, stdout, stderr) =>
        resolve({ code: e ? Number((e as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('from an auto teacher');
    const id = stdout.trim().split('\n')[0];
    const j = await job(id);
    expect(j.status).toBe('SUCCEEDED');
    expect(j.teacher.id).toBe(first);
    expect(await autoTeachers()).toHaveLength(1);
  });

  test('another eps trains another teacher; a worker killed in the teacher stage still leaves exactly one', async () => {
    // Batches of 8: ~30 steps an epoch, 6 epochs, so that the kill lands inside the teacher stage after its first checkpoint.
    const r = await harden({ teacher: 'auto', eps: 0.2, params: { ...TEACHER_PARAMS, teacherEpochs: 6, teacherBatchSize: 8, ...STUDENT_PARAMS } });
    const id = r.data!.hardenModel.data.id;
    expect(r.data!.hardenModel.data.teacher).toBeNull();
    // Kill the worker once the teacher trains its second epoch: the retry (maxAttempts 2) resumes the stage from its checkpoint.
    for (const end = Date.now() + 120_000; ; ) {
      const t = await job(id);
      if (t.progress?.stage === 'teacher' && t.progress.phase === 'training' && t.progress.epoch >= 2) break;
      if (Date.now() > end) throw new Error('no progress');
      await new Promise((res) => setTimeout(res, 50));
    }
    process.kill(s.supervisor.slots[0].child!.pid!, 'SIGKILL');
    const j = await finished(id);
    expect(j.status, JSON.stringify(j.error)).toBe('SUCCEEDED');
    expect(j.attempts).toBe(2);
    const teachers = await autoTeachers();
    expect(teachers).toHaveLength(2);
    const second = teachers.find((t) => t.id !== first)!;
    expect(second.name).toBe('auto teacher: tiny-300, eps 0.2, mlp');
    expect(j.teacher.id).toBe(second.id);
    expect(j.timeline.some((e: any) => /^\[teacher\] resuming the teacher stage from its checkpoint after epoch [1-5]$/.test(e.message ?? ''))).toBe(true);
    // Stored once, by the attempt that finished the stage.
    expect(j.timeline.filter((e: any) => /^stored the trained teacher/.test(e.message ?? ''))).toHaveLength(1);
  });

  test('two AUTO jobs queued at once: the second finds the teacher the first stored when it starts, and trains none', async () => {
    const a = await harden({ teacher: 'auto', eps: 0.3, params: { ...TEACHER_PARAMS, ...STUDENT_PARAMS } });
    const b = await harden({ teacher: 'auto', eps: 0.3, params: { ...TEACHER_PARAMS, ...STUDENT_PARAMS } });
    // Neither had a teacher to reuse when queued.
    expect(a.data!.hardenModel.data.teacher).toBeNull();
    expect(b.data!.hardenModel.data.teacher).toBeNull();
    const ja = await finished(a.data!.hardenModel.data.id);
    const jb = await finished(b.data!.hardenModel.data.id);
    expect([ja.status, jb.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const eps03 = (await autoTeachers()).filter((t) => t.metadata.eps === 0.3);
    expect(eps03).toHaveLength(1);
    expect(ja.teacher.id).toBe(eps03[0].id);
    expect(jb.teacher.id).toBe(eps03[0].id);
    expect(jb.timeline.some((e: any) => /^reusing the owner's teacher/.test(e.message ?? ''))).toBe(true);
  });

  test('AUTO on a method without a teacher is refused like any teacher; bad teacher settings and ids fail with codes', async () => {
    const pgd = await harden({ method: 'PGD_AT', teacher: 'AUTO', eps: 0.1 });
    expect(pgd.data!.hardenModel).toMatchObject({ __typename: 'InvalidRequestError', code: 'TEACHER_NOT_USED' });
    const epochs = await harden({ teacher: 'AUTO', eps: 0.1, params: { teacherEpochs: 0 } });
    expect(epochs.data!.hardenModel).toMatchObject({ code: 'TRAINING_INVALID_CONFIG' });
    const arch = await harden({ teacher: 'AUTO', eps: 0.1, params: { teacherArchitecture: 'transformer-xxl' } });
    expect(arch.data!.hardenModel).toMatchObject({ code: 'TRAINING_INVALID_CONFIG' });
    // teacher* settings belong to AUTO: with a given teacher they are unknown method params.
    const given = await harden({ teacher: first, eps: 0.1, params: { teacherEpochs: 2 } });
    expect(given.data!.hardenModel).toMatchObject({ code: 'TRAINING_INVALID_CONFIG' });
    const bad = await harden({ teacher: 'not-a-model-id', eps: 0.1 });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_GLOBAL_ID');
    const other = await harden({ teacher: dataset, eps: 0.1 });
    expect(other.data!.hardenModel).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
});
