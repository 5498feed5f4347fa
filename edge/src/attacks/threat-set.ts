import * as tf from '@tensorflow/tfjs-core';

/**
 * The invariant every attack must keep: |x_adv - x|_inf <= eps and x_adv in [0,1]. The driver checks
 * each batch an attack returns; tests check each result's images again on the CPU.
 */

/** Float32 slack: x + eps is rounded once in float32 before the difference is taken. */
export const THREAT_SET_TOLERANCE = 1e-6;

export interface ThreatSetCheck {
  readonly ok: boolean;
  readonly maxPerturbation: number;
  readonly min: number;
  readonly max: number;
  readonly message: string;
}

function verdict(maxPerturbation: number, min: number, max: number, eps: number, tol: number): ThreatSetCheck {
  const problems: string[] = [];
  // Written as negations so that NaN fails.
  if (!(maxPerturbation <= eps + tol)) problems.push(`max |x_adv - x| = ${maxPerturbation} > eps = ${eps}`);
  if (!(min >= 0)) problems.push(`min x_adv = ${min} < 0`);
  if (!(max <= 1)) problems.push(`max x_adv = ${max} > 1`);
  return { ok: problems.length === 0, maxPerturbation, min, max, message: problems.join('; ') };
}

/** On the device: one small reduction, one read-back. */
export async function checkThreatSet(x: tf.Tensor, xAdv: tf.Tensor, eps: number, tol = THREAT_SET_TOLERANCE): Promise<ThreatSetCheck> {
  if (xAdv.size === 0) return verdict(0, 0, 0, eps, tol);
  if (x.shape.join(',') !== xAdv.shape.join(',')) {
    return { ok: false, maxPerturbation: NaN, min: NaN, max: NaN, message: `shape ${xAdv.shape} differs from the input's ${x.shape}` };
  }
  const stats = tf.tidy(() => tf.stack([tf.max(tf.abs(tf.sub(xAdv, x))), tf.min(xAdv), tf.max(xAdv)]));
  const [d, lo, hi] = await stats.data();
  stats.dispose();
  return verdict(d, lo, hi, eps, tol);
}

/** On the CPU, for result arrays (NHWC rows). NaN anywhere fails. */
export function checkThreatSetArrays(x: ArrayLike<number>, xAdv: ArrayLike<number>, eps: number, tol = THREAT_SET_TOLERANCE): ThreatSetCheck {
  if (x.length !== xAdv.length) {
    return { ok: false, maxPerturbation: NaN, min: NaN, max: NaN, message: `length ${xAdv.length} differs from the input's ${x.length}` };
  }
  if (x.length === 0) return verdict(0, 0, 0, eps, tol);
  let d = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let nan = false;
  for (let i = 0; i < x.length; i++) {
    const v = xAdv[i];
    const diff = Math.abs(v - x[i]);
    if (Number.isNaN(diff)) nan = true;
    if (diff > d) d = diff;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return nan ? verdict(NaN, NaN, NaN, eps, tol) : verdict(d, lo, hi, eps, tol);
}
