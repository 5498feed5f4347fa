import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
// Fills tfjs' gradient registry, as it is whenever a Classifier (a LayersModel) exists.
import '@tensorflow/tfjs-layers';
import { crossEntropyLoss, crossEntropyTargetedLoss, cwLoss, cwTargetedLoss, dlrLoss, dlrTargetedLoss, logCrossEntropyLoss, marginsFromLogits } from './losses.ts';

const Z = [
  [2.0, 5.0, 1.0, -1.0, 0.5], // y = 1 is the arg-max
  [3.0, 0.0, 4.0, 1.0, 2.5], // y = 0 is second
];
const Y = [1, 0];

/** The formulas of autopgd_base.py, in plain JS on sorted rows. */
function reference(row: number[], y: number, t: number) {
  const s = [...row].sort((a, b) => b - a);
  const top1 = row.indexOf(Math.max(...row));
  const other = top1 === y ? s[1] : s[0];
  const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
  const maxOther = Math.max(...row.filter((_, k) => k !== y));
  const maxOtherT = Math.max(...row.filter((_, k) => k !== t));
  return {
    ce: lse - row[y],
    ceT: row[t] - lse,
    dlr: -(row[y] - other) / (s[0] - s[2] + 1e-12),
    dlrT: -(row[y] - row[t]) / (s[0] - 0.5 * (s[2] + s[3]) + 1e-12),
    cw: maxOther - row[y],
    cwT: row[t] - maxOtherT,
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('attack losses', () => {
  it('match the reference formulas', () => {
    const T = [3, 4];
    const z = tf.tensor2d(Z);
    const y = tf.tensor1d(Y, 'int32');
    const t = tf.tensor1d(T, 'int32');
    const got = {
      ce: crossEntropyLoss(z, y).arraySync(),
      ceT: crossEntropyTargetedLoss(z, t).arraySync(),
      dlr: dlrLoss(z, y).arraySync(),
      dlrT: dlrTargetedLoss(z, y, t).arraySync(),
      cw: cwLoss(z, y).arraySync(),
      cwT: cwTargetedLoss(z, t).arraySync(),
    };
    for (let i = 0; i < 2; i++) {
      const ref = reference(Z[i], Y[i], T[i]);
      for (const k of Object.keys(ref) as (keyof typeof ref)[]) expect(got[k][i]).toBeCloseTo(ref[k], 5);
    }
    tf.dispose([z, y, t]);
  });

  it('have gradients that match finite differences', () => {
    const z0 = [0.3, 1.2, -0.4, 0.9, 0.1];
    const y = tf.tensor1d([1], 'int32');
    const t = tf.tensor1d([3], 'int32');
    const fns: ((z: tf.Tensor2D) => tf.Tensor1D)[] = [
      (z) => crossEntropyLoss(z, y),
      (z) => dlrLoss(z, y),
      (z) => dlrTargetedLoss(z, y, t),
      (z) => cwLoss(z, y),
      (z) => logCrossEntropyLoss(z, y),
    ];
    for (const f of fns) {
      const g = tf.grad((z: tf.Tensor) => tf.sum(f(z as tf.Tensor2D)))(tf.tensor2d([z0])).arraySync() as number[][];
      for (let k = 0; k < 5; k++) {
        const h = 1e-2;
        const up = [...z0];
        const dn = [...z0];
        up[k] += h;
        dn[k] -= h;
        const fd = (f(tf.tensor2d([up])).arraySync()[0] - f(tf.tensor2d([dn])).arraySync()[0]) / (2 * h);
        expect(g[0][k]).toBeCloseTo(fd, 2);
      }
    }
  });

  it('cross-entropy keeps its value on saturated logits, where logSoftmax rounds it to 0', () => {
    // Margins 30 and 60 (a softmax model trained to very high confidence): CE = log(1 + sum e^-m).
    const z = tf.tensor2d([
      [0, 30, -5, 1, 2],
      [60, 0, -3, 1, -2],
    ]);
    const y = tf.tensor1d([1, 0], 'int32');
    const naive = tf.neg(tf.sum(tf.mul(tf.oneHot(y, 5), tf.logSoftmax(z)), 1)).arraySync() as number[];
    expect(naive.map(Math.abs)).toEqual([0, 0]);
    const ce = crossEntropyLoss(z, y).arraySync();
    const ref = [Math.exp(-28) + Math.exp(-29) + Math.exp(-30) + Math.exp(-35), Math.exp(-59) + Math.exp(-60) + Math.exp(-62) + Math.exp(-63)];
    for (let i = 0; i < 2; i++) expect(Math.abs(ce[i] - ref[i]) / ref[i]).toBeLessThan(1e-5);
    tf.dispose([z, y]);
  });

  it('log cross-entropy has an O(1) gradient at margins where CE and its gradient underflow to 0', () => {
    const z0 = [0, 200, -5, 1, 2];
    const y = tf.tensor1d([1], 'int32');
    const z = tf.tensor2d([z0]);
    const gCe = tf.grad((zi: tf.Tensor) => tf.sum(crossEntropyLoss(zi as tf.Tensor2D, y)))(z).arraySync() as number[][];
    expect(gCe[0].every((v) => v === 0)).toBe(true);
    const logCe = logCrossEntropyLoss(z, y).arraySync()[0];
    // log CE ~ t = log sum_{k != y} e^{z_k - z_y}
    const t = Math.log(z0.reduce((a, v, k) => (k === 1 ? a : a + Math.exp(v - 200)), 0));
    expect(logCe).toBeCloseTo(t, 4);
    const g = (tf.grad((zi: tf.Tensor) => tf.sum(logCrossEntropyLoss(zi as tf.Tensor2D, y)))(z).arraySync() as number[][])[0];
    expect(g[1]).toBeCloseTo(-1, 5);
    expect(g[4]).toBeGreaterThan(0.5);
    expect(g.every(Number.isFinite)).toBe(true);
    tf.dispose([z, y]);
  });

  it('Square margins on the CPU', () => {
    const m = marginsFromLogits(Float32Array.from(Z.flat()), Y, 5);
    expect(m[0]).toBeCloseTo(3.0, 6);
    expect(m[1]).toBeCloseTo(-1.0, 6);
  });
});
