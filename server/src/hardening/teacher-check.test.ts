/**
 * The teacher check of the robustness-distillation methods: measured at the job's eps before any
 * training, a teacher below the floor refused with TEACHER_NOT_ROBUST and its numbers, accepted
 * (and recorded) when forced, and KD left alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, type Classifier, type DatasetSplit } from '@temper/edge';
import { initTestBackend } from '../compute/test-backend.ts';
import { trainZooModel } from '../training/train-zoo-model.ts';
import type { HardeningProgress } from './contract.ts';
import { trainHardening } from './run.ts';
import { TEACHER_CHECK_PARAM_NAMES } from './teacher-check.ts';
import { disposeStudents, tinyMlp, tinyMnist } from './test-helpers.ts';
import { HARDENING_METHODS, TEACHER_CHECK_PARAMS } from '@temper/contracts';

let data: DatasetSplit;
let untrained: Classifier;
let natural: Classifier;

beforeAll(async () => {
  await initTestBackend();
  data = await tinyMnist();
  untrained = tinyMlp(99, 16);
  // Naturally trained: accurate on clean digits, not robust at MNIST's eps.
  natural = (await trainZooModel({ architecture: 'mlp', data, epochs: 8, batchSize: 32, seed: 2, featureWidth: 16 })).classifier;
});

const job = (teacher: Classifier, eps: number, params: Record<string, unknown> = {}) => ({
  method: 'rrm' as const,
  student: tinyMlp(5),
  teacher,
  data,
  eps,
  epochs: 1,
  batchSize: 64,
  seed: 1,
  params: { monitorSize: 0, teacherCheckSize: 48, ...params },
});

describe('teacher check', () => {
  it('refuses a non-robust teacher before training, with the measured numbers', async () => {
    const events: HardeningProgress[] = [];
    const j = job(natural, 0.3);
    const err = await trainHardening(j, { onProgress: (p) => events.push(p) }).catch((e) => e);
    expect(err).toMatchObject({ code: ErrorCodes.TEACHER_NOT_ROBUST, details: { eps: 0.3, examples: 48, minRobustAccuracy: 0.25, passed: false, forced: false, attack: 'pgd-10' } });
    expect(err.details.cleanAccuracy).toBeGreaterThan(0.5);
    expect(err.details.pgdAccuracy).toBeLessThan(0.25);
    expect(err.message).toContain(`${(100 * err.details.pgdAccuracy).toFixed(1)}% accuracy under PGD-10 on 48 held-out examples`);
    expect(err.message).toContain('forceTeacher');
    expect(events.some((e) => e.message?.startsWith('checking the teacher: PGD-10 at eps 0.3'))).toBe(true);
    expect(events.some((e) => e.phase === 'training')).toBe(false);
    j.student.model.dispose();
  });

  it('measures at the job eps: the same teacher passes at a tiny eps and the check is recorded', async () => {
    const j = job(natural, 0.002);
    const r = await trainHardening(j);
    const check = r.config.teacherCheck as Record<string, number | boolean>;
    expect(check).toMatchObject({ eps: 0.002, passed: true, forced: false, examples: 48 });
    expect(check.pgdAccuracy).toBeGreaterThanOrEqual(0.25);
    expect(check.pgdAccuracy).toBeLessThanOrEqual(check.cleanAccuracy as number);
    expect(r.log.some((l) => /rrm: teacher at eps 0\.002: clean [\d.]+%, pgd-10 [\d.]+% on 48 held-out examples \(robust enough\)/.test(l))).toBe(true);
    disposeStudents(j.student, r.student);
  });

  it('trains from a non-robust teacher when forced, and records that it was', async () => {
    const events: HardeningProgress[] = [];
    const j = job(untrained, 0.3, { forceTeacher: true });
    const r = await trainHardening(j, { onProgress: (p) => events.push(p) });
    expect(r.config.teacherCheck).toMatchObject({ passed: false, forced: true, eps: 0.3 });
    expect(r.log.some((l) => l.includes('used because forceTeacher is set'))).toBe(true);
    const teacherEvent = events.find((e) => e.terms.teacherPgd !== undefined);
    expect(teacherEvent?.terms.teacherPgd).toBe((r.config.teacherCheck as { pgdAccuracy: number }).pgdAccuracy);
    expect(r.training.steps).toBe(2);
    disposeStudents(j.student, r.student);
  });

  it('checks ARD, RSLAD, RRM and IGAM, not KD', async () => {
    expect([...TEACHER_CHECK_PARAM_NAMES].sort()).toEqual([...TEACHER_CHECK_PARAMS].sort());
    for (const m of Object.values(HARDENING_METHODS)) {
      const checked = TEACHER_CHECK_PARAMS.every((p) => (m.params as readonly string[]).includes(p));
      expect(checked, m.value).toBe(['ard', 'rslad', 'rrm', 'igam'].includes(m.value));
    }
    const student = tinyMlp(5);
    const r = await trainHardening({ method: 'kd', student, teacher: untrained, data, eps: 0.3, epochs: 1, batchSize: 64, seed: 1, params: { monitorSize: 0 } });
    expect(r.config.teacherCheck).toBeUndefined();
    disposeStudents(student, r.student);
  });
});
