import { imageSize, type ImageDataset } from '../data/dataset.ts';
import { AttackConfigError, ErrorCodes } from '../errors.ts';
import type { Classifier } from '../models/classifier.ts';

/**
 * Exact L-infinity robustness of a linear classifier z = W x + b over the eps-ball ∩ [0,1]
 * (docs/methods.md, "Exact oracle for tests"). The worst case separates per input coordinate: for each wrong
 * class k the smallest reachable margin is
 *   (w_y - w_k).x + b_y - b_k + sum_i min(d_i lo_i, d_i hi_i),  d = w_y - w_k,
 *   lo_i = max(-eps, -x_i), hi_i = min(eps, 1 - x_i),
 * and a point is robust iff every such margin is > 0. Computed in float64: it is the ground truth an
 * attack's float32 robust accuracy is compared against.
 */

/** z_k = sum_i x_i kernel[i * C + k] + bias[k], on flattened NHWC [0,1] images. */
export interface LinearModel {
  readonly kernel: Float64Array;
  readonly bias: Float64Array;
  readonly inputSize: number;
  readonly numClasses: number;
}

export interface LinearOracleResult {
  readonly eps: number;
  readonly count: number;
  /** 1 where every wrong-class margin is > 0 at x itself. */
  readonly clean: Uint8Array;
  /** 1 where every wrong-class margin stays > 0 over the whole ball ∩ box. */
  readonly robust: Uint8Array;
  /** The smallest worst-case margin over wrong classes (robust iff > 0). */
  readonly minMargin: Float64Array;
  readonly cleanAccuracy: number;
  readonly robustAccuracy: number;
}

function notLinear(why: string): AttackConfigError {
  return new AttackConfigError(ErrorCodes.ATTACK_INVALID_CONFIG, `The linear oracle needs a model z = W x + b: ${why}`);
}

/**
 * The (W, b) of a classifier whose layers are only reshapes (input, flatten, reshape) around one dense
 * layer with linear activation, with its input preprocessing folded in, so that z is linear in the
 * [0,1] image.
 */
export function linearModelOf(c: Classifier): LinearModel {
  const [h, w, ch] = c.inputShape;
  const d = h * w * ch;
  let dense: { kernel: Float32Array; bias: Float32Array | null } | undefined;
  for (const layer of c.model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || cls === 'Flatten' || cls === 'Reshape') continue;
    if (cls !== 'Dense') throw notLinear(`layer "${layer.name}" is a ${cls}`);
    if (dense) throw notLinear('more than one dense layer');
    const config = layer.getConfig() as { activation?: string };
    if (config.activation && config.activation !== 'linear') throw notLinear(`dense layer "${layer.name}" has activation ${config.activation}`);
    const weights = layer.getWeights();
    dense = { kernel: weights[0].dataSync() as Float32Array, bias: weights[1] ? (weights[1].dataSync() as Float32Array) : null };
  }
  if (!dense) throw notLinear('no dense layer');
  const C = c.numClasses;
  if (dense.kernel.length !== d * C) throw notLinear(`kernel has ${dense.kernel.length} weights, expected ${d} x ${C}`);
  const kernel = Float64Array.from(dense.kernel);
  const bias = dense.bias ? Float64Array.from(dense.bias) : new Float64Array(C);
  const p = c.preprocessing;
  if (p.kind === 'byte') {
    for (let i = 0; i < kernel.length; i++) kernel[i] *= 255;
  } else if (p.kind === 'meanStd') {
    // z = W ((x - m) / s) + b = (W / s) x + (b - W m / s), per channel (NHWC: pixel i has channel i % ch).
    for (let i = 0; i < d; i++) {
      const cc = p.mean.length === 1 ? 0 : i % ch;
      const m = p.mean[cc];
      const s = p.std[cc];
      for (let k = 0; k < C; k++) {
        kernel[i * C + k] /= s;
        bias[k] -= kernel[i * C + k] * m;
      }
    }
  }
  return { kernel, bias, inputSize: d, numClasses: C };
}

/** Exact robustness of each dataset row (or of the given rows, in order) at radius eps. */
export function linearRobustness(model: LinearModel, ds: ImageDataset, eps: number, indices?: ArrayLike<number>): LinearOracleResult {
  const d = imageSize(ds);
  if (d !== model.inputSize) throw notLinear(`the model takes ${model.inputSize} inputs, the dataset has ${d} per image`);
  if (!(eps >= 0 && eps <= 1)) throw new AttackConfigError(ErrorCodes.ATTACK_INVALID_CONFIG, `eps must be in [0, 1], got ${eps}`);
  const C = model.numClasses;
  const W = model.kernel;
  const rows = indices ? Array.from(indices) : Array.from({ length: ds.count }, (_, i) => i);
  const n = rows.length;
  const clean = new Uint8Array(n);
  const robust = new Uint8Array(n);
  const minMargin = new Float64Array(n);
  const cleanM = new Float64Array(C);
  const worst = new Float64Array(C);
  for (let j = 0; j < n; j++) {
    const row = rows[j];
    const y = ds.labels[row];
    const x = ds.images.subarray(row * d, (row + 1) * d);
    for (let k = 0; k < C; k++) {
      cleanM[k] = model.bias[y] - model.bias[k];
      worst[k] = cleanM[k];
    }
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      const lo = Math.max(-eps, -xi);
      const hi = Math.min(eps, 1 - xi);
      const wy = W[i * C + y];
      for (let k = 0; k < C; k++) {
        const di = wy - W[i * C + k];
        cleanM[k] += di * xi;
        worst[k] += di * xi + Math.min(di * lo, di * hi);
      }
    }
    let minClean = Infinity;
    let minWorst = Infinity;
    for (let k = 0; k < C; k++) {
      if (k === y) continue;
      minClean = Math.min(minClean, cleanM[k]);
      minWorst = Math.min(minWorst, worst[k]);
    }
    clean[j] = minClean > 0 ? 1 : 0;
    robust[j] = minWorst > 0 ? 1 : 0;
    minMargin[j] = minWorst;
  }
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  return {
    eps,
    count: n,
    clean,
    robust,
    minMargin,
    cleanAccuracy: n === 0 ? 0 : sum(clean) / n,
    robustAccuracy: n === 0 ? 0 : sum(robust) / n,
  };
}
