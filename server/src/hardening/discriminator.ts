import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { crossEntropy } from './losses.ts';

/**
 * IGAM's discriminator (docs/methods.md): conv layers 4x4 stride 2 with batch norm and leaky ReLU 0.1,
 * then a 2-way output; it sees gradient maps zero-meaned and L2-normalized per example. Only
 * first-order gradients flow through it (into the student's input gradient), so stock tfjs layers
 * serve; the student's double backprop never differentiates D's own gradient kernels.
 */
export function buildDiscriminator(inputShape: readonly [number, number, number], channels: readonly number[], seed: number): tfl.LayersModel {
  const input = tfl.input({ shape: [...inputShape], name: 'gradient_map' });
  let h = input;
  channels.forEach((filters, i) => {
    h = tfl.layers
      .conv2d({ filters, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.heNormal({ seed: seed * 1000 + 801 + i }), name: `disc_conv${i + 1}` })
      .apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization({ name: `disc_bn${i + 1}` }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.leakyReLU({ alpha: 0.1, name: `disc_lrelu${i + 1}` }).apply(h) as tfl.SymbolicTensor;
  });
  h = tfl.layers.flatten({ name: 'disc_flatten' }).apply(h) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed * 1000 + 899 }), name: 'disc_logits' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: 'igam_discriminator' });
}

/** Each example's map minus its mean, divided by its L2 norm. */
export function normalizeGradientMaps(g: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const centered = tf.sub(g, tf.mean(g, [1, 2, 3], true));
    // max(sum of squares, 1e-12) as tf.nn.l2_normalize (the reference's TF code) computes it, written
    // relu(s - f) + f because tfjs has no second-order gradient for maximum. The former additive 1e-24
    // floor let a near-zero map (a confident student: p(y|x) -> 1) scale its gradient by ~1e12.
    // (Issue 15's one-class IGAM students on tensorflow had another cause: wrong second-order
    // gradients after tfjs-node's load, see edge/src/models/second-order.ts.)
    const sumSq = tf.sum(tf.square(centered), [1, 2, 3], true);
    const norm = tf.sqrt(tf.add(tf.relu(tf.sub(sumSq, 1e-12)), 1e-12));
    return tf.div(centered, norm) as tf.Tensor4D;
  });
}

/** L_D = mean CE(D([g_S ; g_T]), [0...0 ; 1...1]): student maps are class 0, teacher maps class 1. */
export function discriminatorLoss(d: tfl.LayersModel, gStudent: tf.Tensor4D, gTeacher: tf.Tensor4D, training: boolean): tf.Scalar {
  return tf.tidy(() => {
    const maps = normalizeGradientMaps(tf.concat([gStudent, gTeacher]) as tf.Tensor4D);
    const z = d.apply(maps, { training }) as tf.Tensor2D;
    const labels = tf.concat([tf.zeros([gStudent.shape[0]], 'int32'), tf.ones([gTeacher.shape[0]], 'int32')]) as tf.Tensor1D;
    return crossEntropy(z, labels);
  });
}
