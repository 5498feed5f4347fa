import { existsSync } from 'node:fs';
import type { GpuLike } from '@temper/edge/device';

/**
 * WebGPU in Node for tests and benches: Dawn through the `webgpu` npm package, on Vulkan's SwiftShader
 * driver (a CPU emulation of a GPU: it proves the WebGPU path, not GPU speed). Debian's `chromium` ships
 * the driver; Dawn also needs the Vulkan loader, `libvulkan1`. `.ci/run` installs both.
 *
 * Call before anything imports '@tensorflow/tfjs-backend-webgpu': that package registers its backend at
 * import time only if `navigator.gpu` exists then (the edge backend ladder imports it lazily, after this).
 * Never skips: a machine without the driver fails here with the command that fixes it.
 */
export const SWIFTSHADER_LIBRARY = '/usr/lib/chromium/libvk_swiftshader.so';
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const INSTALL_HINT = 'Install it as root with `apt-get update && apt-get install -y chromium libvulkan1` (Debian; `.ci/run` does this).';

let installed: Promise<GpuLike> | undefined;

async function install(): Promise<GpuLike> {
  if (!existsSync(SWIFTSHADER_LIBRARY) || !existsSync(SWIFTSHADER_ICD)) {
    throw new Error(`SwiftShader's Vulkan driver is missing (${SWIFTSHADER_LIBRARY}): the WebGPU tests run Dawn on it. ${INSTALL_HINT}`);
  }
  // Read by the Vulkan loader when Dawn creates its instance, so setting it now (in this process) is enough.
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]) as unknown as GpuLike;
  const existing = (globalThis as { navigator?: { userAgent?: string; platform?: string; hardwareConcurrency?: number } }).navigator;
  // Node >= 21 has a getter-only navigator (without gpu): redefine it, keeping what it tells.
  const navigator = { gpu, userAgent: existing?.userAgent, platform: existing?.platform, hardwareConcurrency: existing?.hardwareConcurrency };
  Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true });
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      `Dawn found no WebGPU adapter with VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}: the Vulkan loader (libvulkan.so.1) or SwiftShader is missing or broken. ${INSTALL_HINT}`,
    );
  }
  return gpu;
}

/** Provides `navigator.gpu` (Dawn on SwiftShader) once per process; throws with an install hint if it cannot. */
export function installNodeWebGpu(): Promise<GpuLike> {
  installed ??= install().catch((e) => {
    installed = undefined;
    throw e;
  });
  return installed;
}
