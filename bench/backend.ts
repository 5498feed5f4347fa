/**
 * npm run bench:backend [-- --quick]
 *
 * For each zoo model: training examples/s (Adam step, batch 128, MNIST-shaped input) on every
 * compute backend that loads here (tensorflow, wasm, cpu), and raw matMul / conv2d GFLOP/s per
 * backend. Writes bench/results/backend.json. Each timing is the median over timed steps after a
 * warm-up step; on the cpu backend the conv nets are timed over one step at batch 16, because one
 * step at batch 128 takes minutes there. Numbers from
 * one run are comparable with each other; these machines are noisy across runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { logits, crossEntropy, Rng, createZooClassifier, zooArchitectureNames } from '@temper/edge';
import { COMPUTE_BACKENDS, type ComputeBackendName, initComputeBackend } from '@temper/server';

const quick = process.argv.includes('--quick');
const BATCH = 128;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeMs(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function randomBatch(rng: Rng, n: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  return {
    x: tf.tensor4d(Float32Array.from({ length: n * 784 }, () => rng.next()), [n, 28, 28, 1]),
    y: tf.tensor1d(Int32Array.from({ length: n }, () => rng.int(10)), 'int32'),
  };
}

function trainingThroughput(arch: string, steps: number, batch: number, warmUp: boolean): { examplesPerSecond: number; msPerStep: number; steps: number; batchSize: number } {
  const c = createZooClassifier(arch, { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
  const vars = c.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(1e-3);
  const { x, y } = randomBatch(new Rng(1), batch);
  const step = () => {
    const cost = opt.minimize(() => crossEntropy(logits(c, x, true), y), true, vars)!;
    cost.dataSync();
    cost.dispose();
  };
  if (warmUp) step(); // kernel compilation, weight upload, allocator growth
  const times = Array.from({ length: steps }, () => timeMs(step));
  tf.dispose([x, y]);
  opt.dispose();
  c.model.dispose();
  const ms = median(times);
  return { examplesPerSecond: (batch * 1000) / ms, msPerStep: ms, steps, batchSize: batch };
}

function opGflops(op: 'matMul' | 'conv2d', reps: number): number {
  const rng = new Rng(2);
  const rand = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.next() - 0.5), shape);
  let flops: number;
  let run: () => tf.Tensor;
  let inputs: tf.Tensor[];
  if (op === 'matMul') {
    const n = 512;
    const a = rand([n, n]), b = rand([n, n]);
    inputs = [a, b];
    flops = 2 * n * n * n;
    run = () => tf.matMul(a, b);
  } else {
    const [bs, h, cin, cout, k] = [32, 28, 32, 64, 3];
    const xin = rand([bs, h, h, cin]), f = rand([k, k, cin, cout]);
    inputs = [xin, f];
    flops = 2 * bs * h * h * cin * cout * k * k;
    run = () => tf.conv2d(xin as tf.Tensor4D, f as tf.Tensor4D, 1, 'same');
  }
  const once = () => {
    const out = run();
    out.dataSync();
    out.dispose();
  };
  once();
  const ms = median(Array.from({ length: reps }, () => timeMs(once)));
  tf.dispose(inputs);
  return flops / (ms * 1e6);
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  const available: ComputeBackendName[] = [];
  for (const name of COMPUTE_BACKENDS) {
    try {
      const choice = await initComputeBackend({ forced: name });
      available.push(name);
      console.log(`backend ${name}: ${choice.reason}`);
    } catch (e) {
      console.log(`backend ${name}: unavailable (${(e as Error).message})`);
      results[name] = { available: false, reason: (e as Error).message };
    }
  }
  const archs = zooArchitectureNames();
  for (const name of available) {
    await initComputeBackend({ forced: name });
    const slow = name === 'cpu';
    const entry: Record<string, unknown> = {
      available: true,
      matMulGflops: opGflops('matMul', slow ? 2 : 10),
      conv2dGflops: opGflops('conv2d', slow ? 2 : 10),
      training: {} as Record<string, unknown>,
    };
    console.log(`${name}: matMul ${(entry.matMulGflops as number).toFixed(2)} GFLOP/s, conv2d ${(entry.conv2dGflops as number).toFixed(2)} GFLOP/s`);
    for (const arch of archs) {
      // One cpu step of the conv nets at batch 128 takes minutes; a smaller batch measures the same
      // per-example cost (these models have no batch-size-dependent parallelism on cpu).
      const batch = slow && arch !== 'mlp' ? 16 : BATCH;
      const steps = slow ? 1 : quick ? 3 : 8;
      const r = trainingThroughput(arch, steps, batch, !slow || arch === 'mlp');
      (entry.training as Record<string, unknown>)[arch] = r;
      console.log(`${name}: ${arch} trains at ${r.examplesPerSecond.toFixed(1)} examples/s (${r.msPerStep.toFixed(0)} ms per batch of ${batch}, median of ${steps})`);
    }
    results[name] = entry;
  }
  const ratios: Record<string, number> = {};
  const wasm = results.wasm as { training?: Record<string, { examplesPerSecond: number }> } | undefined;
  const cpu = results.cpu as { training?: Record<string, { examplesPerSecond: number }> } | undefined;
  if (wasm?.training && cpu?.training) {
    for (const arch of archs) ratios[arch] = wasm.training[arch].examplesPerSecond / cpu.training[arch].examplesPerSecond;
    console.log(`wasm / cpu training speed: ${archs.map((a) => `${a} ${ratios[a].toFixed(1)}x`).join(', ')} (target for cnn: >= 30x)`);
  }
  const out = {
    benchmark: 'backend',
    date: new Date().toISOString(),
    batchSize: BATCH,
    inputShape: [28, 28, 1],
    quick,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, tfjs: tf.version_core },
    results,
    wasmOverCpuTraining: ratios,
  };
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'backend.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

await main();
