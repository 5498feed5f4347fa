import { rm } from 'node:fs/promises';
import { isHardeningMethodName } from '@temper/contracts';
import { TrainingConfigError, ErrorCodes } from '@temper/edge';
import { runHardening } from '../hardening/index.ts';
import { trainAutoTeacher } from './auto-teacher-stage.ts';
import { CheckpointFile } from './checkpoint-file.ts';
import type { JobRunner } from './job-context.ts';
import { checkpointPath, teacherCheckpointPath } from './protocol.ts';
import { loadStoredDataset, loadStoredModel, storeClassifier } from './worker-inputs.ts';

/** hardenModel: runs the engine through the contract, resuming from the job's checkpoint if there is one. */
export const runHardeningJob: JobRunner<'HARDEN'> = async (ctx) => {
  const { job } = ctx;
  const method = job.method;
  if (method === null || !isHardeningMethodName(method)) throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `Unknown hardening method "${method}".`, { method });
  const input = job.input;
  ctx.progress({ phase: 'preparing', message: 'loading models and dataset' }, true);
  const student = await loadStoredModel(ctx.artifacts, job.model!, 'harden');
  const stored = job.teacher ? await loadStoredModel(ctx.artifacts, job.teacher, 'harden') : undefined;
  let teacher = stored?.classifier;
  // Progress says whose it is once a job may have two stages (teacher: AUTO).
  const stage = input.autoTeacher ? { stage: 'student' as const } : {};
  try {
    const data = await loadStoredDataset(ctx.artifacts, job.dataset);
    // teacher: AUTO and the owner had none for the key (the API and the attempt looked): trained here first.
    if (!teacher && input.autoTeacher) teacher = await trainAutoTeacher(ctx, input.autoTeacher, data);
    const checkpoints = ctx.checkpoints ?? new CheckpointFile(checkpointPath(ctx.dataDir, job.id), ctx.checkpointSaved);
    const resumed = await checkpoints.load();
    if (resumed) ctx.log(`resuming from the checkpoint after epoch ${resumed.epoch} (attempt ${job.attempt})`);
    const evaluation = input.evaluation
      ? {
          ...(input.evaluation.eps ? { eps: input.evaluation.eps } : {}),
          ...(input.evaluation.sampleSize ? { sampleSize: input.evaluation.sampleSize } : {}),
          ...(input.evaluation.attacks
            ? { attacks: typeof input.evaluation.attacks === 'string' ? input.evaluation.attacks : input.evaluation.attacks.map((a) => ({ attack: a.attack, ...(a.config ? { config: a.config } : {}) })) }
            : {}),
        }
      : undefined;
    const out = await runHardening(
      {
        method,
        student: student.classifier,
        ...(teacher ? { teacher } : {}),
        data,
        eps: input.eps,
        epochs: input.epochs,
        ...(input.batchSize ? { batchSize: input.batchSize } : {}),
        seed: job.seed,
        ...(input.params ? { params: input.params } : {}),
        ...(evaluation ? { evaluation } : {}),
      },
      {
        signal: ctx.signal,
        checkpoints,
        log: ctx.log,
        onProgress: (p) => ctx.progress({ ...p, ...stage }, p.phase !== 'training' || p.heldOutCleanAccuracy !== undefined || p.step === p.totalSteps),
      },
    );
    ctx.config({ ...out.config });
    // The teacher is the job's by now (stored, or reused on a retry): its stage's checkpoint has served.
    if (input.autoTeacher) await rm(teacherCheckpointPath(ctx.dataDir, job.id), { force: true });
    try {
      const model = await storeClassifier(ctx.artifacts, out.student, job.model!.architecture);
      return {
        model,
        report: out.report,
        summary: { training: out.training },
      };
    } finally {
      if (out.student.model !== student.classifier.model) disposeQuietly(out.student.model);
    }
  } finally {
    disposeQuietly(student.classifier.model);
    if (teacher) disposeQuietly(teacher.model);
  }
};

/** A hardened student may share layers with the input student (RRM wraps it with a projection): the second dispose of a shared layer throws, harmlessly. */
function disposeQuietly(model: { dispose(): unknown }): void {
  try {
    model.dispose();
  } catch {
    // Already disposed through a model that shares its layers.
  }
}
