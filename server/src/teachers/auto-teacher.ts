import { ErrorCodes, TrainingConfigError, getZooArchitecture } from '@temper/edge';
import { z } from 'zod';

/**
 * `teacher: AUTO`: a robust teacher trained for the owner's own dataset and eps as a hardening job's
 * first stage, stored as the owner's model and reused by later jobs of the same key (the RRM argument:
 * a teacher's cost is paid once).
 *
 * The recipe is the shipped teachers' (recipes.ts): PGD-AT with PGD-10 at step 2.5·eps/10 and a
 * random start, eps ramped over the first epochs, Adam 1e-3 with a cosine schedule, on cnn-wide.
 * The zoo builds it for the dataset's input shape and classes. The default budget, 10 epochs, sits
 * between the shipped eps-0.1 (6) and eps-0.3 (15) MNIST teachers; `params.teacherEpochs` changes it.
 */

export const AUTO_TEACHER_DEFAULTS = Object.freeze({ epochs: 10, architecture: 'cnn-wide', batchSize: 128 });

/** The literal a hardening request's `teacher` takes for an auto teacher (case-insensitive). */
export function isAutoTeacherId(id: string | null | undefined): boolean {
  return typeof id === 'string' && id.trim().toUpperCase() === 'AUTO';
}

/** The settings of an auto teacher a request may carry in its params, next to the method's own. */
export const AUTO_TEACHER_PARAMS = ['teacherEpochs', 'teacherArchitecture', 'teacherBatchSize'] as const;

const autoTeacherParams = z
  .object({
    teacherEpochs: z.number().int().min(1).max(1000).optional(),
    teacherArchitecture: z.string().min(1).optional(),
    teacherBatchSize: z.number().int().min(1).max(4096).optional(),
  })
  .strict();

/** What a job stores about the auto teacher it may have to train (jobs/kinds/harden.ts `autoTeacher`). */
export const autoTeacherSpec = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  epochs: z.number().int().positive(),
  architecture: z.string().min(1),
  batchSize: z.number().int().positive(),
});
export type AutoTeacherSpec = z.infer<typeof autoTeacherSpec>;

/** Reuse key: the owner's teachers are looked up by dataset, eps and architecture (the owner is the row's). */
export function autoTeacherKey(datasetId: string, eps: number, architecture: string): string {
  return `${datasetId}|${eps}|${architecture}`;
}

/** The model's name as the owner sees it in `models`. */
export function autoTeacherName(datasetName: string, eps: number, architecture: string): string {
  return `auto teacher: ${datasetName}, eps ${eps}${architecture === AUTO_TEACHER_DEFAULTS.architecture ? '' : `, ${architecture}`}`;
}

/**
 * Splits a request's params into the method's own and the auto teacher's settings, checked here
 * (TRAINING_INVALID_CONFIG) so that a bad budget fails the request, not the job minutes later.
 */
export function autoTeacherFromParams(
  params: Readonly<Record<string, unknown>> | null | undefined,
  o: { datasetId: string; datasetName: string; eps: number },
): { spec: AutoTeacherSpec; methodParams: Record<string, unknown> | null } {
  const own: Record<string, unknown> = {};
  const methodParams: Record<string, unknown> = {};
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    for (const [k, v] of Object.entries(params)) ((AUTO_TEACHER_PARAMS as readonly string[]).includes(k) ? own : methodParams)[k] = v;
  }
  const parsed = autoTeacherParams.safeParse(own);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `teacher AUTO: ${String(issue.path[0] ?? 'params')}: ${issue.message}.`, { param: issue.path[0] ?? null });
  }
  const architecture = parsed.data.teacherArchitecture ?? AUTO_TEACHER_DEFAULTS.architecture;
  try {
    getZooArchitecture(architecture);
  } catch (e) {
    // The request's error is about its params: the same code as any other bad setting.
    throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `teacher AUTO: teacherArchitecture: ${e instanceof Error ? e.message : String(e)}.`, { param: 'teacherArchitecture' });
  }
  return {
    spec: {
      key: autoTeacherKey(o.datasetId, o.eps, architecture),
      name: autoTeacherName(o.datasetName, o.eps, architecture),
      epochs: parsed.data.teacherEpochs ?? AUTO_TEACHER_DEFAULTS.epochs,
      architecture,
      batchSize: parsed.data.teacherBatchSize ?? AUTO_TEACHER_DEFAULTS.batchSize,
    },
    methodParams: params ? methodParams : null,
  };
}

/** The PGD-AT settings of an auto teacher at `eps` (recipes.ts' approach), the ramp scaled to the budget. */
export function autoTeacherMethodParams(eps: number, epochs: number): Record<string, unknown> {
  return {
    steps: 10,
    stepSize: (2.5 * eps) / 10,
    randomStart: true,
    // The shipped teachers ramp over 2 of 15 (eps 0.3) and 1 of 6 (eps 0.1) epochs; a short budget ramps over its first fifth.
    epsWarmupEpochs: Math.min(2, epochs / 5),
    optimizer: 'adam',
    lr: 1e-3,
    schedule: 'cosine',
    monitorPgdSteps: 20,
  };
}
