import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { describeBackend } from './backend.ts';

/**
 * The compute environment a report records beside tfjs's versions: the same numbers on another machine
 * may differ in the last float bits (oneDNN, thread counts, GPU kernels), so a reproduction needs these.
 */
export function evaluationEnvironment(): { [key: string]: string | number | boolean | null } {
  const d = describeBackend();
  return {
    backend: tf.getBackend(),
    libtensorflow: d.libtensorflow,
    threads: d.threads,
    gpu: d.gpu,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
  };
}
