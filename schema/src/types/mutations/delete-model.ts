import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { Model } from '../model.ts';

builder.mutationField('deleteModel', (t) =>
  t.field({
    type: 'ID',
    description: 'Deletes a model; refused (MODEL_IN_USE) while a queued or running job uses it. Returns the deleted id.',
    errors: { types: [NotFoundError, ConflictError] },
    args: { id: t.arg.globalID({ for: Model }) },
    resolve: async (_r, { id }, ctx) => {
      await ctx.services.deleteModel(ctx.viewer!.id, id.id);
      return encodeGlobalID('Model', id.id);
    },
  }),
);
