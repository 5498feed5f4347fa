import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers tfjs-core's gradients on import. Load it first so that the overrides below
// are registered after (and not overwritten by) the stock ones.
import '@tensorflow/tfjs-layers';

/**
 * Gradients tfjs 4.22 lacks that double backprop (IGAM, input-gradient penalties) runs into.
 *
 * Comparison and logical ops are piecewise constant, so their derivative is zero almost
 * everywhere; tfjs simply never registered one, and every first-order gradient that uses a mask
 * (max, maximum, relu6, clipByValue...) then fails on the second pass with "gradient function not
 * found for Equal/Greater/Less".
 */
const PIECEWISE_CONSTANT_BINARY = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr'];
const PIECEWISE_CONSTANT_UNARY = ['LogicalNot', 'IsNan', 'IsInf', 'IsFinite'];

/** Gradients tfjs lacks: registered where none is. */
const MISSING: tf.GradConfig[] = [
  ...PIECEWISE_CONSTANT_BINARY.map((kernelName) => ({
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({ a: () => tf.zerosLike(saved[0]), b: () => tf.zerosLike(saved[1]) }),
  })),
  ...PIECEWISE_CONSTANT_UNARY.map((kernelName) => ({
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({ x: () => tf.zerosLike(saved[0]) }),
  })),
];

/** Gradients tfjs has but gets wrong under double backprop: registered over tfjs' own. */
const OVERRIDES: tf.GradConfig[] = [];

// Gradients tfjs computes from a saved *output*. The engine tapes the clone of a saved output
// before the node of the op that produced it, so on a second backward pass that clone is
// visited after its producer and its contribution never reaches the input: second derivatives
// come out silently wrong (measured on softmax cross-entropy: 0.032 vs 0.098 by finite
// differences). Recomputing from the saved input keeps every path on the tape.
const override = (config: tf.GradConfig) => OVERRIDES.push(config);
override({ kernelName: 'Exp', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.exp(x)) }) });
override({
  kernelName: 'Sigmoid',
  inputsToSave: ['x'],
  gradFunc: (dy, [x]) => ({ x: () => tf.tidy(() => { const s = tf.sigmoid(x); return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s))); }) }),
});
override({ kernelName: 'Tanh', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(x)))) }) });
override({
  kernelName: 'Softmax',
  inputsToSave: ['logits'],
  gradFunc: (dy, [logits], attrs) => ({
    logits: () =>
      tf.tidy(() => {
        const dim = (attrs as unknown as { dim: number }).dim;
        const y = tf.softmax(logits, dim);
        return tf.mul(y, tf.sub(dy as tf.Tensor, tf.sum(tf.mul(dy as tf.Tensor, y), dim, true)));
      }),
  }),
});
override({
  kernelName: 'LogSoftmax',
  inputsToSave: ['logits'],
  gradFunc: (dy, [logits], attrs) => ({
    logits: () =>
      tf.tidy(() => {
        const axis = (attrs as unknown as { axis: number }).axis;
        return tf.sub(dy as tf.Tensor, tf.mul(tf.sum(dy as tf.Tensor, axis, true), tf.softmax(logits, axis)));
      }),
  }),
});
override({
  kernelName: 'Elu',
  inputsToSave: ['x'],
  gradFunc: (dy, [x]) => ({ x: () => tf.tidy(() => tf.where(tf.greater(x, 0), dy as tf.Tensor, tf.mul(dy as tf.Tensor, tf.exp(x)))) }),
});

// d/dx of a depthwise conv is DepthwiseConv2dNativeBackpropInput; differentiating it again
// (w.r.t. the filter, for weight updates of an input-gradient loss) needs this.
MISSING.push({
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  inputsToSave: ['dy', 'filter'],
  gradFunc: (ddx, saved, attrs) => {
    const [dy, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number;
      dilations: [number, number] | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    return {
      dy: () => tf.depthwiseConv2d(ddx as tf.Tensor4D, filter, strides, pad, 'NHWC', dilations, dimRoundingMode),
      filter: () =>
        tf.tidy(() => {
          // tfjs exposes no public op for the depthwise filter gradient; obtain it as the
          // gradient of a depthwise conv w.r.t. its filter, which dispatches the same kernel.
          const g = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(ddx as tf.Tensor4D, f as tf.Tensor4D, strides, pad, 'NHWC', dilations, dimRoundingMode), dy)));
          return g(filter);
        }),
    };
  },
});

/**
 * Registers the gradients above, and registers them again wherever something has since replaced
 * them: loading tfjs-node (the tensorflow backend) requires the CJS build of @tensorflow/tfjs, whose
 * tfjs-layers re-registers all of tfjs-core's stock gradients on the shared registry. That silently
 * undid the overrides, and IGAM's double backprop got wrong weight gradients on the tensorflow
 * backend only (issue 15: every IGAM student collapsed to one class there, none on wasm).
 * Idempotent and cheap (one registry lookup per kernel); returns the kernels it (re-)registered.
 */
export function registerSecondOrderGradients(): string[] {
  const added: string[] = [];
  for (const config of MISSING) {
    if (tf.getGradient(config.kernelName)) continue;
    tf.registerGradient(config);
    added.push(config.kernelName);
  }
  for (const config of OVERRIDES) {
    if (tf.getGradient(config.kernelName)?.gradFunc === config.gradFunc) continue;
    tf.registerGradient(config);
    added.push(config.kernelName);
  }
  return added;
}

registerSecondOrderGradients();
