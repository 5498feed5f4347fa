/**
 * `npm start`: Temper's GraphQL API on embedded defaults - SQLite and artifacts in ./data (or
 * TEMPER_DATA_DIR), job workers as child processes, no external service. With
 * TEMPER_MODE=distributed it is one API replica over PostgreSQL and Redis, and `temper-worker`
 * processes run the jobs (docs/deploy.md).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { attachGraphqlWs } from './api/graphql-ws.ts';
import { createTemperServer } from './api/app.ts';
import { INITIAL_OWNER } from './auth/bootstrap.ts';
import { loadConfig } from './config.ts';

/** Why a port cannot be bound, in the words a person acts on. */
function listenFailure(e: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  if (e.code === 'EADDRINUSE') return `cannot listen on ${where}: the port is in use (another Temper or another server); stop it, or pick another port with TEMPER_PORT (0 picks a free one)`;
  if (e.code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need privileges); pick another port with TEMPER_PORT`;
  if (e.code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: this machine has no address ${host}; set TEMPER_HOST`;
  return `cannot listen on ${where}: ${e.code ?? e.message}`;
}

/** Binds the port or rejects with the listen error (never hangs: the error is the answer). */
function listen(http: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    http.once('error', onError);
    http.listen(port, host, () => {
      http.off('error', onError);
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  // The port first: a start that cannot listen stops here, before the store is opened, workers are
  // spawned or the one-time owner token is written (it would be printed to nobody).
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const waiting: [IncomingMessage, ServerResponse][] = [];
  const http = createServer((req, res) => (handle ? handle(req, res) : waiting.push([req, res])));
  http.requestTimeout = 0; // Large uploads and long SSE subscriptions.
  try {
    await listen(http, config.port, config.host);
  } catch (e) {
    console.error(`[temper] ${listenFailure(e as NodeJS.ErrnoException, config.host, config.port)}`);
    process.exit(1);
  }
  const server = await createTemperServer({ deferInitialOwner: true });
  // graphql-ws only now: attached earlier, it would have logged the listen error as its own.
  const ws = attachGraphqlWs(http, server.yoga);
  // The upload-check threads load tfjs now, not on the first upload.
  void server.parsePool.warm();
  handle = server.yoga;
  for (const [req, res] of waiting.splice(0)) server.yoga(req, res);
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  const initial = await server.createInitialOwner();
  if (initial) {
    console.log(`[temper] first start: created owner "${initial.owner}". Its API token, shown only this once:`);
    console.log(`[temper]   ${initial.token}`);
    console.log('[temper] send it as "Authorization: Bearer <token>"; mint more with `npm run token -- create <owner>`.');
  } else {
    console.log(`[temper] lost the owner's token? \`npm run token -- reset ${INITIAL_OWNER}\` mints a new one (TEMPER_DATA_DIR as for this server).`);
  }
  const where = config.distributed ? `distributed: queue "${config.distributed.queueName}" on Redis, store on PostgreSQL` : `data: ${config.dataDir}, ${config.workers} worker(s)`;
  console.log(`[temper] API ready in ${((performance.now() - started) / 1000).toFixed(2)} s at ${base}/graphql (${where})`);
  if (config.graphiql) console.log(`[temper] GraphiQL: ${base}/graphql  health: ${base}/health  readiness: ${base}/ready`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[temper] ${signal}: stopping (${config.distributed ? 'the workers keep running the jobs' : 'running jobs resume from their checkpoints on the next start'})`);
    await ws.close();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  // One line a person acts on for what the environment got wrong; the stack for anything else.
  const line = e instanceof Error && /^cannot use the data directory/.test(e.message) ? e.message : e instanceof Error ? e.stack : e;
  console.error('[temper] failed to start:', line);
  process.exit(1);
});
