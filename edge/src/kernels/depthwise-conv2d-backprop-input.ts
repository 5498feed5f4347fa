import * as tf from '@tensorflow/tfjs-core';
import { assertFloat32, disposeInfos, heapF32, reshapeInfo, runWasmKernel, unsupported, type BackendWasm } from './wasm-util.ts';

const KERNEL = 'DepthwiseConv2dNativeBackpropInput';

/**
 * dx[b, i, j, c] = sum over m, kh, kw of dyUp[b, i + pT - kh*dH, j + pL - kw*dW, c*M + m] * W[kh, kw, c, m],
 * where dyUp is dy with (stride - 1) zeros between its pixels.
 *
 * That is a stride-1 depthwise convolution (multiplier 1) of dyUp, padded by (effective filter - 1 - pad),
 * with the spatially flipped filter, followed by a sum over the M channels that share an input channel.
 * XNNPACK runs the convolution. For stride 1 with ordinary padding dy is used in place; otherwise a
 * zero-inserted, padded copy of dy is built first (it costs memory, not time, next to the convolution).
 */
export function depthwiseConv2dBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { inputs, backend } = args;
  const attrs = (args.attrs ?? {}) as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const { dy, filter } = inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  assertFloat32(KERNEL, dy, filter);
  if (dy.shape.length !== 4 || filter.shape.length !== 4 || attrs.inputShape?.length !== 4) {
    unsupported(KERNEL, `dy of rank ${dy.shape.length}, filter of rank ${filter.shape.length} (rank 4 only)`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const { batchSize: b, inHeight: h, inWidth: w, inChannels: c, outChannels: cm, outHeight: oh, outWidth: ow } = info;
  const expectedDy = [b, oh, ow, cm];
  if (!tf.util.arraysEqual(dy.shape, expectedDy)) {
    unsupported(KERNEL, `dy of shape [${dy.shape}] for input [${attrs.inputShape}] (expected [${expectedDy}])`);
  }
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { effectiveFilterHeight: ekh, effectiveFilterWidth: ekw } = info;
  const m = cm / c;
  // Padding of the zero-inserted dy so that a valid correlation yields exactly h x w pixels.
  const pTop = ekh - 1 - info.padInfo.top;
  const pLeft = ekw - 1 - info.padInfo.left;
  const upH = (oh - 1) * sh + 1;
  const upW = (ow - 1) * sw + 1;
  const pBottom = h + ekh - 1 - pTop - upH;
  const pRight = w + ekw - 1 - pLeft - upW;

  // The flipped filter, as [kh, kw, c*M, 1]: the layout of [kh, kw, c, M] with (kh, kw) reversed.
  const flipped = backend.makeOutput([kh, kw, cm, 1], 'float32');
  let input: tf.TensorInfo;
  let pad: number[][];
  if (sh === 1 && sw === 1 && pTop >= 0 && pLeft >= 0 && pBottom >= 0 && pRight >= 0) {
    input = reshapeInfo(backend, dy, dy.shape);
    pad = [[0, 0], [pTop, pBottom], [pLeft, pRight], [0, 0]];
  } else {
    input = backend.makeOutput([b, h + ekh - 1, w + ekw - 1, cm], 'float32');
    pad = [[0, 0], [0, 0], [0, 0], [0, 0]];
  }
  // Views are taken after the last allocation above: a heap growth would detach them.
  const flippedVals = heapF32(backend, flipped);
  const filterVals = heapF32(backend, filter);
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) {
    flippedVals.set(filterVals.subarray(t * cm, (t + 1) * cm), (taps - 1 - t) * cm);
  }
  if (input.dataId !== dy.dataId) scatterUpsampled(heapF32(backend, dy), heapF32(backend, input), info, pTop, pLeft);

  let dxAll: tf.TensorInfo;
  try {
    dxAll = runWasmKernel('DepthwiseConv2dNative', backend, { x: input, filter: flipped }, {
      strides: [1, 1],
      dilations: [dh, dw],
      pad,
    });
  } finally {
    // Disposing the flipped filter also frees the XNNPACK operator cached for it.
    disposeInfos(backend, input, flipped);
  }
  if (m === 1) return dxAll;
  const grouped = reshapeInfo(backend, dxAll, [b, h, w, c, m]);
  try {
    return runWasmKernel('Sum', backend, { x: grouped }, { axis: [4], keepDims: false });
  } finally {
    disposeInfos(backend, grouped, dxAll);
  }
}

/**
 * Writes dy into the zero-initialised, zero-inserted and padded buffer `up` of shape
 * [b, h + ekh - 1, w + ekw - 1, cm]: dy[b, y, x] lands at row y*sh + pTop, column x*sw + pLeft, and
 * pixels that fall outside (a negative pad crops them) are the ones no input pixel reads.
 */
function scatterUpsampled(
  dyVals: Float32Array,
  up: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  pTop: number,
  pLeft: number,
): void {
  up.fill(0);
  const { batchSize: b, outHeight: oh, outWidth: ow, outChannels: cm, strideHeight: sh, strideWidth: sw } = info;
  const upH = info.inHeight + info.effectiveFilterHeight - 1;
  const upW = info.inWidth + info.effectiveFilterWidth - 1;
  for (let bi = 0; bi < b; bi++) {
    for (let y = 0; y < oh; y++) {
      const row = y * sh + pTop;
      if (row < 0 || row >= upH) continue;
      for (let x = 0; x < ow; x++) {
        const col = x * sw + pLeft;
        if (col < 0 || col >= upW) continue;
        const src = ((bi * oh + y) * ow + x) * cm;
        up.set(dyVals.subarray(src, src + cm), ((bi * upH + row) * upW + col) * cm);
      }
    }
  }
}

export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput as unknown as tf.KernelFunc,
};
