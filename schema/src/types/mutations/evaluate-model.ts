import { z } from 'zod';
import { AttackConfigError, DatasetError, ModelCompatibilityError } from '@temper/edge';
import { builder } from '../../builder.ts';
import { NotFoundError } from '../../errors.ts';
import { Dataset } from '../dataset.ts';
import { EvaluationJob } from '../evaluation-job.ts';
import { Model } from '../model.ts';

const AttackInput = builder.inputType('AttackInput', {
  fields: (t) => ({
    attack: t.string({ description: 'fgsm, pgd, apgd-ce, apgd-t, apgd-dlr, square...', validate: z.string().min(1).max(50) }),
    config: t.field({ type: 'JSON', required: false, description: 'Attack settings (eps comes from the evaluation).' }),
  }),
});

const EvaluateModelInput = builder.inputType('EvaluateModelInput', {
  fields: (t) => ({
    model: t.globalID({ for: Model }),
    dataset: t.globalID({ for: Dataset, description: 'Its test split is attacked.' }),
    eps: t.floatList({ validate: z.array(z.number().gt(0).max(1)).min(1).max(16) }),
    attacks: t.field({ type: [AttackInput], required: false, description: 'The ensemble, in order; default: standard (APGD-CE, APGD-T, Square).' }),
    sampleSize: t.int({ required: false, description: 'Test examples attacked (default 1000).', validate: z.number().int().min(1).max(10000) }),
    seed: t.int({ required: false, defaultValue: 0, validate: z.number().int().min(0).max(2 ** 31 - 1) }),
  }),
});

builder.mutationField('evaluateModel', (t) =>
  t.field({
    type: EvaluationJob,
    description: 'Queues a robustness evaluation; the report becomes the job\'s evaluation.',
    errors: { types: [NotFoundError, AttackConfigError, ModelCompatibilityError, DatasetError] },
    args: { input: t.arg({ type: EvaluateModelInput }) },
    resolve: (_r, { input }, ctx) =>
      ctx.services.evaluateModel(ctx.viewer!.id, {
        modelId: input.model.id,
        datasetId: input.dataset.id,
        eps: input.eps,
        attacks: input.attacks?.map((a) => ({ attack: a.attack, config: (a.config as Record<string, unknown> | null | undefined) ?? null })) ?? null,
        sampleSize: input.sampleSize ?? null,
        seed: input.seed ?? 0,
      }),
  }),
);
