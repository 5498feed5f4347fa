import * as tf from '@tensorflow/tfjs-core';
import { assertFloat32, disposeInfos, heapF32, reshapeInfo, runWasmKernel, unsupported, type BackendWasm } from './wasm-util.ts';

const KERNEL = 'DepthwiseConv2dNativeBackpropFilter';

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs?: tf.NamedAttrMap };

/**
 * Above this many output pixels per image the XNNPACK formulation below (whose "filter" has one tap
 * per output pixel) falls behind a plain loop: measured at batch 128, 14x14 (196 taps) XNNPACK
 * 25 ms vs loop 32 ms, 7x7 6 vs 11 ms, but 28x28 (784 taps) 140 vs 55-75 ms.
 */
const MAX_XNNPACK_TAPS = 400;

/**
 * dW[kh, kw, c, m] = sum over b, oh, ow of xPadded[b, oh*sH + kh*dH, ow*sW + kw*dW, c] * dy[b, oh, ow, c*M + m].
 *
 * Dilations are honoured (tfjs' gradients refuse them, and the cpu kernel ignores them).
 */
export function depthwiseConv2dBackpropFilter(args: Args): tf.TensorInfo {
  const { x, dy, info } = parse(args);
  return info.outHeight * info.outWidth <= MAX_XNNPACK_TAPS
    ? viaXnnpack(args.backend, x, dy, info)
    : viaLoop(args.backend, x, dy, info);
}

/** The XNNPACK formulation regardless of size (exported for tests and benchmarks). */
export function depthwiseConv2dBackpropFilterXnnpack(args: Args): tf.TensorInfo {
  const { x, dy, info } = parse(args);
  return viaXnnpack(args.backend, x, dy, info);
}

/** The loop formulation regardless of size (exported for tests and benchmarks). */
export function depthwiseConv2dBackpropFilterLoop(args: Args): tf.TensorInfo {
  const { x, dy, info } = parse(args);
  return viaLoop(args.backend, x, dy, info);
}

function parse(args: Args): { x: tf.TensorInfo; dy: tf.TensorInfo; info: tf.backend_util.Conv2DInfo } {
  const attrs = (args.attrs ?? {}) as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const { x, dy } = args.inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
  assertFloat32(KERNEL, x, dy);
  if (x.shape.length !== 4 || dy.shape.length !== 4) {
    unsupported(KERNEL, `x of rank ${x.shape.length} and dy of rank ${dy.shape.length} (rank 4 only)`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const expectedDy = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (!tf.util.arraysEqual(dy.shape, expectedDy)) {
    unsupported(KERNEL, `dy of shape [${dy.shape}] for x [${x.shape}] (expected [${expectedDy}])`);
  }
  return { x, dy, info };
}

/**
 * With every (b, c) pair as its own channel, dW is a depthwise convolution of xT[1, h, w, b*C + c]
 * with the "filter" dyT[oh, ow, b*C + c, m], whose taps are spaced by the original stride and whose
 * output pixels are spaced by the original dilation. XNNPACK runs it; the remaining sum over b is a
 * short loop over the [KH, KW, B*C*M] result.
 */
function viaXnnpack(backend: BackendWasm, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: b, inChannels: c, outChannels: cm, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  // Pad only as far as the last tap reads (see conv2d-backprop-filter.ts).
  const bottom = Math.max(0, (kh - 1) * dh + (oh - 1) * sh + 1 - top - info.inHeight);
  const right = Math.max(0, (kw - 1) * dw + (ow - 1) * sw + 1 - left - info.inWidth);

  const xT = runWasmKernel('Transpose', backend, { x }, { perm: [1, 2, 0, 3] });
  const dyT = runWasmKernel('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const xIn = reshapeInfo(backend, xT, [1, info.inHeight, info.inWidth, b * c]);
  const dyFilter = reshapeInfo(backend, dyT, [oh, ow, b * c, cm / c]);
  let corr: tf.TensorInfo;
  try {
    corr = runWasmKernel('DepthwiseConv2dNative', backend, { x: xIn, filter: dyFilter }, {
      strides: [dh, dw],
      dilations: [sh, sw],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    });
  } finally {
    // The last reference to dyT also frees the XNNPACK operator cached for it as a filter.
    disposeInfos(backend, xIn, dyFilter, xT, dyT);
  }

  const out = backend.makeOutput([kh, kw, c, cm / c], 'float32');
  const outVals = heapF32(backend, out);
  const corrVals = heapF32(backend, corr);
  const rw = corr.shape[2];
  const acc = new Float64Array(cm);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      acc.fill(0);
      const base = (i * rw + j) * b * cm;
      for (let bi = 0; bi < b; bi++) {
        const off = base + bi * cm;
        for (let k = 0; k < cm; k++) acc[k] += corrVals[off + k];
      }
      outVals.set(acc, (i * kw + j) * cm);
    }
  }
  disposeInfos(backend, corr);
  return out;
}

/** The definition as a loop over the wasm heap, accumulating in float64. */
function viaLoop(backend: BackendWasm, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: b, inHeight: h, inWidth: w, inChannels: c, outChannels: cm, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const m = cm / c;
  const out = backend.makeOutput([kh, kw, c, m], 'float32');
  const xVals = heapF32(backend, x);
  const dyVals = heapF32(backend, dy);
  const acc = new Float64Array(kh * kw * cm);
  for (let bi = 0; bi < b; bi++) {
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        const dyOff = ((bi * oh + y) * ow + z) * cm;
        for (let i = 0; i < kh; i++) {
          const row = y * sh + i * dh - top;
          if (row < 0 || row >= h) continue;
          for (let j = 0; j < kw; j++) {
            const col = z * sw + j * dw - left;
            if (col < 0 || col >= w) continue;
            const xOff = ((bi * h + row) * w + col) * c;
            const accOff = (i * kw + j) * cm;
            if (m === 1) {
              for (let k = 0; k < c; k++) acc[accOff + k] += xVals[xOff + k] * dyVals[dyOff + k];
            } else {
              for (let k = 0; k < c; k++) {
                const xv = xVals[xOff + k];
                for (let q = 0; q < m; q++) acc[accOff + k * m + q] += xv * dyVals[dyOff + k * m + q];
              }
            }
          }
        }
      }
    }
  }
  heapF32(backend, out).set(acc);
  return out;
}

export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter as unknown as tf.KernelFunc,
};
