import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createFetch } from '@whatwg-node/fetch';
import { schema, type TemperContext } from '@temper/schema';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { ArtifactStore } from '../artifacts/artifact-store.ts';
import { ensureInitialOwner } from '../auth/bootstrap.ts';
import { loadConfig, storeFile, type ServerConfig } from '../config.ts';
import { EventHub } from '../jobs/event-hub.ts';
import { Supervisor } from '../jobs/supervisor.ts';
import { Store } from '../store/store.ts';
import { ensureBuiltinDatasets } from './builtin-datasets.ts';
import { createServices } from './services.ts';
import { useBodyLimit } from './use-body-limit.ts';
import { useTemperContext } from './use-context.ts';
import { useCostLimit } from './use-cost-limit.ts';
import { useDepthLimit } from './use-depth-limit.ts';
import { useModelFiles } from './use-model-files.ts';

export const TEMPER_VERSION = '0.1.0';

export interface TemperServer {
  readonly yoga: YogaServerInstance<Record<string, unknown>, TemperContext>;
  readonly store: Store;
  readonly artifacts: ArtifactStore;
  readonly supervisor: Supervisor;
  readonly config: ServerConfig;
  /** Set on the first start of a fresh data directory: the owner token to print once. */
  readonly initialToken: { owner: string; token: string } | null;
  close(): Promise<void>;
}

export interface CreateServerOptions extends Partial<ServerConfig> {
  /** Counts SQL statements (tests). */
  readonly onQuery?: (sql: string) => void;
  readonly log?: (line: string) => void;
  readonly workerEnv?: Readonly<Record<string, string>>;
  readonly serverId?: string;
}

/**
 * The whole API: store (migrated), artifacts, built-in datasets, first-start owner, job
 * supervisor with its worker processes, and the yoga app. `yoga.fetch` serves tests; main.ts
 * puts it on an HTTP listener with graphql-ws beside it.
 */
export async function createTemperServer(options: CreateServerOptions = {}): Promise<TemperServer> {
  const config: ServerConfig = { ...loadConfig(), ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ServerConfig;
  const log = options.log ?? ((l: string) => console.log(l));
  mkdirSync(config.dataDir, { recursive: true });
  // Upload validation builds the model in this process: the cpu backend is enough for that.
  await tf.setBackend('cpu');
  const store = await Store.open(storeFile(config.dataDir), { onQuery: options.onQuery });
  await ensureBuiltinDatasets(store);
  const initialToken = await ensureInitialOwner(store);
  const artifacts = new ArtifactStore(config.dataDir);
  const hub = new EventHub();
  const supervisor = new Supervisor({ store, hub, dataDir: config.dataDir, workers: config.workers, serverId: options.serverId ?? randomUUID(), log, workerEnv: options.workerEnv, workerNice: config.workerNice });
  const services = createServices({ store, artifacts, hub, supervisor, maxAttempts: config.maxAttempts, version: TEMPER_VERSION });

  const yoga = createYoga<Record<string, unknown>, TemperContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Temper', subscriptionsProtocol: 'GRAPHQL_SSE' } : false,
    maskedErrors: true,
    fetchAPI: createFetch({ formDataLimits: { fileSize: config.bodyLimitBytes, files: 1000, fieldSize: 10 * 1024 * 1024 } }),
    logging: false,
    plugins: [
      useBodyLimit(config.bodyLimitBytes),
      useModelFiles(store, artifacts),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          await store.db.selectFrom('owners').select('id').limit(1).execute();
          return supervisor.slots.length === 0 || supervisor.slots.some((s) => s.ready);
        },
      }),
      useDepthLimit(config.maxDepth),
      useCostLimit(config.maxCost),
      useTemperContext(store, services),
    ],
  });

  await supervisor.start();
  return {
    yoga,
    store,
    artifacts,
    supervisor,
    config,
    initialToken,
    async close() {
      await supervisor.stop();
      await store.close();
    },
  };
}
