/**
 * Micro-benchmark of Temper's wasm training kernels against tfjs' cpu kernels.
 *
 *   npx tsx bench/kernels.ts [--quick] [--filter <substring of kernel or shape>]
 *
 * Prints ms per call for each kernel and shape on wasm and on cpu (and, for Conv2DBackpropInput,
 * the wasm backend's own kernel that Temper replaces), then one training step; writes
 * bench/results/kernels.json. Inputs are fixed-seed random data; each timing is the median of
 * several calls after warm-up calls, with the result read back (dataSync) inside the timed region.
 * cpu calls that take seconds are timed once, without a warm-up. The machine's load skews all of it:
 * compare numbers from one run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels, Rng } from '@temper/edge';

const quick = process.argv.includes('--quick');
const filterArg = process.argv.indexOf('--filter');
const filter = filterArg >= 0 ? process.argv[filterArg + 1] ?? '' : '';

interface Shape {
  readonly name: string;
  readonly kernel: string;
  /** Input shapes by kernel input name. */
  readonly inputs: Record<string, { shape: number[]; dtype?: 'float32' | 'int32'; maxInt?: number }>;
  readonly attrs: tf.NamedAttrMap;
  /** Multiply-adds per call, for GFLOP/s. */
  readonly macs: number;
  /** The cpu kernel would take minutes. */
  readonly skipCpu?: boolean;
}

function convShape(name: string, b: number, h: number, cin: number, cout: number, k: number, s: number): Shape {
  const oh = Math.ceil(h / s);
  return {
    name,
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: { shape: [b, h, h, cin] }, dy: { shape: [b, oh, oh, cout] } },
    attrs: { strides: [s, s], pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, cin, cout] } as unknown as tf.NamedAttrMap,
    macs: b * oh * oh * k * k * cin * cout,
  };
}

function backpropInputShape(name: string, b: number, h: number, cin: number, cout: number, k: number, s: number): Shape {
  const oh = Math.ceil(h / s);
  return {
    name,
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: { shape: [b, oh, oh, cout] }, filter: { shape: [k, k, cin, cout] } },
    attrs: { strides: [s, s], pad: 'same', dataFormat: 'NHWC', inputShape: [b, h, h, cin] } as unknown as tf.NamedAttrMap,
    macs: b * oh * oh * k * k * cin * cout,
  };
}

function depthwiseShape(kernel: string, name: string, b: number, h: number, c: number, mult: number, k: number, s: number): Shape {
  const oh = Math.ceil(h / s);
  const dy = { shape: [b, oh, oh, c * mult] };
  const common = { strides: [s, s], dilations: [1, 1], pad: 'same' };
  const filterBackprop = kernel === 'DepthwiseConv2dNativeBackpropFilter';
  return {
    name,
    kernel,
    inputs: filterBackprop ? { x: { shape: [b, h, h, c] }, dy } : { dy, filter: { shape: [k, k, c, mult] } },
    attrs: (filterBackprop ? { ...common, filterShape: [k, k, c, mult] } : { ...common, inputShape: [b, h, h, c] }) as unknown as tf.NamedAttrMap,
    macs: b * oh * oh * k * k * c * mult,
  };
}

const shapes: Shape[] = [
  convShape('batch 128, 28x28x1 -> 32, 3x3, stride 1, same', 128, 28, 1, 32, 3, 1),
  convShape('batch 128, 14x14x32 -> 64, 3x3, stride 2, same', 128, 14, 32, 64, 3, 2),
  { ...convShape('batch 128, 28x28x32 -> 64, 3x3, stride 2, same', 128, 28, 32, 64, 3, 2), skipCpu: true },
  backpropInputShape('batch 128, 14x14x32 <- 64, 3x3, stride 2, same', 128, 14, 32, 64, 3, 2),
  backpropInputShape('batch 128, 28x28x32 <- 64, 3x3, stride 2, same', 128, 28, 32, 64, 3, 2),
  backpropInputShape('batch 128, 14x14x32 <- 32, 3x3, stride 1, same', 128, 14, 32, 32, 3, 1),
  depthwiseShape('DepthwiseConv2dNativeBackpropFilter', 'batch 128, 14x14x32, 3x3, multiplier 1, stride 1, same', 128, 14, 32, 1, 3, 1),
  depthwiseShape('DepthwiseConv2dNativeBackpropFilter', 'batch 128, 28x28x16, 3x3, multiplier 1, stride 1, same', 128, 28, 16, 1, 3, 1),
  depthwiseShape('DepthwiseConv2dNativeBackpropInput', 'batch 128, 14x14x32, 3x3, multiplier 1, stride 1, same', 128, 14, 32, 1, 3, 1),
  depthwiseShape('DepthwiseConv2dNativeBackpropInput', 'batch 128, 14x14x32, 3x3, multiplier 2, stride 2, same', 128, 14, 32, 2, 3, 2),
  {
    name: 'gather gradient: 4096 rows of 64 into 100 segments',
    kernel: 'UnsortedSegmentSum',
    inputs: { x: { shape: [4096, 64] }, segmentIds: { shape: [4096], dtype: 'int32', maxInt: 100 } },
    attrs: { numSegments: 100 },
    macs: 4096 * 64,
  },
];

function makeInputs(shape: Shape, seed: string): tf.NamedTensorMap {
  const rng = new Rng(seed);
  const out: tf.NamedTensorMap = {};
  for (const [name, spec] of Object.entries(shape.inputs)) {
    const size = tf.util.sizeFromShape(spec.shape);
    out[name] = spec.dtype === 'int32'
      ? tf.tensor(Int32Array.from({ length: size }, () => rng.int(spec.maxInt ?? 1)), spec.shape, 'int32')
      : tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), spec.shape);
  }
  return out;
}

/**
 * Times a kernel on a backend; with `kernelFunc`, that function instead of the registered kernel
 * (the wasm backend's own Conv2DBackpropInput, which Temper replaces).
 */
async function measure(
  backend: 'wasm' | 'cpu',
  shape: Shape,
  reps: number,
  kernelFunc?: tf.KernelFunc,
): Promise<{ ms: number; values: Float32Array }> {
  await tf.setBackend(backend);
  const inputs = makeInputs(shape, shape.name);
  const call = () => {
    const out = kernelFunc === undefined
      ? (tf.engine().runKernel(shape.kernel, inputs, shape.attrs) as tf.Tensor)
      : tf.engine().makeTensorFromTensorInfo(kernelFunc({ inputs, backend: tf.backend(), attrs: shape.attrs }) as tf.TensorInfo);
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return values;
  };
  const t0 = performance.now();
  const values = call();
  const first = performance.now() - t0;
  // A few more warm-up calls for fast kernels: their JS loops need the optimising JIT.
  for (let i = 0; i < 3 && first < 200; i++) call();
  const times: number[] = [];
  if (first > 2000) times.push(first);
  for (let i = 0; i < reps && first <= 2000; i++) {
    const t0 = performance.now();
    call();
    times.push(performance.now() - t0);
  }
  tf.dispose(Object.values(inputs));
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], values };
}

function relError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

const nativeBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc;
registerWasmTrainingKernels();
await tf.setBackend('cpu');
await tf.setBackend('wasm');

const results = [];
for (const shape of shapes.filter((s) => `${s.kernel} ${s.name}`.includes(filter))) {
  const wasm = await measure('wasm', shape, quick ? 3 : 15);
  const native = shape.kernel === 'Conv2DBackpropInput' ? await measure('wasm', shape, quick ? 1 : 3, nativeBackpropInput) : null;
  const cpu = shape.skipCpu ? null : await measure('cpu', shape, quick ? 1 : 3);
  const row = {
    kernel: shape.kernel,
    shape: shape.name,
    wasmMs: Number(wasm.ms.toFixed(2)),
    ...(native === null ? {} : { wasmBackendOwnKernelMs: Number(native.ms.toFixed(2)) }),
    cpuMs: cpu === null ? null : Number(cpu.ms.toFixed(2)),
    speedup: cpu === null ? null : Number((cpu.ms / wasm.ms).toFixed(1)),
    wasmGflops: Number(((2 * shape.macs) / (wasm.ms * 1e6)).toFixed(2)),
    relErrorVsCpu: cpu === null ? null : Number(relError(wasm.values, cpu.values).toExponential(2)),
  };
  results.push(row);
  console.log(
    `${row.kernel.padEnd(36)} ${row.shape.padEnd(58)} wasm ${row.wasmMs.toFixed(2).padStart(8)} ms  ` +
      (cpu === null ? 'cpu (skipped: minutes)' : `cpu ${cpu.ms.toFixed(1).padStart(8)} ms  x${row.speedup}  err ${row.relErrorVsCpu}`) +
      (native === null ? '' : `  (wasm backend's own kernel: ${native.ms.toFixed(1)} ms)`),
  );
}

/**
 * One SGD step of a small CNN built from the two Conv2D shapes above (batch 128, 28x28x1 -> conv 32
 * stride 1 -> conv 64 stride 2 -> dense 10), on wasm only (cpu takes minutes), with the kernels that
 * take the most time in a profiled step.
 */
async function trainingStep(): Promise<{ msPerStep: number; topKernels: { kernel: string; ms: number }[] }> {
  await tf.setBackend('wasm');
  const rng = new Rng('training-step');
  const xs = tf.tensor4d(Float32Array.from({ length: 128 * 28 * 28 }, () => rng.next()), [128, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from({ length: 128 }, () => rng.int(10)), 'int32'), 10);
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10 }),
    ],
  });
  const optimizer = tf.train.sgd(0.01);
  const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar, true)!;
  tf.dispose(step());
  const times: number[] = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    const t0 = performance.now();
    const loss = step();
    loss.dataSync();
    times.push(performance.now() - t0);
    loss.dispose();
  }
  times.sort((a, b) => a - b);
  const profile = await tf.profile(() => tf.dispose(step()));
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const topKernels = [...byKernel]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([kernel, ms]) => ({ kernel, ms: Number(ms.toFixed(1)) }));
  optimizer.dispose();
  model.dispose();
  tf.dispose([xs, ys]);
  return { msPerStep: Number(times[Math.floor(times.length / 2)].toFixed(1)), topKernels };
}

const training = 'training step'.includes(filter) ? await trainingStep() : null;
if (training !== null) {
  console.log(`small CNN, batch 128, one SGD step on wasm: ${training.msPerStep} ms; by kernel (profiled step):`);
  for (const k of training.topKernels) console.log(`  ${k.kernel.padEnd(36)} ${k.ms} ms`);
}

const report = {
  benchmark: 'kernels',
  date: new Date().toISOString(),
  quick,
  tfjs: tf.version_core,
  wasmSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  wasmThreads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  results,
  training,
};
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'kernels.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${out}`);
