import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createFetch } from '@whatwg-node/fetch';
import { schema, type TemperContext } from '@temper/schema';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { startArtifactSweeper } from '../artifacts/artifact-gc.ts';
import { ArtifactStore } from '../artifacts/artifact-store.ts';
import { ParsePool } from '../parsing/parse-pool.ts';
import { ensureInitialOwner } from '../auth/bootstrap.ts';
import { loadConfig, storeFile, type ServerConfig } from '../config.ts';
import { EventHub } from '../jobs/event-hub.ts';
import type { JobScheduler } from '../jobs/scheduler.ts';
import { Supervisor } from '../jobs/supervisor.ts';
import { openDistributedPlatform } from '../distributed/platform.ts';
import { Store } from '../store/store.ts';
import { ensureBuiltinDatasets } from './builtin-datasets.ts';
import { ensureBuiltinTeachers } from '../teachers/builtin-teachers.ts';
import { temperMaskError } from './mask-error.ts';
import { openReadMemo } from './read-memo.ts';
import { createServices } from './services.ts';
import { useBodyLimit } from './use-body-limit.ts';
import { useTemperContext } from './use-context.ts';
import { useCostLimit } from './use-cost-limit.ts';
import { useDepthLimit } from './use-depth-limit.ts';
import { useModelFiles } from './use-model-files.ts';
import { useOperationLimits } from './use-operation-limits.ts';
import { useUploadAuth } from './use-upload-auth.ts';
import { useEdgeChecks } from './edge-checks.ts';
import { useHealth } from './use-health.ts';
import { useEdgePage } from './edge-page.ts';
import { useWebApp } from './use-web-app.ts';

export const TEMPER_VERSION = '0.1.0';

export interface TemperServer {
  readonly yoga: YogaServerInstance<Record<string, unknown>, TemperContext>;
  readonly store: Store;
  readonly artifacts: ArtifactStore;
  /** Runs the jobs: the embedded Supervisor, or in distributed mode the BullMQ queue. */
  readonly scheduler: JobScheduler;
  /** The embedded Supervisor (its worker processes); throws in distributed mode. */
  readonly supervisor: Supervisor;
  readonly config: ServerConfig;
  /** The threads that check uploads (main.ts warms one at start). */
  readonly parsePool: ParsePool;
  /** Set on the first start of a fresh data directory: the owner token to print once (null with deferInitialOwner). */
  readonly initialToken: { owner: string; token: string } | null;
  /**
   * With deferInitialOwner: creates the first owner and its token now (null when an owner exists).
   * `npm start` calls it once the port is bound, so a start that fails earlier burns no token.
   */
  createInitialOwner(): Promise<{ owner: string; token: string } | null>;
  close(): Promise<void>;
}

export interface CreateServerOptions extends Partial<ServerConfig> {
  /** Counts SQL statements (tests). */
  readonly onQuery?: (sql: string) => void;
  readonly log?: (line: string) => void;
  readonly workerEnv?: Readonly<Record<string, string>>;
  readonly serverId?: string;
  /** Memoize reads while the store is unchanged (default true; tests that count statements turn it off). */
  readonly memoizeReads?: boolean;
  /** Where the committed robust teachers are read from (default server/teachers); null: give owners none. */
  readonly teachersDir?: string | null;
  /** Leave the first owner to createInitialOwner() (main.ts: only once the server listens). */
  readonly deferInitialOwner?: boolean;
}

/**
 * The whole API: store (migrated), artifacts, built-in datasets, first-start owner, job
 * supervisor with its worker processes, and the yoga app. `yoga.fetch` serves tests; main.ts
 * puts it on an HTTP listener with graphql-ws beside it.
 */
export async function createTemperServer(options: CreateServerOptions = {}): Promise<TemperServer> {
  const config: ServerConfig = { ...loadConfig(), ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ServerConfig;
  const log = options.log ?? ((l: string) => console.log(l));
  // Uploads and edge samples are checked on parse threads (parsing/); any tfjs this process still runs needs no more than cpu.
  await tf.setBackend('cpu');
  // Embedded (the default): SQLite, files, worker child processes. Distributed: PostgreSQL, BullMQ on Redis (server/src/distributed/).
  const { store, artifacts, hub, supervisor } =
    config.mode === 'distributed' ? await openDistributedPlatform(config, { onQuery: options.onQuery, log }).then((p) => ({ ...p, supervisor: p.scheduler })) : await openEmbedded(config, options, log);
  // Of several replicas starting at once, exactly one creates the built-in datasets and the first owner.
  // Every owner gets the shipped robust teachers as models (once; also the first owner, made later when deferred).
  const giveTeachers = () => (options.teachersDir === null ? Promise.resolve(0) : ensureBuiltinTeachers(store, artifacts, { dir: options.teachersDir, log }));
  const initialToken = await store.withStartupLock(async () => {
    await ensureBuiltinDatasets(store);
    const token = options.deferInitialOwner ? null : await ensureInitialOwner(store);
    await giveTeachers();
    return token;
  });
  const createInitialOwner = () =>
    store.withStartupLock(async () => {
      const token = await ensureInitialOwner(store);
      await giveTeachers();
      return token;
    });
  const reads = openReadMemo(config.mode === 'distributed' || options.memoizeReads === false ? null : storeFile(config.dataDir));
  const parsePool = new ParsePool({ threads: config.parseThreads, timeoutMs: config.parseTimeoutMs, memoryMb: config.parseMemoryMb });
  const services = createServices({ store, artifacts, hub, supervisor, maxAttempts: config.maxAttempts, version: TEMPER_VERSION, memo: reads.memo, artifactGraceMs: config.artifactGraceMs, parse: parsePool });
  // Collects what deletes kept for their grace and what failed uploads left (artifact-gc.ts).
  const sweeper = startArtifactSweeper({ store, artifacts, graceMs: config.artifactGraceMs, log }, Math.max(60_000, config.artifactGraceMs / 2));

  const yoga = createYoga<Record<string, unknown>, TemperContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // yoga's own check answers an empty 200 on any URL ending in its endpoint; useHealth owns /health.
    healthCheckEndpoint: '/health/yoga',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Temper', subscriptionsProtocol: 'GRAPHQL_SSE' } : false,
    maskedErrors: { maskError: temperMaskError(log) },
    fetchAPI: createFetch({ formDataLimits: { fileSize: config.bodyLimitBytes, files: 1000, fieldSize: 10 * 1024 * 1024 } }),
    logging: false,
    // useBodyLimit enforces TEMPER_BODY_LIMIT_MB instead (yoga's check streams every body and stops at 25 MB).
    maxRequestBodySize: false,
    plugins: [
      useHealth({ store, scheduler: supervisor, version: TEMPER_VERSION }),
      useBodyLimit(config.bodyLimitBytes),
      useUploadAuth(store),
      useModelFiles(store, artifacts, log),
      useEdgeChecks(store, artifacts),
      useEdgePage(config.edgePageDir),
      useWebApp({ dir: config.webAppDir, graphiql: config.graphiql }),
      ...useOperationLimits(config),
      useDepthLimit(config.maxDepth),
      useCostLimit(config.maxCost),
      useTemperContext(store, services),
      // Queries and mutations run as compiled (graphql-jit) code, cached per parsed document.
      useGraphQlJit({}, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation !== 'subscription' }),
    ],
  });

  await supervisor.start();
  return {
    yoga,
    store,
    artifacts,
    scheduler: supervisor,
    get supervisor(): Supervisor {
      if (!(supervisor instanceof Supervisor)) throw new Error('Distributed mode runs jobs on temper-worker processes: there is no embedded Supervisor (use `scheduler`).');
      return supervisor;
    },
    config,
    parsePool,
    initialToken,
    createInitialOwner,
    async close() {
      await sweeper.stop();
      await parsePool.close();
      await supervisor.stop();
      reads.close();
      await store.close();
    },
  };
}

/** Embedded mode: SQLite and artifacts in the data directory, jobs in worker child processes of this one. */
async function openEmbedded(config: ServerConfig, options: CreateServerOptions, log: (line: string) => void): Promise<{ store: Store; artifacts: ArtifactStore; hub: EventHub; supervisor: JobScheduler }> {
  let store: Store;
  try {
    mkdirSync(config.dataDir, { recursive: true });
    store = await Store.open(storeFile(config.dataDir), { onQuery: options.onQuery });
  } catch (e) {
    throw dataDirError(config.dataDir, e);
  }
  const hub = new EventHub();
  const supervisor = new Supervisor({ store, hub, dataDir: config.dataDir, workers: config.workers, serverId: options.serverId ?? randomUUID(), log, workerEnv: options.workerEnv, workerNice: config.workerNice });
  return { store, artifacts: new ArtifactStore(config.dataDir), hub, supervisor };
}

/** A data directory the server cannot use, named, with what to do (SQLite alone says "unable to open database file"). */
export function dataDirError(dataDir: string, e: unknown): Error {
  const code = (e as { code?: string }).code ?? '';
  const why = /EACCES|EPERM|EROFS|READONLY|CANTOPEN/.test(code) || /readonly|unable to open/i.test((e as Error).message ?? '') ? 'it is not writable by this user, or is on a read-only file system' : (e as Error).message;
  return new Error(`cannot use the data directory ${dataDir} (TEMPER_DATA_DIR): ${why}. Point TEMPER_DATA_DIR at a writable directory.`, { cause: e });
}
