import * as tf from '@tensorflow/tfjs-core';
import { imageSize, type ImageDataset } from '../data/dataset.ts';
import { throwIfAborted } from '../errors.ts';
import { logits, type Classifier } from '../models/classifier.ts';

/**
 * Inference speed as an app on this device sees it: each timed run uploads the images, runs the
 * forward pass and reads the logits back (`await data()`), so GPU queueing and read-back count, as they
 * do for a real caller. Batch 1 gives latency percentiles; a larger batch gives throughput. Runs cycle
 * through the sample's rows so no backend can serve a cached result. Warm-up runs (shader compilation,
 * wasm tiling) are not timed.
 */
export interface LatencyOptions {
  /** Timed batch-1 runs. Default 30. */
  readonly runs?: number;
  /** The larger batch for throughput. Default 32 (rows repeat when the sample is smaller). */
  readonly batchSize?: number;
  /** Timed runs at that batch. Default 5. */
  readonly batchRuns?: number;
  /** Untimed runs before each series. Default 2. */
  readonly warmup?: number;
}

export interface LatencySeries {
  readonly batchSize: number;
  readonly runs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly meanMs: number;
  /** Images per second over the timed runs. */
  readonly throughputPerSec: number;
}

export interface LatencyReport {
  readonly batch1: LatencySeries;
  readonly batch: LatencySeries;
}

function now(): number {
  return performance.now();
}

/** Nearest-rank percentile (q in [0,1]) of unsorted values. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

async function series(c: Classifier, ds: ImageDataset, batchSize: number, runs: number, warmup: number, signal?: AbortSignal): Promise<LatencySeries> {
  const px = imageSize(ds);
  const buf = new Float32Array(batchSize * px);
  let next = 0;
  const once = async (): Promise<number> => {
    for (let i = 0; i < batchSize; i++, next = (next + 1) % ds.count) buf.set(ds.images.subarray(next * px, (next + 1) * px), i * px);
    const t = now();
    const x = tf.tensor4d(buf, [batchSize, ds.height, ds.width, ds.channels]);
    const z = logits(c, x);
    try {
      await z.data();
    } finally {
      x.dispose();
      z.dispose();
    }
    return now() - t;
  };
  for (let i = 0; i < warmup; i++) {
    throwIfAborted(signal);
    await once();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    throwIfAborted(signal);
    times.push(await once());
  }
  const total = times.reduce((a, b) => a + b, 0);
  return {
    batchSize,
    runs,
    p50Ms: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    meanMs: total / runs,
    throughputPerSec: total > 0 ? (batchSize * runs * 1000) / total : 0,
  };
}

export async function measureLatency(c: Classifier, ds: ImageDataset, options: LatencyOptions & { signal?: AbortSignal } = {}): Promise<LatencyReport> {
  const runs = Math.max(1, Math.floor(options.runs ?? 30));
  const batchRuns = Math.max(1, Math.floor(options.batchRuns ?? 5));
  const warmup = Math.max(0, Math.floor(options.warmup ?? 2));
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
  const batch1 = await series(c, ds, 1, runs, warmup, options.signal);
  const batch = await series(c, ds, batchSize, batchRuns, warmup, options.signal);
  return { batch1, batch };
}
