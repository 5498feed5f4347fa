import type { ApiTokenRecord } from '@temper/contracts';
import { builder } from '../builder.ts';

export const ApiToken = builder.objectRef<ApiTokenRecord>('ApiToken').implement({
  description: 'One of the viewer\'s API tokens. The secret itself is shown only when it is created.',
  fields: (t) => ({
    id: t.exposeID('id'),
    label: t.exposeString('label', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, description: 'After this the token is refused; null: never.', resolve: (r) => r.expiresAt }),
  }),
});

export const ApiTokenCreated = builder.objectRef<{ token: string; record: ApiTokenRecord }>('ApiTokenCreated').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret: send it as "Authorization: Bearer <token>". Shown only this once.' }),
    apiToken: t.field({ type: ApiToken, resolve: (r) => r.record }),
  }),
});
