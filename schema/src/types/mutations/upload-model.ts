import { z } from 'zod';
import { ModelCompatibilityError, ModelFormatError } from '@temper/edge';
import { builder } from '../../builder.ts';
import { UploadError } from '../../errors.ts';
import { Model } from '../model.ts';

const UploadModelInput = builder.inputType('UploadModelInput', {
  fields: (t) => ({
    name: t.string({ validate: z.string().trim().min(1).max(200) }),
    modelJson: t.field({ type: 'Upload', description: 'The model.json file of a tfjs layers model.' }),
    weights: t.field({ type: ['Upload'], description: 'Every weight shard model.json lists, under the file names it lists.' }),
    preprocessing: t.field({ type: 'JSON', required: false, description: 'How the model expects [0,1] pixels to be transformed; default: what model.json records, else none.' }),
    featureLayer: t.string({ required: false, validate: z.string().min(1).max(200) }),
  }),
});

builder.mutationField('uploadModel', (t) =>
  t.field({
    type: Model,
    description: 'Uploads a tfjs layers model as a GraphQL multipart request. Nothing is stored unless every file checks out.',
    errors: { types: [ModelFormatError, ModelCompatibilityError, UploadError] },
    args: { input: t.arg({ type: UploadModelInput }) },
    resolve: (_r, { input }, ctx) =>
      ctx.services.uploadModel(ctx.viewer!.id, {
        name: input.name,
        modelJson: input.modelJson,
        weights: input.weights,
        preprocessing: input.preprocessing ?? undefined,
        featureLayer: input.featureLayer ?? null,
      }),
  }),
);
