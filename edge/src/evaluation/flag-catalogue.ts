import { FlagCodes, type FlagCode } from './report.ts';

/**
 * What every evaluation flag means, for documentation, the API and the web app: one sentence each, the
 * origin (AutoAttack's checks.py or Temper's own), and whether it questions the attacks' numbers
 * ('attack-reliability': the robust accuracy may be overestimated) or the model or data themselves
 * ('setup': the evaluation ran on something that is probably not what the user meant).
 * Every flag is a warning: the numbers are still reported, with the flag beside them.
 */
export interface FlagDescription {
  readonly code: FlagCode;
  readonly kind: 'attack-reliability' | 'setup';
  readonly origin: 'autoattack' | 'temper';
  readonly meaning: string;
  readonly hint: string;
}

export const FLAG_CATALOGUE: Readonly<Record<FlagCode, FlagDescription>> = Object.freeze({
  MASKED_GRADIENTS: {
    code: FlagCodes.MASKED_GRADIENTS,
    kind: 'attack-reliability',
    origin: 'autoattack',
    meaning: 'A black-box or transfer attack fooled points that the white-box attacks before it could not (more than 0.2% of the examples), so the model\'s gradients mislead gradient attacks.',
    hint: 'Look for non-differentiable or saturating layers (argmax, rounding, quantization, clipped activations) and trust the worst case over all attacks, not the white-box numbers.',
  },
  PROBABILITY_OUTPUTS: {
    code: FlagCodes.PROBABILITY_OUTPUTS,
    kind: 'attack-reliability',
    origin: 'autoattack',
    meaning: 'The attacked outputs are non-negative and sum to 1, so they look like probabilities rather than logits, and CE and DLR losses lose their signal through the softmax.',
    hint: 'Remove the final softmax (Temper removes a final softmax layer or activation it recognizes; a softmax inside a custom layer it cannot see).',
  },
  ZERO_GRADIENTS: {
    code: FlagCodes.ZERO_GRADIENTS,
    kind: 'attack-reliability',
    origin: 'autoattack',
    meaning: 'Some inputs have an input gradient that is exactly zero, so gradient attacks cannot move from them.',
    hint: 'Look for saturated or non-differentiable layers; the black-box attack (Square) in the ensemble still covers those points.',
  },
  RANDOMIZED_FORWARD: {
    code: FlagCodes.RANDOMIZED_FORWARD,
    kind: 'attack-reliability',
    origin: 'autoattack',
    meaning: 'Two forward passes of the same inputs give different outputs: the model is randomized, and single-draw gradients are noisy.',
    hint: 'Evaluate with AutoAttack\'s "rand" version (APGD-CE and APGD-DLR with EOT over 20 draws).',
  },
  FGSM_BELOW_PGD: {
    code: FlagCodes.FGSM_BELOW_PGD,
    kind: 'attack-reliability',
    origin: 'temper',
    meaning: 'A single FGSM step left fewer points robust than many PGD steps, which a working iterative attack never allows.',
    hint: 'Suspect gradient masking or obfuscation; compare with the black-box attack.',
  },
  NON_MONOTONE_EPS_CURVE: {
    code: FlagCodes.NON_MONOTONE_EPS_CURVE,
    kind: 'attack-reliability',
    origin: 'temper',
    meaning: 'Some points were fooled at a smaller eps but survived a larger one, although the smaller ball lies inside the larger: an attack is not finding the worst case everywhere.',
    hint: 'Run more restarts or the "plus" version; the larger eps\'s robust accuracy is an overestimate.',
  },
  CLEAN_NEAR_CHANCE: {
    code: FlagCodes.CLEAN_NEAR_CHANCE,
    kind: 'setup',
    origin: 'temper',
    meaning: 'Clean accuracy is at most twice chance (1 / number of classes), so the model barely classifies the dataset at all and robustness numbers say nothing.',
    hint: 'Check the input preprocessing: a model trained on [0,255] pixels needs preprocessing {kind: "byte"}, one trained on normalized inputs needs meanStd; also check that the labels and the class order match the model.',
  },
  NONFINITE_WEIGHTS: {
    code: FlagCodes.NONFINITE_WEIGHTS,
    kind: 'setup',
    origin: 'temper',
    meaning: 'Some of the model\'s weights are NaN or infinite, so its outputs (and every attack on it) are unreliable.',
    hint: 'The model diverged in training or its weight file is corrupt; re-export it from a healthy checkpoint.',
  },
});
