import * as tf from '@tensorflow/tfjs-core';

/**
 * Repairs the known differences between libtensorflow 2.21 (the wheel Temper stages) and the
 * libtensorflow 2.9 that tfjs-node 4.22 was written for, on the shared tfjs-core kernel registry.
 *
 * - Round on int32 returns zeros in TF 2.21 (tfjs-core's own suite: 1 failure in 3,883 specs). An
 *   integer is its own rounding, so int32 inputs go through Identity instead.
 */
export function applyTensorflowFixes(): string[] {
  const applied: string[] = [];
  const round = tf.getKernel('Round', 'tensorflow');
  const identity = tf.getKernel('Identity', 'tensorflow');
  if (round && identity && !(round.kernelFunc as { temperFixed?: boolean }).temperFixed) {
    const original = round.kernelFunc;
    const fixed: tf.KernelFunc = (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      return x.dtype === 'int32' ? identity.kernelFunc({ ...args, attrs: {} }) : original(args);
    };
    Object.assign(fixed, { temperFixed: true });
    tf.unregisterKernel('Round', 'tensorflow');
    tf.registerKernel({ ...round, kernelFunc: fixed });
    applied.push('Round(int32)');
  }
  return applied;
}
