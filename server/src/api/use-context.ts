import type { TemperContext, TemperServices } from '@temper/schema';
import type { Plugin } from 'graphql-yoga';
import { authenticate } from '../auth/bearer.ts';
import type { Store } from '../store/store.ts';

/**
 * Builds the per-request context: the viewer from the bearer token (HTTP header, or the
 * `authorization` connection parameter of a graphql-ws connection) and the services.
 */
export function useTemperContext(store: Store, services: TemperServices): Plugin<TemperContext> {
  return {
    async onContextBuilding({ context, extendContext }) {
      const c = context as { request?: Request; connectionParams?: Record<string, unknown> };
      const header = c.request?.headers.get('authorization') ?? (typeof c.connectionParams?.['authorization'] === 'string' ? (c.connectionParams['authorization'] as string) : null);
      extendContext({ viewer: await authenticate(store, header), services });
    },
  };
}
