import { builder } from '../builder.ts';
import type { ModelFileRecord, ModelRecord } from '@temper/contracts';

export const ModelFile = builder.objectRef<{ model: ModelRecord; file: ModelFileRecord }>('ModelFile').implement({
  description: 'One file of a stored model, downloadable with the same bearer token.',
  fields: (t) => ({
    name: t.string({ resolve: ({ file }) => file.name }),
    bytes: t.int({ resolve: ({ file }) => file.bytes }),
    sha256: t.string({ resolve: ({ file }) => file.artifact }),
    url: t.string({ resolve: ({ model, file }, _a, ctx) => ctx.services.modelFileUrl(model, file.name) }),
  }),
});
