import { attackDataset, pgd } from '@temper/edge/attacks';
import { datasetAccuracy, ErrorCodes, subsetDataset, TrainingConfigError, type Classifier, type ImageDataset } from '@temper/edge';
import { bool, num, type ParamSpecs } from './params.ts';

/**
 * The robustness-distillation methods (ARD, RSLAD, RRM, IGAM) transfer the teacher's robustness, so
 * a teacher without any gives a student without any: measured, RRM from a 1-epoch naturally
 * trained teacher reached 0% robust accuracy and nothing told the user. Before training, a short
 * PGD on held-out examples measures the teacher at the job's eps; below the floor the job is
 * refused with TEACHER_NOT_ROBUST and the number, unless the caller sets forceTeacher.
 * KD is not checked: it distills accuracy from any teacher by design.
 */
export interface TeacherCheckParams {
  readonly forceTeacher: boolean;
  readonly teacherMinRobustAccuracy: number;
  readonly teacherCheckSize: number;
  readonly teacherCheckSteps: number;
}

export const TEACHER_CHECK_SPECS: ParamSpecs<TeacherCheckParams> = {
  forceTeacher: { default: false, source: 'Temper default: refuse a teacher below teacherMinRobustAccuracy', check: bool() },
  teacherMinRobustAccuracy: {
    default: 0.25,
    source: 'Temper default: naturally trained MNIST/CIFAR models score ~0% under PGD at the standard eps, robust teachers 50-95%',
    check: num({ min: 0, max: 1 }),
  },
  teacherCheckSize: { default: 256, source: 'Temper default: the first 256 test examples (the held-out monitor batch)', check: num({ min: 1, max: 100_000, integer: true }) },
  teacherCheckSteps: { default: 10, source: 'Temper default: PGD-10, step 2.5 eps/10, random start (a floor check, not an evaluation)', check: num({ min: 1, max: 1000, integer: true }) },
};

export const TEACHER_CHECK_PARAM_NAMES = Object.keys(TEACHER_CHECK_SPECS) as (keyof TeacherCheckParams)[];

export function checksTeacher(config: object): config is TeacherCheckParams {
  return 'forceTeacher' in config;
}

/** What the job records (its config's `teacherCheck`). */
export interface TeacherCheckResult {
  readonly eps: number;
  readonly attack: string;
  readonly examples: number;
  readonly cleanAccuracy: number;
  readonly pgdAccuracy: number;
  readonly minRobustAccuracy: number;
  readonly passed: boolean;
  readonly forced: boolean;
  readonly seconds: number;
}

/** Measures the teacher; throws TEACHER_NOT_ROBUST below the floor unless forced. */
export async function checkTeacher(teacher: Classifier, heldOut: ImageDataset, eps: number, p: TeacherCheckParams, signal?: AbortSignal): Promise<TeacherCheckResult> {
  const t0 = performance.now();
  const n = Math.min(p.teacherCheckSize, heldOut.count);
  const set = subsetDataset(heldOut, Array.from({ length: n }, (_, i) => i));
  const cleanAccuracy = await datasetAccuracy(teacher, set, { signal });
  const r = await attackDataset(pgd, teacher, set, { eps, steps: p.teacherCheckSteps, stepSize: null, restarts: 1 }, { seed: 'teacher-check', signal, keepAdversarial: false });
  const result: TeacherCheckResult = {
    eps,
    attack: `pgd-${p.teacherCheckSteps}`,
    examples: n,
    cleanAccuracy,
    pgdAccuracy: r.robustAccuracy,
    minRobustAccuracy: p.teacherMinRobustAccuracy,
    passed: r.robustAccuracy >= p.teacherMinRobustAccuracy,
    forced: p.forceTeacher,
    seconds: (performance.now() - t0) / 1000,
  };
  if (!result.passed && !p.forceTeacher) {
    throw new TrainingConfigError(
      ErrorCodes.TEACHER_NOT_ROBUST,
      `The teacher is not robust at eps ${eps}: ${(100 * result.pgdAccuracy).toFixed(1)}% accuracy under PGD-${p.teacherCheckSteps} on ${n} held-out examples ` +
        `(clean ${(100 * cleanAccuracy).toFixed(1)}%), below the ${(100 * p.teacherMinRobustAccuracy).toFixed(0)}% a robustness-distillation teacher needs; ` +
        `its student would not be robust either. Use a robust teacher (the built-in ones, or PGD-AT at this eps), or set forceTeacher: true.`,
      { ...result },
    );
  }
  return result;
}
