import * as tf from '@tensorflow/tfjs-core';
import { ErrorCodes, ModelCompatibilityError, logits, type Classifier } from '@temper/edge';
import '@temper/edge';
import { oneHotFloat, softmaxProbabilities } from './losses.ts';

/**
 * IGAM differentiates the student's input gradient w.r.t. its weights (double backprop). tfjs 4.22
 * has no gradient for some gradient kernels (MaxPoolGrad, AvgPoolGrad, ResizeBilinearGrad...), and
 * the failure only shows up deep inside the first training step. This probe runs one double
 * backprop on two examples before training and turns such a failure into a ModelCompatibilityError
 * (MODEL_NO_SECOND_ORDER_GRADIENT) that names the op and the layers that use it.
 */

/** Which layer classes emit the forward op whose gradient kernel lacks a gradient. */
const LAYERS_BY_GRADIENT_KERNEL: Readonly<Record<string, { op: string; layers: readonly string[] }>> = {
  MaxPoolGrad: { op: 'maxPool', layers: ['MaxPooling1D', 'MaxPooling2D'] },
  MaxPool3DGrad: { op: 'maxPool3d', layers: ['MaxPooling3D'] },
  AvgPoolGrad: { op: 'avgPool', layers: ['AveragePooling1D', 'AveragePooling2D'] },
  AvgPool3DGrad: { op: 'avgPool3d', layers: ['AveragePooling3D'] },
  ResizeBilinearGrad: { op: 'resizeBilinear', layers: ['UpSampling2D', 'Resizing'] },
  ResizeNearestNeighborGrad: { op: 'resizeNearestNeighbor', layers: ['UpSampling2D', 'Resizing'] },
};

const MISSING = /gradient function not found for (\w+)/;

/** Converts tfjs' "gradient function not found for X" into Temper's error; other errors pass through. */
export function secondOrderError(e: unknown, model: Classifier['model'], method: string): unknown {
  const m = e instanceof Error ? MISSING.exec(e.message) : null;
  if (!m) return e;
  const kernel = m[1];
  const known = LAYERS_BY_GRADIENT_KERNEL[kernel];
  const layers = known ? model.layers.filter((l) => known.layers.includes(l.getClassName())).map((l) => `"${l.name}" (${l.getClassName()})`) : [];
  const where = known
    ? `"${kernel}", the gradient of the ${known.op} op${layers.length ? ` used by layer${layers.length > 1 ? 's' : ''} ${layers.join(', ')}` : ''}`
    : `"${kernel}"`;
  return new ModelCompatibilityError(
    ErrorCodes.MODEL_NO_SECOND_ORDER_GRADIENT,
    `${method} needs second-order gradients (it differentiates the student's input gradient w.r.t. its weights), but tfjs ${tf.version_core} has no gradient for ${where}. ` +
      'Replace that layer (strided convolutions instead of pooling, reshape + mean for average pooling) or use a method without double backprop.',
    { method, gradientKernel: kernel, op: known?.op ?? null, layers },
    { cause: e },
  );
}

/** d/dx of sum_b softmax(logitsOf(x)_b)_{y_b}: IGAM's input gradient of the true-class probability. */
export function trueClassProbabilityGradientOf(logitsOf: (x: tf.Tensor4D) => tf.Tensor2D, x: tf.Tensor4D, y: tf.Tensor1D, onLogits?: (z: tf.Tensor2D) => void): tf.Tensor4D {
  return tf.grad((xi: tf.Tensor) => {
    const z = logitsOf(xi as tf.Tensor4D);
    onLogits?.(z);
    return tf.sum(tf.mul(softmaxProbabilities(z), oneHotFloat(y, z.shape[1])));
  })(x) as tf.Tensor4D;
}

/** The same for a classifier in the given batch-norm mode. */
export function trueClassProbabilityGradient(c: Classifier, x: tf.Tensor4D, y: tf.Tensor1D, training: boolean, onLogits?: (z: tf.Tensor2D) => void): tf.Tensor4D {
  return trueClassProbabilityGradientOf((xi) => logits(c, xi, training), x, y, onLogits);
}

/** One double backprop on `x` (training mode; the model's weights, batch-norm statistics included, are restored afterwards). */
export function checkSecondOrderGradients(c: Classifier, x: tf.Tensor4D, y: tf.Tensor1D, method: string): void {
  const saved = c.model.getWeights().map((w) => tf.clone(w));
  const vars = c.model.trainableWeights.map((w) => w.read() as tf.Variable);
  try {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(trueClassProbabilityGradient(c, x, y, true))) as tf.Scalar, vars);
    tf.dispose([value, ...Object.values(grads)]);
  } catch (e) {
    throw secondOrderError(e, c.model, method);
  } finally {
    c.model.setWeights(saved);
    tf.dispose(saved);
  }
}
