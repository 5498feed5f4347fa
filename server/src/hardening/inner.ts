import * as tf from '@tensorflow/tfjs-core';
import { ballBounds, project } from '@temper/edge/attacks';
import type { Rng } from '@temper/edge';

/**
 * The inner maximizations of adversarial training, as the reference code runs them: signed-gradient
 * ascent on a batch objective (the gradient of the batch sum, so in batch-norm training mode the
 * samples interact exactly as they do in the authors' code), projected onto the eps-ball and [0,1].
 */

export type StartKind =
  /** x + U(-eps, eps), clipped to the box (Madry, ARD, Fast AT). */
  | 'uniform'
  /** x + 0.001 N(0, 1), not clipped before the first step (TRADES, RSLAD). */
  | 'normal'
  | 'none';

export interface InnerMaxOptions {
  readonly eps: number;
  readonly steps: number;
  readonly stepSize: number;
  readonly start: StartKind;
  readonly rng: Rng;
}

/** The start point of an inner maximization (no gradient tracking). */
export function startPoint(x: tf.Tensor4D, eps: number, start: StartKind, rng: Rng): tf.Tensor4D {
  return tf.tidy(() => {
    switch (start) {
      case 'uniform': {
        const { lo, hi } = ballBounds(x, eps);
        return project(tf.add(x, tf.randomUniform(x.shape, -eps, eps, 'float32', rng.seedForTf())) as tf.Tensor4D, lo, hi);
      }
      case 'normal':
        return tf.add(x, tf.mul(0.001, tf.randomNormal(x.shape, 0, 1, 'float32', rng.seedForTf()))) as tf.Tensor4D;
      case 'none':
        return tf.clone(x);
    }
  });
}

/**
 * `steps` iterations of x' = clip01(proj_eps(x' + a * sign(grad_x' objective(x')))). The objective
 * returns the scalar to maximize (a batch sum or mean: only its sign of gradient matters).
 */
export function signedAscent(x: tf.Tensor4D, objective: (xAdv: tf.Tensor4D) => tf.Scalar, o: InnerMaxOptions): tf.Tensor4D {
  const { lo, hi } = ballBounds(x, o.eps);
  let xAdv = startPoint(x, o.eps, o.start, o.rng);
  try {
    for (let s = 0; s < o.steps; s++) {
      const next = tf.tidy(() => {
        const g = tf.grad((xi: tf.Tensor) => objective(xi as tf.Tensor4D))(xAdv);
        return project(tf.add(xAdv, tf.mul(o.stepSize, tf.sign(g))) as tf.Tensor4D, lo, hi);
      });
      xAdv.dispose();
      xAdv = next;
    }
    if (o.steps === 0 && o.start === 'normal') {
      const clipped = project(xAdv, lo, hi);
      xAdv.dispose();
      xAdv = clipped;
    }
    return xAdv;
  } catch (e) {
    xAdv.dispose();
    throw e;
  } finally {
    lo.dispose();
    hi.dispose();
  }
}
