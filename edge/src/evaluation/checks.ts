import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyLoss, dlrLoss } from '../attacks/losses.ts';
import { classifierObjective, lossAndGrad } from '../attacks/tensors.ts';
import type { AttackKind } from '../attacks/types.ts';
import { logits, type Classifier } from '../models/classifier.ts';
import { FLAG_CATALOGUE } from './flag-catalogue.ts';
import { FlagCodes, type EvaluationFlag } from './report.ts';

/**
 * AutoAttack's sanity checks (autoattack/checks.py) on one batch, and the flags Temper derives from an
 * evaluation. Each check returns numbers; the flag functions decide, so that both can be tested alone.
 */

/** check_randomized: the same batch twice; AutoAttack compares L2-normalized outputs with alpha 1e-4. */
export async function checkRandomizedForward(c: Classifier, x: tf.Tensor4D, repeats = 2): Promise<{ maxNormalizedDiff: number; predictionsDiffer: boolean }> {
  const outs: Float32Array[] = [];
  for (let r = 0; r < repeats; r++) {
    const z = tf.tidy(() => {
      const out = logits(c, x, false);
      return tf.div(out, tf.add(tf.norm(out, 'euclidean', 1, true), 1e-10));
    });
    outs.push((await z.data()) as Float32Array);
    z.dispose();
  }
  const n = x.shape[0];
  const C = c.numClasses;
  let maxDiff = 0;
  let predictionsDiffer = false;
  for (let a = 0; a < repeats; a++) {
    for (let b = a + 1; b < repeats; b++) {
      for (let i = 0; i < n; i++) {
        let d = 0;
        let pa = 0;
        let pb = 0;
        for (let k = 0; k < C; k++) {
          const va = outs[a][i * C + k];
          const vb = outs[b][i * C + k];
          d += (va - vb) ** 2;
          if (va > outs[a][i * C + pa]) pa = k;
          if (vb > outs[b][i * C + pb]) pb = k;
        }
        maxDiff = Math.max(maxDiff, Math.sqrt(d));
        if (pa !== pb) predictionsDiffer = true;
      }
    }
  }
  return { maxNormalizedDiff: maxDiff, predictionsDiffer };
}

/** check_range_output: max < 1 + 1e-5, min > -1e-5 and every row sums to 1 within 1e-5. */
export async function checkOutputRange(c: Classifier, x: tf.Tensor4D, alpha = 1e-5): Promise<{ min: number; max: number; maxRowSumError: number; looksLikeProbabilities: boolean }> {
  const stats = tf.tidy(() => {
    const z = logits(c, x, false);
    return tf.stack([tf.min(z), tf.max(z), tf.max(tf.abs(tf.sub(tf.sum(z, 1), 1)))]);
  });
  const [min, max, maxRowSumError] = await stats.data();
  stats.dispose();
  return { min, max, maxRowSumError, looksLikeProbabilities: max < 1 + alpha && min > -alpha && maxRowSumError < alpha };
}

/**
 * check_zero_gradients: AutoAttack checks the DLR gradient at the start of its DLR runs; here it is taken
 * at the clean points (DLR when the model has >= 3 classes, else CE) and counts the samples whose
 * gradient is exactly zero everywhere.
 */
export async function checkZeroGradients(c: Classifier, x: tf.Tensor4D, y: tf.Tensor1D): Promise<{ loss: 'dlr' | 'ce'; checked: number; zero: number }> {
  const loss = c.numClasses >= 3 ? 'dlr' : 'ce';
  const n = x.shape[0];
  if (n === 0) return { loss, checked: 0, zero: 0 };
  const sums = tf.tidy(() => {
    const { grad } = lossAndGrad(classifierObjective(c, (z) => (loss === 'dlr' ? dlrLoss(z, y) : crossEntropyLoss(z, y))), x);
    return tf.sum(tf.abs(tf.reshape(grad, [n, -1])), 1);
  });
  const data = await sums.data();
  sums.dispose();
  let zero = 0;
  for (let i = 0; i < n; i++) if (data[i] === 0) zero++;
  return { loss, checked: n, zero };
}

export function randomizedForwardFlag(r: { maxNormalizedDiff: number; predictionsDiffer: boolean }, alpha = 1e-4): EvaluationFlag | undefined {
  if (!r.predictionsDiffer && !(r.maxNormalizedDiff > alpha)) return undefined;
  return {
    code: FlagCodes.RANDOMIZED_FORWARD,
    message: `Two forward passes of the same inputs differ (max normalized difference ${r.maxNormalizedDiff.toExponential(2)}${r.predictionsDiffer ? ', predictions change' : ''}): the model looks randomized, and attacks need expectation over transformation (AutoAttack's "rand" version).`,
    details: { maxNormalizedDiff: r.maxNormalizedDiff, predictionsDiffer: r.predictionsDiffer, alpha },
  };
}

export function probabilityOutputsFlag(r: { min: number; max: number; maxRowSumError: number; looksLikeProbabilities: boolean }): EvaluationFlag | undefined {
  if (!r.looksLikeProbabilities) return undefined;
  return {
    code: FlagCodes.PROBABILITY_OUTPUTS,
    message: 'The model outputs look like probabilities (non-negative rows summing to 1), not logits: CE and DLR attacks lose their gradient signal through a softmax; evaluate the logits.',
    details: { min: r.min, max: r.max, maxRowSumError: r.maxRowSumError },
  };
}

export function zeroGradientsFlag(r: { loss: string; checked: number; zero: number }): EvaluationFlag | undefined {
  if (r.zero === 0) return undefined;
  return {
    code: FlagCodes.ZERO_GRADIENTS,
    message: `${r.zero} of ${r.checked} points have an all-zero input gradient (${r.loss} loss): gradient-based attacks cannot move there, so their robustness may be overestimated.`,
    details: { loss: r.loss, checked: r.checked, zero: r.zero },
  };
}

/**
 * check_square_sr generalized: black-box and transfer attacks that run after a white-box attack and still
 * take more than alpha (AutoAttack: 0.002) of the points mean the gradients mislead the white-box attacks.
 */
export function maskedGradientsFlag(
  eps: number,
  stages: readonly { attack: string; kind: AttackKind; took: number }[],
  numExamples: number,
  alpha = 0.002,
): EvaluationFlag | undefined {
  let whiteBoxSeen = false;
  const culprits: { attack: string; took: number }[] = [];
  for (const s of stages) {
    if (s.kind === 'white-box') whiteBoxSeen = true;
    else if (whiteBoxSeen && s.took > 0) culprits.push({ attack: s.attack, took: s.took });
  }
  const took = culprits.reduce((a, c) => a + c.took, 0);
  if (numExamples === 0 || took / numExamples <= alpha) return undefined;
  return {
    code: FlagCodes.MASKED_GRADIENTS,
    eps,
    message: `At eps ${eps}, ${culprits.map((c) => `${c.attack} fooled ${c.took}`).join(', ')} point(s) that the white-box attacks before it could not (${((100 * took) / numExamples).toFixed(2)}% of the examples): the gradients look masked, and the white-box numbers alone would overestimate robustness.`,
    details: { culprits, fraction: took / numExamples, alpha },
  };
}

export function fgsmBelowPgdFlag(eps: number, fgsmRobust: number, pgdRobust: number): EvaluationFlag | undefined {
  if (!(fgsmRobust < pgdRobust)) return undefined;
  return {
    code: FlagCodes.FGSM_BELOW_PGD,
    eps,
    message: `At eps ${eps} FGSM leaves ${(100 * fgsmRobust).toFixed(2)}% robust but PGD ${(100 * pgdRobust).toFixed(2)}%: a single step beating many steps means the iterative attack is being misled (gradient masking or a bad step size).`,
    details: { fgsmRobustAccuracy: fgsmRobust, pgdRobustAccuracy: pgdRobust },
  };
}

/** Points robust at a larger eps although fooled at a smaller one (the smaller ball lies inside the larger). */
export function nonMonotoneFlag(curve: readonly { eps: number; robust: ArrayLike<number> }[]): EvaluationFlag | undefined {
  const sorted = [...curve].sort((a, b) => a.eps - b.eps);
  const pairs: { from: number; to: number; points: number }[] = [];
  for (let j = 1; j < sorted.length; j++) {
    let points = 0;
    for (let i = 0; i < sorted[j].robust.length; i++) if (sorted[j].robust[i] && !sorted[j - 1].robust[i]) points++;
    if (points > 0) pairs.push({ from: sorted[j - 1].eps, to: sorted[j].eps, points });
  }
  if (pairs.length === 0) return undefined;
  return {
    code: FlagCodes.NON_MONOTONE_EPS_CURVE,
    message: `Some points were fooled at a smaller eps but survived a larger one (${pairs.map((p) => `${p.points} between ${p.from} and ${p.to}`).join('; ')}): the attacks are not finding the worst case everywhere.`,
    details: { pairs },
  };
}

/** Clean accuracy at most `factor` times chance (1 / numClasses) raises CLEAN_NEAR_CHANCE. */
export function cleanNearChanceFlag(cleanAccuracy: number, numClasses: number, numExamples: number, factor = 2): EvaluationFlag | undefined {
  const chance = 1 / Math.max(numClasses, 1);
  if (numExamples === 0 || cleanAccuracy > factor * chance) return undefined;
  return {
    code: FlagCodes.CLEAN_NEAR_CHANCE,
    message: `Clean accuracy is ${(100 * cleanAccuracy).toFixed(1)}%, at most ${factor}x chance (${(100 * chance).toFixed(1)}% for ${numClasses} classes): the model barely classifies this dataset, so its robustness numbers mean little.`,
    hint: FLAG_CATALOGUE.CLEAN_NEAR_CHANCE.hint,
    details: { cleanAccuracy, chance, factor, numExamples },
  };
}

/** Counts NaN and infinite values over the model's weights (one read per weight tensor). */
export async function checkFiniteWeights(c: Classifier): Promise<{ weights: number; nonFinite: number; tensors: string[] }> {
  let weights = 0;
  let nonFinite = 0;
  const tensors: string[] = [];
  for (const w of c.model.weights) {
    const data = await w.read().data();
    weights += data.length;
    let bad = 0;
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) bad++;
    if (bad > 0) {
      nonFinite += bad;
      tensors.push(w.name);
    }
  }
  return { weights, nonFinite, tensors };
}

export function nonFiniteWeightsFlag(r: { weights: number; nonFinite: number; tensors: readonly string[] }): EvaluationFlag | undefined {
  if (r.nonFinite === 0) return undefined;
  return {
    code: FlagCodes.NONFINITE_WEIGHTS,
    message: `${r.nonFinite} of the model's ${r.weights} weights are NaN or infinite (in ${r.tensors.slice(0, 5).join(', ')}${r.tensors.length > 5 ? ', ...' : ''}): its outputs, and every attack on it, are unreliable.`,
    hint: FLAG_CATALOGUE.NONFINITE_WEIGHTS.hint,
    details: { weights: r.weights, nonFinite: r.nonFinite, tensors: [...r.tensors] },
  };
}
