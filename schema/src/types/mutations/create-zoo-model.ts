import { z } from 'zod';
import { DatasetError, ZooError } from '@temper/edge';
import { builder } from '../../builder.ts';
import { NotFoundError } from '../../errors.ts';
import { Dataset } from '../dataset.ts';
import { ZooTrainingJob } from '../zoo-training-job.ts';

const CreateZooModelInput = builder.inputType('CreateZooModelInput', {
  fields: (t) => ({
    architecture: t.string({ description: 'A zoo architecture name (serverInfo.zooArchitectures).', validate: z.string().min(1).max(100) }),
    dataset: t.globalID({ for: Dataset, description: 'Fixes the input shape and class count; the training data when epochs > 0.' }),
    epochs: t.int({ required: false, defaultValue: 0, description: '0: initialized only; more: trained naturally for that many epochs.', validate: z.number().int().min(0).max(1000) }),
    seed: t.int({ required: false, defaultValue: 0, validate: z.number().int().min(0).max(2 ** 31 - 1) }),
    featureWidth: t.int({ required: false, validate: z.number().int().min(1).max(65536) }),
    batchSize: t.int({ required: false, validate: z.number().int().min(1).max(4096) }),
    name: t.string({ required: false, validate: z.string().trim().min(1).max(200) }),
  }),
});

builder.mutationField('createZooModel', (t) =>
  t.field({
    type: ZooTrainingJob,
    description: 'Queues a job that builds (and optionally trains) a zoo model; the model is the job\'s resultModel.',
    errors: { types: [ZooError, DatasetError, NotFoundError] },
    args: { input: t.arg({ type: CreateZooModelInput }) },
    resolve: (_r, { input }, ctx) =>
      ctx.services.createZooModel(ctx.viewer!.id, {
        architecture: input.architecture,
        datasetId: input.dataset.id,
        epochs: input.epochs ?? 0,
        seed: input.seed ?? 0,
        featureWidth: input.featureWidth ?? null,
        batchSize: input.batchSize ?? null,
        name: input.name ?? null,
      }),
  }),
);
