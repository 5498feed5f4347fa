import { builder } from '../builder.ts';
import { ServerInfo } from './server-info.ts';
import { Viewer } from './viewer.ts';

builder.queryType({
  fields: (t) => ({
    viewer: t.field({ type: Viewer, authScopes: { viewer: true }, resolve: (_r, _a, ctx) => ctx.viewer! }),
    serverInfo: t.field({ type: ServerInfo, authScopes: { viewer: true }, resolve: (_r, _a, ctx) => ctx.services.serverInfo(ctx.viewer!.id) }),
  }),
});
