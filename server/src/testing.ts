/** @temper/server/testing: fixtures and real local services for tests and benchmarks in other packages. */
import { fileURLToPath } from 'node:url';

export * from './api/testing/fixtures.ts';
export * from './api/testing/server.ts';
export * from './api/testing/sse.ts';
export * from './distributed/testing/local-services.ts';

/** Entry points that tests and benchmarks start as child processes (`npm start`'s server, `temper-worker`). */
export const SERVER_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
export const WORKER_MAIN = fileURLToPath(new URL('./distributed/worker-main.ts', import.meta.url));
