import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@temper/edge';
import { describeBackend, initComputeBackend, parseBackendName } from './backend.ts';
import { prepareTensorflowEnv } from './tensorflow-env.ts';

describe('compute backend selection', () => {
  it('picks tensorflow where it loads, else wasm, and says why', async () => {
    const lines: string[] = [];
    const choice = await initComputeBackend({ forced: '', log: (l) => lines.push(l) });
    // npm ci stages libtensorflow where python3 and a compiler exist; elsewhere wasm is the choice.
    const tensorflow = choice.attempts.find((a) => a.backend === 'tensorflow')!;
    if (tensorflow.ok) {
      expect(choice.backend).toBe('tensorflow');
      expect(choice.details.libtensorflow).toMatch(/^2\.\d+/);
      expect(choice.details.threads).toBeGreaterThanOrEqual(1);
      expect(choice.reason).toContain(`libtensorflow ${choice.details.libtensorflow}`);
      expect(describeBackend()).toEqual(choice.details);
    } else {
      expect(choice.backend).toBe('wasm');
      expect(choice.reason).toMatch(/tensorflow unavailable: .*tfjs-node-gpu/);
    }
    expect(tf.getBackend()).toBe(choice.backend);
    expect(lines.join('\n')).toContain(`compute backend: ${choice.backend}`);
    expect(choice.forced).toBe(false);
  });

  it('registers the wasm training kernels with the wasm backend', async () => {
    const choice = await initComputeBackend({ forced: 'wasm' });
    expect(choice.backend).toBe('wasm');
    expect(choice.reason).toMatch(/forced by TEMPER_BACKEND/);
    const kernels = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    for (const k of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) expect(kernels.has(k)).toBe(true);
  });

  it('uses a forced cpu backend', async () => {
    const choice = await initComputeBackend({ forced: 'CPU' });
    expect(choice.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('never silently falls back from a forced backend that cannot load', async () => {
    const before = tf.getBackend();
    const attempt = initComputeBackend({ forced: 'tensorflow' });
    let installed = false;
    try {
      await import(/* @vite-ignore */ ['@tensorflow', 'tfjs-node-gpu'].join('/'));
      installed = true;
    } catch {
      // expected on machines without libtensorflow
    }
    if (installed) {
      expect((await attempt).backend).toBe('tensorflow');
      return;
    }
    await expect(attempt).rejects.toMatchObject({ code: ErrorCodes.BACKEND_UNAVAILABLE, message: expect.stringMatching(/TEMPER_BACKEND=tensorflow.*cannot be loaded/) });
    expect(tf.getBackend()).toBe(before);
  });

  it('describes wasm and cpu as single-threaded, without libtensorflow', async () => {
    expect((await initComputeBackend({ forced: 'wasm' })).details).toEqual({ libtensorflow: null, threads: 1, gpu: false });
    expect((await initComputeBackend({ forced: 'cpu' })).details).toEqual({ libtensorflow: null, threads: 1, gpu: false });
  });

  it('turns TEMPER_THREADS into TensorFlow thread settings and rejects bad values with a code', () => {
    const env: NodeJS.ProcessEnv = { TEMPER_THREADS: '3' };
    expect(prepareTensorflowEnv(env)).toEqual({ threads: 3, deterministic: true });
    expect(env).toMatchObject({ TF_NUM_INTRAOP_THREADS: '3', TF_NUM_INTEROP_THREADS: '1', TF_DETERMINISTIC_OPS: '1' });
    // An operator's own TensorFlow settings win.
    expect(prepareTensorflowEnv({ TF_NUM_INTRAOP_THREADS: '5', TF_DETERMINISTIC_OPS: '0' })).toEqual({ threads: 5, deterministic: false });
    for (const bad of ['0', '-2', '1.5', 'many']) {
      expect(() => prepareTensorflowEnv({ TEMPER_THREADS: bad })).toThrow(expect.objectContaining({ code: ErrorCodes.BACKEND_INVALID_CONFIG }));
    }
  });

  it('rejects unknown backend names with their own code', async () => {
    expect(() => parseBackendName('cuda')).toThrow(expect.objectContaining({ code: ErrorCodes.BACKEND_UNKNOWN }));
    await expect(initComputeBackend({ forced: 'webgl' })).rejects.toMatchObject({ code: ErrorCodes.BACKEND_UNKNOWN });
  });

  it('reads TEMPER_BACKEND from the environment', async () => {
    const saved = process.env.TEMPER_BACKEND;
    process.env.TEMPER_BACKEND = 'cpu';
    try {
      expect((await initComputeBackend()).backend).toBe('cpu');
    } finally {
      if (saved === undefined) delete process.env.TEMPER_BACKEND;
      else process.env.TEMPER_BACKEND = saved;
    }
  });
});
