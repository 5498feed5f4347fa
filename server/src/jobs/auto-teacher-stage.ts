import type { Classifier, DatasetSplit } from '@temper/edge';
import { createZooClassifier } from '@temper/edge';
import { trainHardening } from '../hardening/index.ts';
import { AUTO_TEACHER_DEFAULTS, autoTeacherMethodParams, type AutoTeacherSpec } from '../teachers/auto-teacher.ts';
import { CheckpointFile } from './checkpoint-file.ts';
import type { JobRunContext } from './job-context.ts';
import { teacherCheckpointPath } from './protocol.ts';
import { storeClassifier } from './worker-inputs.ts';

/**
 * A hardening job's first stage under teacher: AUTO: PGD-AT of a fresh zoo model for the job's
 * dataset and eps (teachers/auto-teacher.ts), its progress tagged stage "teacher", then handed to
 * the attempt to be stored as the owner's model and the job's teacher (ctx.teacherTrained).
 *
 * Its checkpoint is a file of its own in the worker's data directory: a worker killed mid-stage
 * resumes the teacher where it was (embedded mode; a distributed worker on another machine starts
 * the stage over), and the student's checkpoint is never read as the teacher's or the reverse.
 * Returns the trained teacher; the caller disposes it.
 */
export async function trainAutoTeacher(ctx: JobRunContext<'HARDEN'>, spec: AutoTeacherSpec, data: DatasetSplit): Promise<Classifier> {
  const { job } = ctx;
  const eps = job.input.eps;
  const params = autoTeacherMethodParams(eps, spec.epochs);
  ctx.progress({ phase: 'preparing', stage: 'teacher', message: `training a robust teacher (${spec.architecture}, PGD-AT at eps ${eps}, ${spec.epochs} epoch(s)) before the student` }, true);
  const fresh = createZooClassifier(spec.architecture, {
    inputShape: [data.train.height, data.train.width, data.train.channels],
    numClasses: data.train.numClasses,
    seed: job.seed,
  });
  const checkpoints = new CheckpointFile(teacherCheckpointPath(ctx.dataDir, job.id));
  const resumed = await checkpoints.load();
  if (resumed) ctx.log(`[teacher] resuming the teacher stage from its checkpoint after epoch ${resumed.epoch}`);
  const started = new Date().toISOString();
  let trained: Awaited<ReturnType<typeof trainHardening>>;
  try {
    trained = await trainHardening(
      { method: 'pgd-at', student: fresh, data, eps, epochs: spec.epochs, batchSize: spec.batchSize, seed: job.seed, params },
      {
        signal: ctx.signal,
        checkpoints,
        log: (line) => ctx.log(`[teacher] ${line}`),
        onProgress: (p) => ctx.progress({ ...p, stage: 'teacher' }, p.phase !== 'training' || p.heldOutCleanAccuracy !== undefined || p.step === p.totalSteps),
      },
    );
  } catch (e) {
    fresh.model.dispose();
    throw e;
  }
  if (trained.student.model !== fresh.model) fresh.model.dispose();
  const teacher = trained.student;
  try {
    const model = await storeClassifier(ctx.artifacts, teacher, spec.architecture);
    const t = trained.training;
    ctx.teacherTrained({
      model,
      name: spec.name,
      key: spec.key,
      metadata: {
        kind: 'auto-teacher',
        dataset: { id: job.dataset.id, name: job.dataset.name },
        eps,
        recipe: { method: 'pgd-at', architecture: spec.architecture, epochs: spec.epochs, batchSize: spec.batchSize, seed: job.seed, params, defaults: AUTO_TEACHER_DEFAULTS },
        budget: { trainingSeconds: t.seconds, wallSeconds: t.wallSeconds, examplesPerSecond: t.examplesPerSecond, epochs: t.epochs, steps: t.steps, started, finished: new Date().toISOString() },
        heldOut: t.heldOut ?? null,
        trainedByJob: job.id,
        config: trained.config,
      },
    });
    ctx.log(`[teacher] trained in ${t.seconds.toFixed(1)} s${t.heldOut ? `: held-out clean ${(100 * t.heldOut.cleanAccuracy).toFixed(1)}%${t.heldOut.pgdAccuracy === undefined ? '' : `, PGD ${(100 * t.heldOut.pgdAccuracy).toFixed(1)}%`}` : ''}`);
    return teacher;
  } catch (e) {
    teacher.model.dispose();
    throw e;
  }
}
