import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, TemperError } from '../errors.ts';
import { selectEdgeBackend } from './backend-ladder.ts';
import { adapterDetails, describeDevice } from './device-info.ts';

/**
 * The ladder in plain Node: no navigator.gpu and no canvas, so webgpu and webgl are skipped with their
 * reasons and wasm runs. The real WebGPU rung is exercised in test/edge-webgpu.test.ts (Dawn).
 */

const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

function setNavigator(value: unknown): void {
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true });
}

afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TemperError);
    return (e as TemperError).code;
  }
  return undefined;
}

describe('edge backend ladder', () => {
  it('skips webgpu and webgl with reasons and takes wasm, registering the training kernels', async () => {
    const choice = await selectEdgeBackend();
    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.forced).toBe(false);
    expect(choice.attempts.map((a) => [a.backend, a.ok])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['wasm', true],
    ]);
    expect(choice.attempts[0].reason).toMatch(/navigator\.gpu is missing/);
    expect(choice.attempts[1].reason).toMatch(/no WebGL/);
    expect(choice.reason).toMatch(/^wasm: WebAssembly .*; webgpu not used: navigator\.gpu is missing.*; webgl not used: /);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(choice.device.platform).toMatch(/^node \d+/);
    expect(choice.device.adapter).toBeNull();
    expect(choice.backendVersion).toBe(tf.version_core);
    expect(JSON.parse(JSON.stringify(choice))).toEqual(choice);
  });

  it('uses a forced backend or fails loudly, never falls back', async () => {
    const cpu = await selectEdgeBackend({ backend: ' CPU ' });
    expect([cpu.backend, cpu.forced, tf.getBackend()]).toEqual(['cpu', true, 'cpu']);
    expect(cpu.reason).toMatch(/^cpu forced: /);
    expect(await codeOf(selectEdgeBackend({ backend: 'webgpu' }))).toBe(ErrorCodes.BACKEND_UNAVAILABLE);
    expect(await codeOf(selectEdgeBackend({ backend: 'tpu' }))).toBe(ErrorCodes.BACKEND_UNKNOWN);
    expect((await selectEdgeBackend({ candidates: ['cpu'] })).backend).toBe('cpu');
  });

  it('reports a WebGPU adapter that exists but is unusable, and falls through', async () => {
    setNavigator({ gpu: { requestAdapter: async () => null }, userAgent: 'TestAgent/1.0', hardwareConcurrency: 4 });
    const choice = await selectEdgeBackend({ candidates: ['webgpu', 'cpu'] });
    expect(choice.backend).toBe('cpu');
    expect(choice.attempts[0].reason).toMatch(/requestAdapter\(\) returned null/);
    expect(choice.device.userAgent).toBe('TestAgent/1.0');
    expect(choice.device.hardwareConcurrency).toBe(4);
  });

  it('reads adapter details from adapter.info, or requestAdapterInfo() in older browsers', async () => {
    const info = { vendor: 'google', architecture: 'swiftshader', device: 'd', description: 'SwiftShader' };
    expect(await adapterDetails({ info, isFallbackAdapter: true })).toEqual({ ...info, isFallbackAdapter: true });
    expect(await adapterDetails({ requestAdapterInfo: async () => ({ vendor: 'intel', architecture: 'gen-12lp' }) })).toEqual({
      vendor: 'intel',
      architecture: 'gen-12lp',
      device: '',
      description: '',
      isFallbackAdapter: null,
    });
    expect(describeDevice().webgl).toBeNull();
  });
});
