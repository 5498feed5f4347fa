import * as tf from '@tensorflow/tfjs-core';
import { BackendError, ErrorCodes } from '../errors.ts';
import { registerWasmTrainingKernels } from '../kernels/index.ts';
import { adapterDetails, describeDevice, webGpu, type AdapterDetails, type DeviceDetails, type WebGlDetails } from './device-info.ts';

/**
 * The edge check's backend ladder: webgpu, then webgl, then wasm, then cpu, each tried only where the
 * environment has it. The first that initializes runs the check; the report carries every rung and why
 * it was or was not taken. A forced backend (the page's `?backend=`, Node's TEMPER_EDGE_BACKEND) is used
 * or fails with BACKEND_UNAVAILABLE, never a silent fallback: a check meant for WebGPU that quietly ran
 * on wasm would report the wrong device's numerics and speed.
 *
 * WebGPU: tfjs' webgpu backend registers itself at import time only if `navigator.gpu` exists then, so
 * it is imported here, lazily, after that check. In Node, whoever provides `navigator.gpu` (the `webgpu`
 * package, see test/webgpu-node.ts) must do so before this runs.
 */

export const EDGE_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type EdgeBackendName = (typeof EDGE_BACKENDS)[number];

/** The environment variable Node callers (bench, CLI) read and pass as `backend`. */
export const EDGE_BACKEND_ENV = 'TEMPER_EDGE_BACKEND';

export interface EdgeBackendAttempt {
  readonly backend: EdgeBackendName;
  readonly ok: boolean;
  /** What it is (when taken) or why it could not be used. */
  readonly reason: string;
}

export interface EdgeBackendChoice {
  readonly backend: EdgeBackendName;
  /** One sentence: the backend taken, and why each one before it was not. */
  readonly reason: string;
  readonly forced: boolean;
  readonly attempts: readonly EdgeBackendAttempt[];
  readonly device: DeviceDetails;
  readonly tfjsVersion: string;
  /** Version of the tfjs backend package that ran, where it exports one. */
  readonly backendVersion: string | null;
  /** Kernels registered on this selection (Temper's wasm training kernels when wasm runs). */
  readonly registeredKernels: readonly string[];
}

export interface BackendLadderOptions {
  /** Force one backend ('webgpu' | 'webgl' | 'wasm' | 'cpu'); empty or undefined: the ladder. */
  readonly backend?: string | null;
  /** Where the wasm backend fetches its .wasm files (tfjs' setWasmPaths), for bundled pages. */
  readonly wasmPaths?: string | Record<string, string>;
  /** Only these rungs, in ladder order (tests and benches); default all four. */
  readonly candidates?: readonly EdgeBackendName[];
  readonly log?: (line: string) => void;
}

interface Loaded {
  readonly detail: string;
  readonly version: string | null;
  readonly kernels?: readonly string[];
}

/** Facts gathered while climbing, kept even when a rung fails (an adapter whose device would not start). */
interface Found {
  adapter?: AdapterDetails;
  webgl?: WebGlDetails;
}

async function loadWebGpu(found: Found): Promise<Loaded> {
  const gpu = webGpu();
  if (!gpu) throw new Error('navigator.gpu is missing: this environment has no WebGPU');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null: no usable GPU adapter (blocklisted, disabled, or no driver)');
  found.adapter = await adapterDetails(adapter);
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) {
    throw new Error('the tfjs webgpu backend did not register: it was imported before navigator.gpu existed');
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error('the tfjs webgpu backend failed to initialize its device');
  const a = found.adapter;
  const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' / ') || 'adapter details hidden by the browser';
  return { detail: `WebGPU on ${name}${a.isFallbackAdapter ? ' (software fallback adapter)' : ''}`, version: tf.version_core };
}

interface WebGlContextLike {
  getExtension(name: string): unknown;
  getParameter(p: number): unknown;
}

function webGlContext(): WebGlContextLike | null {
  const g = globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown }; document?: { createElement(tag: string): { getContext(kind: string): unknown } } };
  const canvas = g.OffscreenCanvas ? new g.OffscreenCanvas(1, 1) : g.document ? g.document.createElement('canvas') : null;
  if (!canvas) return null;
  return (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGlContextLike | null;
}

async function loadWebGl(found: Found): Promise<Loaded> {
  const g = globalThis as { OffscreenCanvas?: unknown; document?: unknown };
  if (!g.OffscreenCanvas && !g.document) throw new Error('no canvas (neither OffscreenCanvas nor document): this environment has no WebGL');
  const gl = webGlContext();
  if (!gl) throw new Error('a canvas gave no WebGL context (disabled or blocklisted)');
  const dbg = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_VENDOR_WEBGL: number; UNMASKED_RENDERER_WEBGL: number } | null;
  found.webgl = {
    vendor: String(gl.getParameter(dbg ? dbg.UNMASKED_VENDOR_WEBGL : 0x1f00) ?? ''),
    renderer: String(gl.getParameter(dbg ? dbg.UNMASKED_RENDERER_WEBGL : 0x1f01) ?? ''),
  };
  const mod = await import('@tensorflow/tfjs-backend-webgl');
  if (!tf.findBackendFactory('webgl')) throw new Error('the tfjs webgl backend did not register (tfjs does not consider this a browser)');
  if (!(await tf.setBackend('webgl'))) throw new Error('the tfjs webgl backend failed to initialize');
  return { detail: `WebGL on ${found.webgl.renderer || 'an unnamed renderer'}`, version: mod.version_webgl };
}

async function loadWasm(_found: Found, options: BackendLadderOptions): Promise<Loaded> {
  const mod = await import('@tensorflow/tfjs-backend-wasm');
  if (options.wasmPaths !== undefined) mod.setWasmPaths(options.wasmPaths as Parameters<typeof mod.setWasmPaths>[0]);
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialize (WebAssembly unavailable, or its .wasm files could not be fetched)');
  // Transfer PGD differentiates the surrogates on this backend; wasm lacks their conv backprop kernels.
  const kernels = registerWasmTrainingKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return { detail: `WebAssembly (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}) with Temper's training kernels`, version: mod.version_wasm, kernels };
}

async function loadCpu(): Promise<Loaded> {
  const mod = await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend failed to initialize');
  return { detail: 'plain JavaScript (slowest)', version: mod.version_cpu };
}

const LOADERS: Record<EdgeBackendName, (found: Found, options: BackendLadderOptions) => Promise<Loaded>> = {
  webgpu: loadWebGpu,
  webgl: loadWebGl,
  wasm: loadWasm,
  cpu: loadCpu,
};

export function parseEdgeBackendName(value: string): EdgeBackendName {
  const v = value.trim().toLowerCase();
  if ((EDGE_BACKENDS as readonly string[]).includes(v)) return v as EdgeBackendName;
  throw new BackendError(ErrorCodes.BACKEND_UNKNOWN, `Unknown edge backend "${value}" (one of ${EDGE_BACKENDS.join(', ')})`, { value });
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 300);
}

/** Climbs the ladder (or loads the forced backend) and makes the winner tfjs' current backend. */
export async function selectEdgeBackend(options: BackendLadderOptions = {}): Promise<EdgeBackendChoice> {
  const forcedName = options.backend?.trim() ? parseEdgeBackendName(options.backend) : undefined;
  const candidates = options.candidates ?? EDGE_BACKENDS;
  const order: EdgeBackendName[] = forcedName ? [forcedName] : EDGE_BACKENDS.filter((b) => candidates.includes(b));
  const attempts: EdgeBackendAttempt[] = [];
  const found: Found = {};
  for (const name of order) {
    try {
      const loaded = await LOADERS[name](found, options);
      attempts.push({ backend: name, ok: true, reason: loaded.detail });
      const skipped = attempts.filter((a) => !a.ok).map((a) => `${a.backend} not used: ${a.reason}`);
      const reason = forcedName ? `${name} forced: ${loaded.detail}` : [`${name}: ${loaded.detail}`, ...skipped].join('; ');
      options.log?.(`[temper] edge backend: ${reason}`);
      return {
        backend: name,
        reason,
        forced: Boolean(forcedName),
        attempts,
        device: describeDevice({ adapter: found.adapter ?? null, webgl: name === 'webgl' ? (found.webgl ?? null) : null }),
        tfjsVersion: tf.version_core,
        backendVersion: loaded.version,
        registeredKernels: loaded.kernels ?? [],
      };
    } catch (e) {
      attempts.push({ backend: name, ok: false, reason: errorText(e) });
    }
  }
  const detail = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new BackendError(
    ErrorCodes.BACKEND_UNAVAILABLE,
    forcedName ? `The edge backend ${forcedName} was requested but cannot be used: ${attempts[0].reason}` : `No edge backend could be loaded: ${detail}`,
    { attempts },
  );
}

/**
 * The choice as the caller made it, for checks run on a backend set up elsewhere (tf.setBackend
 * already called): no ladder, the current backend and device as they are.
 */
export function currentEdgeBackend(reason = 'set by the caller'): EdgeBackendChoice {
  const name = tf.getBackend();
  const backend = (EDGE_BACKENDS as readonly string[]).includes(name) ? (name as EdgeBackendName) : 'cpu';
  if (backend !== name) {
    throw new BackendError(ErrorCodes.BACKEND_UNKNOWN, `The current tfjs backend "${name}" is not an edge backend (${EDGE_BACKENDS.join(', ')})`, { value: name });
  }
  return {
    backend,
    reason: `${backend}: ${reason}`,
    forced: true,
    attempts: [{ backend, ok: true, reason }],
    device: describeDevice(),
    tfjsVersion: tf.version_core,
    backendVersion: null,
    registeredKernels: [],
  };
}
