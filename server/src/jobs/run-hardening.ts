import { TrainingConfigError, ErrorCodes } from '@temper/edge';
import type { AttackSpec } from '@temper/edge/evaluation';
import type { HardeningMethodName } from '../hardening/contract.ts';
import { CheckpointFile } from './checkpoint-file.ts';
import { loadRunHardening } from './hardening-engine.ts';
import type { JobRunner } from './job-context.ts';
import { checkpointPath } from './protocol.ts';
import { loadStoredDataset, loadStoredModel, storeClassifier } from './worker-inputs.ts';

interface HardenInput {
  eps: number;
  epochs: number;
  batchSize?: number | null;
  params?: Record<string, unknown> | null;
  evaluation?: { eps?: number[] | null; sampleSize?: number | null; attacks?: unknown[] | null } | null;
}

/** hardenModel: runs the engine through the contract, resuming from the job's checkpoint if there is one. */
export const runHardeningJob: JobRunner = async (ctx) => {
  const { job } = ctx;
  const runHardening = await loadRunHardening();
  if (!runHardening) {
    throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, 'This server build has no hardening engine (server/src/hardening/index.ts is missing).', { method: job.method });
  }
  const input = job.input as unknown as HardenInput;
  ctx.progress({ phase: 'preparing', message: 'loading models and dataset' }, true);
  const student = await loadStoredModel(ctx.artifacts, job.model!, 'harden');
  const teacher = job.teacher ? await loadStoredModel(ctx.artifacts, job.teacher, 'harden') : undefined;
  try {
    const data = await loadStoredDataset(ctx.artifacts, job.dataset);
    const checkpoints = ctx.checkpoints ?? new CheckpointFile(checkpointPath(ctx.dataDir, job.id), ctx.checkpointSaved);
    const resumed = await checkpoints.load();
    if (resumed) ctx.log(`resuming from the checkpoint after epoch ${resumed.epoch} (attempt ${job.attempt})`);
    const evaluation = input.evaluation
      ? {
          ...(input.evaluation.eps ? { eps: input.evaluation.eps } : {}),
          ...(input.evaluation.sampleSize ? { sampleSize: input.evaluation.sampleSize } : {}),
          ...(input.evaluation.attacks ? { attacks: input.evaluation.attacks as readonly AttackSpec[] } : {}),
        }
      : undefined;
    const out = await runHardening(
      {
        method: job.method as HardeningMethodName,
        student: student.classifier,
        ...(teacher ? { teacher: teacher.classifier } : {}),
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
        onProgress: (p) => ctx.progress({ ...p }, p.phase !== 'training' || p.heldOutCleanAccuracy !== undefined || p.step === p.totalSteps),
      },
    );
    ctx.config({ ...out.config });
    try {
      const model = await storeClassifier(ctx.artifacts, out.student, job.model!.architecture);
      return {
        model,
        report: out.report as unknown as Record<string, unknown> & { cleanAccuracy: number },
        summary: { training: out.training },
      };
    } finally {
      if (out.student.model !== student.classifier.model) disposeQuietly(out.student.model);
    }
  } finally {
    disposeQuietly(student.classifier.model);
    if (teacher) disposeQuietly(teacher.classifier.model);
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
