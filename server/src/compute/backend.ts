import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BackendError, ErrorCodes, registerSecondOrderGradients, registerWasmTrainingKernels } from '@temper/edge';
import { forcedBackendName } from '../config.ts';
import { prepareTensorflowEnv } from './tensorflow-env.ts';
import { applyTensorflowFixes } from './tensorflow-fixes.ts';
import { applyTensorflowGradients } from './tensorflow-gradients.ts';

export const COMPUTE_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type ComputeBackendName = (typeof COMPUTE_BACKENDS)[number];

export interface BackendAttempt {
  readonly backend: ComputeBackendName;
  readonly ok: boolean;
  readonly reason: string;
}

/** What a report, a job record, serverInfo and /ready say about the engine beyond its name. */
export interface BackendDetails {
  /** libtensorflow's TF_Version on the tensorflow backend; null elsewhere. */
  readonly libtensorflow: string | null;
  /** Threads one op may use: TensorFlow's intra-op pool, 1 on wasm (no threads in Node) and cpu. */
  readonly threads: number;
  /** Whether TensorFlow placed ops on a GPU (CUDA) device. */
  readonly gpu: boolean;
}

export interface ComputeBackendChoice {
  readonly backend: ComputeBackendName;
  readonly details: BackendDetails;
  /** One sentence a person can read in a log or in ServerInfo. */
  readonly reason: string;
  readonly forced: boolean;
  readonly attempts: readonly BackendAttempt[];
  readonly tfjsVersion: string;
}

// A variable specifier keeps bundlers and tsc from resolving the optional native package.
const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';

interface NativeBackend {
  readonly isUsingGpuDevice?: boolean;
  readonly binding?: { readonly TF_Version?: string };
}

let tensorflowThreads = 1;

async function loadTensorflow(): Promise<string> {
  // TensorFlow reads its thread counts, determinism and log level from the environment once, when
  // the library loads: they must be set before the import.
  tensorflowThreads = prepareTensorflowEnv().threads;
  // Loading the package registers the 'tensorflow' backend on the shared tfjs-core instance (the
  // engine lives on globalThis, and Node resolves tfjs-core's CJS build for both the package and us);
  // it uses CUDA when libtensorflow was built with it, the CPU otherwise.
  await import(/* @vite-ignore */ TFJS_NODE_GPU);
  // The package requires @tensorflow/tfjs, whose tfjs-layers re-registers tfjs-core's stock
  // gradients over Temper's second-order-safe ones (Exp, Softmax...): put those back, or every
  // double backprop (IGAM) gets wrong weight gradients on this backend.
  registerSecondOrderGradients();
  if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend registered but failed to initialize');
  applyTensorflowFixes();
  applyTensorflowGradients();
  const d = describeBackend('tensorflow');
  const where = d.gpu ? 'with CUDA on a GPU' : 'on CPU, no GPU device in use';
  return `libtensorflow ${d.libtensorflow ?? '(unknown version)'} ${where}, ${d.threads} intra-op threads`;
}

/** Details of a loaded backend (the active one unless named). */
export function describeBackend(name: string = tf.getBackend()): BackendDetails {
  if (name !== 'tensorflow') return { libtensorflow: null, threads: 1, gpu: false };
  const native = tf.findBackend('tensorflow') as unknown as NativeBackend | null;
  return { libtensorflow: native?.binding?.TF_Version ?? null, threads: tensorflowThreads, gpu: Boolean(native?.isUsingGpuDevice) };
}

async function loadWasm(): Promise<string> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialize');
  const added = registerWasmTrainingKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `WebAssembly (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}) with Temper's training kernels (${added.join(', ') || 'already registered'})`;
}

async function loadCpu(): Promise<string> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialize');
  return 'pure JavaScript (slowest)';
}

const LOADERS: Record<ComputeBackendName, () => Promise<string>> = { tensorflow: loadTensorflow, wasm: loadWasm, cpu: loadCpu };

function errorText(e: unknown): string {
  if ((e as { code?: string })?.code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(TFJS_NODE_GPU)) {
    return `${TFJS_NODE_GPU} is not installed (an optional dependency whose install script downloads libtensorflow)`;
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (/tfjs_binding\.node\) can ?not be found/.test(msg)) {
    // The package installs without its addon when npm ci's staging step could not build it; that
    // step printed why, and can be run again once the cause (no python3, no compiler...) is fixed.
    return `${TFJS_NODE_GPU} has no native addon: libtensorflow was not staged at npm ci (its install log says why; run \`npm run stage:tensorflow\` to retry)`;
  }
  return msg.split('\n')[0].slice(0, 300);
}

export function parseBackendName(value: string): ComputeBackendName {
  const v = value.trim().toLowerCase();
  if ((COMPUTE_BACKENDS as readonly string[]).includes(v)) return v as ComputeBackendName;
  throw new BackendError(ErrorCodes.BACKEND_UNKNOWN, `Unknown compute backend "${value}" (TEMPER_BACKEND must be one of ${COMPUTE_BACKENDS.join(', ')})`, { value });
}

let current: Promise<ComputeBackendChoice> | undefined;

/**
 * Chooses the training backend: tensorflow (tfjs-node-gpu), then wasm, then cpu. A backend named
 * in `TEMPER_BACKEND` (or `forced`) is used or fails loudly: a silent fallback would make a
 * GPU server train at CPU speed without anyone noticing.
 */
export async function initComputeBackend(options: { forced?: string; log?: (line: string) => void } = {}): Promise<ComputeBackendChoice> {
  const forcedName = (options.forced ?? forcedBackendName())?.trim() || undefined;
  const log = options.log ?? (() => {});
  const order: ComputeBackendName[] = forcedName ? [parseBackendName(forcedName)] : [...COMPUTE_BACKENDS];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    try {
      const detail = await LOADERS[name]();
      attempts.push({ backend: name, ok: true, reason: detail });
      const skipped = attempts.filter((a) => !a.ok).map((a) => `${a.backend} unavailable: ${a.reason}`);
      const reason = forcedName
        ? `${name} forced by TEMPER_BACKEND: ${detail}`
        : [`${name}: ${detail}`, ...skipped].join('; ');
      const choice: ComputeBackendChoice = { backend: name, details: describeBackend(name), reason, forced: Boolean(forcedName), attempts, tfjsVersion: tf.version_core };
      log(`[temper] compute backend: ${reason}`);
      return choice;
    } catch (e) {
      attempts.push({ backend: name, ok: false, reason: errorText(e) });
    }
  }
  const last = attempts[attempts.length - 1];
  if (forcedName) {
    throw new BackendError(ErrorCodes.BACKEND_UNAVAILABLE, `TEMPER_BACKEND=${forcedName} was requested but cannot be loaded: ${last.reason}`, { attempts });
  }
  throw new BackendError(ErrorCodes.BACKEND_UNAVAILABLE, `No compute backend could be loaded: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`, { attempts });
}

/** The process-wide backend, chosen once. */
export function computeBackend(options?: { log?: (line: string) => void }): Promise<ComputeBackendChoice> {
  current ??= initComputeBackend(options).catch((e) => {
    current = undefined;
    throw e;
  });
  return current;
}
