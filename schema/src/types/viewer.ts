import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import type { OwnerRecord } from '@temper/contracts';
import { ApiToken } from './api-token.ts';
import { Dataset } from './dataset.ts';
import { EdgeCheck } from './edge-check.ts';
import { JobKind, JobStatus, HardeningMethod, ModelSource } from './enums.ts';
import { Job } from './job.ts';
import { Model } from './model.ts';

export const Viewer = builder.objectRef<OwnerRecord>('Viewer').implement({
  description: 'The owner the API token belongs to, and everything they own.',
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.field({ type: 'DateTime', resolve: (o) => o.createdAt }),
    tokens: t.field({ type: [ApiToken], description: 'The viewer\'s API tokens, newest first (no secrets).', resolve: (o, _a, ctx) => ctx.services.listTokens(o.id) }),
    models: t.connection({
      type: Model,
      args: { source: t.arg({ type: [ModelSource], required: false }) },
      resolve: (o, args, ctx) => resolveOffsetConnection({ args }, (page) => ctx.services.listModels(o.id, { source: args.source ?? null }, page)),
    }),
    datasets: t.connection({
      type: Dataset,
      description: 'Built-in datasets first, then uploads.',
      resolve: (o, args, ctx) => resolveOffsetConnection({ args }, (page) => ctx.services.listDatasets(o.id, page)),
    }),
    edgeChecks: t.connection({
      type: EdgeCheck,
      description: 'Newest first.',
      resolve: (o, args, ctx) => resolveOffsetConnection({ args }, (page) => ctx.services.listEdgeChecks(o.id, page)),
    }),
    jobs: t.connection({
      type: Job,
      description: 'Newest first.',
      args: {
        status: t.arg({ type: [JobStatus], required: false }),
        method: t.arg({ type: [HardeningMethod], required: false }),
        kind: t.arg({ type: [JobKind], required: false }),
      },
      resolve: (o, args, ctx) =>
        resolveOffsetConnection({ args }, (page) => ctx.services.listJobs(o.id, { status: args.status ?? null, method: args.method ?? null, kind: args.kind ?? null }, page)),
    }),
  }),
});
