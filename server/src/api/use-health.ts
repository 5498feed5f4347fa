import type { Plugin } from 'graphql-yoga';
import type { Store } from '../store/store.ts';
import type { JobScheduler } from '../jobs/scheduler.ts';

/**
 * `/health` (liveness) and `/ready` (readiness), each a JSON body that says what it checked, for
 * operators and load balancers. yoga's own health check answers an empty 200 on every URL that ends
 * in its endpoint, so the app moves that one out of the way (app.ts) and this plugin owns both paths.
 *
 * - /health: the process answers HTTP; nothing else is touched, so it stays cheap under load.
 * - /ready: the database answers a query and the job runner can make progress (embedded: a worker
 *   has loaded its compute backend; distributed: the queue answers); 503 with the failed check
 *   otherwise. The body names the compute backend the workers run on.
 */
export interface HealthOptions {
  readonly store: Store;
  readonly scheduler: Pick<JobScheduler, 'ready' | 'backend'>;
  readonly version: string;
}

type Check = 'ok' | string;

export function useHealth({ store, scheduler, version }: HealthOptions): Plugin {
  const startedAt = Date.now();
  return {
    async onRequest({ url, endResponse }) {
      if (url.pathname === '/health') {
        endResponse(Response.json({ status: 'ok', version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), checks: { process: 'ok' } }));
        return;
      }
      if (url.pathname !== '/ready') return;
      const checks: Record<string, Check> = {};
      try {
        await store.db.selectFrom('owners').select('id').limit(1).execute();
        checks.database = 'ok';
      } catch (e) {
        checks.database = `failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      try {
        checks.jobs = (await scheduler.ready()) ? 'ok' : 'not ready: no worker has loaded its compute backend yet (or the queue does not answer)';
      } catch (e) {
        checks.jobs = `failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      const ready = Object.values(checks).every((c) => c === 'ok');
      // Operators check here which engine the workers run on (a GPU server silently on wasm is slow).
      const b = scheduler.backend;
      const backend = b ? { name: b.name, reason: b.reason, tfjsVersion: b.tfjsVersion, ...b.details } : null;
      endResponse(Response.json({ ready, version, checks, backend }, { status: ready ? 200 : 503 }));
    },
  };
}
