import { testBackendName } from '../config.ts';
import { initComputeBackend, type ComputeBackendChoice } from './backend.ts';

/**
 * The backend of the training, hardening and evaluation tests: `TEMPER_TEST_BACKEND` when set, else
 * the servers' own choice (tensorflow where `npm ci` staged libtensorflow, wasm elsewhere), so that the
 * tests exercise what production runs. Kernel tests stay on wasm and edge tests on webgpu/wasm.
 */
export function initTestBackend(): Promise<ComputeBackendChoice> {
  return initComputeBackend({ forced: testBackendName() ?? '' });
}
