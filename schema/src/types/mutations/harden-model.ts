import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { AttackConfigError, DatasetError, ModelCompatibilityError, TrainingConfigError } from '@temper/edge';
import { builder } from '../../builder.ts';
import { InvalidRequestError, NotFoundError } from '../../errors.ts';
import { Dataset } from '../dataset.ts';
import { HardeningMethod } from '../enums.ts';
import { HardeningJob } from '../hardening-job.ts';
import { Model } from '../model.ts';

const epsSchema = z.number().gt(0).max(1);

const HardeningEvaluationInput = builder.inputType('HardeningEvaluationInput', {
  description: 'The final robustness evaluation; default: the standard ensemble at [eps] on 1000 test examples.',
  fields: (t) => ({
    eps: t.floatList({ required: false, validate: z.array(epsSchema).min(1).max(16) }),
    sampleSize: t.int({ required: false, validate: z.number().int().min(1).max(10000) }),
    attacks: t.field({ type: 'JSON', required: false, description: 'A list of {attack, config} (edge AttackSpec); default: standard.' }),
  }),
});

const HardenModelInput = builder.inputType('HardenModelInput', {
  fields: (t) => ({
    method: t.field({ type: HardeningMethod }),
    student: t.globalID({ for: Model, description: 'Copied and trained; the original stays as it is.' }),
    teacher: t.id({
      required: false,
      description:
        'Required by KD, ARD, RSLAD, RRM and IGAM; refused otherwise. A Model id, or "AUTO" (any case): the owner\'s robust teacher for this dataset and eps, trained by PGD-AT as the job\'s first stage when there is none yet and reused by later jobs (params.teacherEpochs, teacherArchitecture, teacherBatchSize set its budget; see docs/teachers.md).',
    }),
    dataset: t.globalID({ for: Dataset }),
    eps: t.float({ description: 'L-inf radius in [0,1] pixel units.', validate: epsSchema }),
    epochs: t.int({ validate: z.number().int().min(1).max(1000) }),
    batchSize: t.int({ required: false, validate: z.number().int().min(1).max(4096) }),
    seed: t.int({ required: false, defaultValue: 0, validate: z.number().int().min(0).max(2 ** 31 - 1) }),
    params: t.field({ type: 'JSON', required: false, description: 'Method parameters (lambda, beta, steps, stepSize, lr...); unknown keys fail the job with TRAINING_INVALID_CONFIG.' }),
    evaluation: t.field({ type: HardeningEvaluationInput, required: false }),
    name: t.string({ required: false, description: 'Name of the hardened model.', validate: z.string().trim().min(1).max(200) }),
  }),
});

/** `teacher`: the literal AUTO, or a Model's global id (decoded as a `globalID({ for: Model })` argument would be: a malformed one is BAD_GLOBAL_ID). */
function teacherArg(teacher: string | number | null | undefined): { teacherId: string | null; autoTeacher?: true } {
  if (teacher === null || teacher === undefined) return { teacherId: null };
  const gid = String(teacher);
  if (gid.trim().toUpperCase() === 'AUTO') return { teacherId: null, autoTeacher: true };
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(gid);
  } catch {
    throw new GraphQLError(`Invalid global ID: ${gid.slice(0, 100)}`, { extensions: { code: 'BAD_GLOBAL_ID', id: gid.slice(0, 100) } });
  }
  if (decoded.typename !== 'Model') throw new NotFoundError('Model', gid);
  return { teacherId: decoded.id };
}

builder.mutationField('hardenModel', (t) =>
  t.field({
    type: HardeningJob,
    description: 'Queues a hardening job. Follow it with the jobProgress subscription.',
    errors: { types: [NotFoundError, InvalidRequestError, TrainingConfigError, AttackConfigError, ModelCompatibilityError, DatasetError] },
    args: { input: t.arg({ type: HardenModelInput }) },
    resolve: (_r, { input }, ctx) =>
      ctx.services.hardenModel(ctx.viewer!.id, {
        method: input.method,
        studentId: input.student.id,
        ...teacherArg(input.teacher),
        datasetId: input.dataset.id,
        eps: input.eps,
        epochs: input.epochs,
        batchSize: input.batchSize ?? null,
        seed: input.seed ?? 0,
        params: (input.params as Record<string, unknown> | null | undefined) ?? null,
        evaluation: input.evaluation
          ? { eps: input.evaluation.eps ?? null, sampleSize: input.evaluation.sampleSize ?? null, attacks: (input.evaluation.attacks as unknown[] | null | undefined) ?? null }
          : null,
        name: input.name ?? null,
      }),
  }),
);
