/** @temper/server/testing: fixtures and real local services for tests and benchmarks in other packages. */
export * from './api/testing/fixtures.ts';
export * from './api/testing/server.ts';
export * from './api/testing/sse.ts';
export * from './distributed/testing/local-services.ts';
