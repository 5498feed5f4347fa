/**
 * `npm start`: Temper's GraphQL API on embedded defaults - SQLite and artifacts in ./data (or
 * TEMPER_DATA_DIR), job workers as child processes, no external service. With
 * TEMPER_MODE=distributed it is one API replica over PostgreSQL and Redis, and `temper-worker`
 * processes run the jobs (docs/deploy.md).
 */
import { createServer } from 'node:http';
import { attachGraphqlWs } from './api/graphql-ws.ts';
import { createTemperServer } from './api/app.ts';

async function main(): Promise<void> {
  const started = performance.now();
  const server = await createTemperServer();
  const { config } = server;
  const http = createServer(server.yoga);
  const ws = attachGraphqlWs(http, server.yoga);
  http.requestTimeout = 0; // Large uploads and long SSE subscriptions.
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  if (server.initialToken) {
    console.log(`[temper] first start: created owner "${server.initialToken.owner}". Its API token, shown only this once:`);
    console.log(`[temper]   ${server.initialToken.token}`);
    console.log('[temper] send it as "Authorization: Bearer <token>"; mint more with `npm run token -- create <owner>`.');
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
  console.error('[temper] failed to start:', e instanceof Error ? e.stack : e);
  process.exit(1);
});
