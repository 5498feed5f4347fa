import * as tf from '@tensorflow/tfjs-core';

/**
 * Native gradient kernels for the tensorflow backend.
 *
 * tfjs-core writes every gradient once, for all backends, as a composition of elementwise ops. On
 * tfjs-node each of those ops is a separate eager TensorFlow call that makes a full pass over the
 * activation, and some are compositions themselves: Relu's gradient is `dy * cast(step(x))`, and
 * tfjs-node's Step kernel is IsNan, Greater, Fill, ones and Select, so one Relu backward costs ~7
 * full-size passes where TensorFlow's own ReluGrad is one; batch norm's gradient tiles the variance
 * to the activation's shape and makes ~14 full-size passes where FusedBatchNormGrad is one fused
 * kernel; Mean's gradient builds a full-size tensor of ones in JavaScript and uploads it. On a
 * small ResNet these compositions were ~45% of a training step (tf.profile, batch 128).
 *
 * The native paths apply only to first-order gradients: when a gradient is itself being recorded
 * (IGAM's gradient of an input gradient, engine gradientDepth > 0) the gradient must be
 * differentiable, and tfjs-core's composite is used as before. Semantics differ from tfjs-core's in
 * one corner: at a NaN input ReluGrad passes 0 (as TensorFlow and PyTorch do) where tfjs passes NaN.
 */

const RELU_GRAD = 'TemperReluGrad';
const BATCH_NORM_GRAD = 'TemperFusedBatchNormGrad';

interface NodeBinding {
  readonly TF_ATTR_TYPE: number;
  readonly TF_ATTR_FLOAT: number;
  readonly TF_ATTR_STRING: number;
  readonly TF_ATTR_BOOL: number;
  readonly TF_FLOAT: number;
}

interface OpAttr {
  readonly name: string;
  readonly type: number;
  readonly value: unknown;
}

/** The slice of tfjs-node's NodeJSKernelBackend these kernels call. */
interface NodeKernelBackend {
  readonly binding: NodeBinding;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.TensorInfo;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[], numOutputs: number): tf.TensorInfo[];
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

let nativeEnabled = true;

/** Turns the native paths off and on (the conformance suite and bench:backend compare both). */
export function setTensorflowNativeGradients(enabled: boolean): void {
  nativeEnabled = enabled;
}

function useComposite(): boolean {
  return !nativeEnabled || tf.getBackend() !== 'tensorflow' || recordingHigherOrder();
}

function recordingHigherOrder(): boolean {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth > 0;
}

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`native gradient kernel: missing input ${name}`);
  return t;
}

function floatType(b: NodeBinding): OpAttr {
  return { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT };
}

function registerNativeKernels(): void {
  tf.registerKernel({
    kernelName: RELU_GRAD,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend }) => {
      const native = backend as unknown as NodeKernelBackend;
      return native.executeSingleOutput('ReluGrad', [floatType(native.binding)], [input(inputs, 'dy'), input(inputs, 'x')]);
    },
  });
  tf.registerKernel({
    kernelName: BATCH_NORM_GRAD,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const native = backend as unknown as NodeKernelBackend;
      const b = native.binding;
      const opAttrs: OpAttr[] = [
        floatType(b),
        { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: (attrs as { varianceEpsilon: number }).varianceEpsilon },
        { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
        // Inference mode: mean and variance are inputs whose own gradients the caller computes
        // from the per-channel sums this op returns, so the op needs no saved batch statistics.
        { name: 'is_training', type: b.TF_ATTR_BOOL, value: false },
      ];
      const operands = ['dy', 'x', 'scale', 'mean', 'variance'].map((name) => input(inputs, name));
      const [dx, dScale, dOffset, ...reserved] = native.executeMultipleOutputs('FusedBatchNormGrad', opAttrs, operands, 5);
      // The two reserve-space outputs never reach the engine, so nothing else would free them.
      for (const r of reserved) native.disposeData(r.dataId, true);
      return [dx, dScale, dOffset];
    },
  });
}

type NativeGradient = (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Record<string, () => tf.Tensor> | undefined;

/**
 * Registers `native` as kernelName's gradient on the tensorflow backend, keeping tfjs-core's own
 * where the native paths are off, on other backends, inside recorded (higher-order) gradients, or
 * where `native` declines the inputs (returns undefined).
 */
function overrideGradient(kernelName: string, native: NativeGradient): void {
  const composite = tf.getGradient(kernelName);
  tf.registerGradient({
    kernelName,
    inputsToSave: composite.inputsToSave,
    gradFunc: (dy, saved, attrs) => (useComposite() ? undefined : native(dy as tf.Tensor, saved, attrs)) ?? composite.gradFunc(dy, saved, attrs),
  });
}

function installReluGradient(): void {
  overrideGradient('Relu', (dy, [x]) => {
    if (dy.dtype !== 'float32' || x.dtype !== 'float32') return undefined;
    return { x: () => tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor };
  });
}

function installBatchNormGradient(): void {
  overrideGradient('FusedBatchNorm', (dy, [x, mean, variance, scale], attrs) => {
    if (x.rank !== 4 || mean.rank !== 1 || variance.rank !== 1 || (scale != null && scale.rank !== 1) || x.dtype !== 'float32') return undefined;
    const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    // One fused kernel gives dx (mean and variance held fixed) and the per-channel sums
    // sum(dy) and sum(dy·(x-mean))·rsqrt(var+eps); the mean's and the variance's gradients are
    // those sums times per-channel factors, so nothing else touches the full activation.
    // Computed here rather than in the closures: the engine runs each closure in its own tidy,
    // and these tensors serve all five; the backward pass's tidy disposes them.
    const gamma = scale ?? tf.onesLike(mean);
    const [dx, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x, scale: gamma, mean, variance }, { varianceEpsilon: eps }) as tf.Tensor[];
    const rsqrtVar = tf.rsqrt(tf.add(variance, eps));
    return {
      x: () => dx.clone(),
      mean: () => tf.neg(tf.mul(tf.mul(dOffset, rsqrtVar), gamma)),
      variance: () => tf.mul(tf.mul(tf.mul(dScale, gamma), tf.square(rsqrtVar)), -0.5),
      scale: () => dScale.clone(),
      offset: () => dOffset.clone(),
    };
  });
}

function installMeanGradient(): void {
  overrideGradient('Mean', (dy, [x], attrs) => {
    if (x.dtype !== 'float32') return undefined;
    // tfjs-core builds ones(x.shape) in JavaScript, uploads it and multiplies and divides at full
    // size (batch norm's moments take two such gradients per layer); dividing the reduced dy and
    // tiling it writes the full-size result once.
    const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const reps = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const count = axes.reduce((n, a) => n * x.shape[a], 1);
    return { x: () => tf.tile(tf.div(tf.reshape(dy, kept), count), reps) };
  });
}

let installed: string[] | undefined;

/** The gradients now computed by native kernels on the tensorflow backend (empty before it loads). */
export function tensorflowNativeGradients(): readonly string[] {
  return nativeEnabled ? (installed ?? []) : [];
}

/** Registers the native gradients once per process; a no-op when the tensorflow backend is absent. */
export function applyTensorflowGradients(): string[] {
  if (installed || !tf.findBackend('tensorflow')) return [];
  registerNativeKernels();
  installReluGradient();
  installBatchNormGradient();
  installMeanGradient();
  installed = ['Relu (ReluGrad)', 'FusedBatchNorm (FusedBatchNormGrad)', 'Mean (Tile)'];
  return installed;
}
