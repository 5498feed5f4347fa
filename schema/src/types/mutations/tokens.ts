import { z } from 'zod';
import { builder } from '../../builder.ts';
import { NotFoundError } from '../../errors.ts';
import { ApiToken, ApiTokenCreated } from '../api-token.ts';

const CreateTokenInput = builder.inputType('CreateTokenInput', {
  fields: (t) => ({
    label: t.string({ required: false, validate: z.string().trim().min(1).max(200) }),
    expiresInDays: t.int({ required: false, description: 'Days until the token is refused; default: never.', validate: z.number().int().min(1).max(3650) }),
  }),
});

builder.mutationField('createToken', (t) =>
  t.field({
    type: ApiTokenCreated,
    description: 'Mints another API token for the viewer (e.g. one per CI pipeline, with an expiry).',
    args: { input: t.arg({ type: CreateTokenInput, required: false }) },
    resolve: (_r, { input }, ctx) => ctx.services.createToken(ctx.viewer!.id, { label: input?.label?.trim() ?? null, expiresInDays: input?.expiresInDays ?? null }),
  }),
);

builder.mutationField('revokeToken', (t) =>
  t.field({
    type: ApiToken,
    description: 'Revokes one of the viewer\'s tokens (the one this request uses included); requests with it fail from now on.',
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => ctx.services.revokeToken(ctx.viewer!.id, String(id)),
  }),
);
