import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@temper/edge';
import { forcedBackendName, loadConfig, loadWorkerConfig, tensorflowThreads, testBackendName } from './config.ts';

describe('config: the environment, read in one place', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({ INIT_CWD: '/srv/temper' });
    expect(c).toMatchObject({ mode: 'embedded', distributed: null, host: '127.0.0.1', port: 4000, workers: 1, maxAttempts: 2, workerNice: 10, bodyLimitBytes: 128 * 1024 * 1024 });
    expect(c.edgePageDir).toBeUndefined();
    expect(c.webAppDir).toBeUndefined();
    expect(loadWorkerConfig({})).toEqual({ progressIntervalMs: 250, cancelPollMs: 2000, workerName: undefined });
    expect(forcedBackendName({})).toBeUndefined();
    expect(testBackendName({ TEMPER_TEST_BACKEND: ' ' })).toBeUndefined();
    expect(tensorflowThreads({})).toBeUndefined();
  });

  it('resolves the page and app directories like every path the user gives: against where the command ran', () => {
    const c = loadConfig({ INIT_CWD: '/srv/temper', TEMPER_EDGE_PAGE_DIR: 'pages/edge', TEMPER_WEB_APP_DIR: '/opt/web' });
    expect(c.edgePageDir).toBe(join('/srv/temper', 'pages/edge'));
    expect(c.webAppDir).toBe('/opt/web');
  });

  it('reads the worker and compute settings', () => {
    expect(loadWorkerConfig({ TEMPER_PROGRESS_INTERVAL_MS: '0', TEMPER_CANCEL_POLL_MS: '1000', TEMPER_WORKER_NAME: 'gpu0' })).toEqual({ progressIntervalMs: 0, cancelPollMs: 1000, workerName: 'gpu0' });
    expect(forcedBackendName({ TEMPER_BACKEND: ' wasm ' })).toBe('wasm');
    expect(testBackendName({ TEMPER_TEST_BACKEND: 'cpu' })).toBe('cpu');
    expect(tensorflowThreads({ TEMPER_THREADS: '3' })).toBe(3);
  });

  it('refuses values that are not what the variable means, naming the variable', () => {
    expect(() => loadWorkerConfig({ TEMPER_PROGRESS_INTERVAL_MS: 'soon' })).toThrow(/TEMPER_PROGRESS_INTERVAL_MS/);
    expect(() => loadWorkerConfig({ TEMPER_CANCEL_POLL_MS: '0' })).toThrow(/TEMPER_CANCEL_POLL_MS/);
    expect(() => loadConfig({ TEMPER_PORT: '-1' })).toThrow(/TEMPER_PORT/);
    for (const bad of ['0', '1.5', 'many', '2000']) {
      expect(() => tensorflowThreads({ TEMPER_THREADS: bad })).toThrow(expect.objectContaining({ code: ErrorCodes.BACKEND_INVALID_CONFIG }));
    }
  });
});
