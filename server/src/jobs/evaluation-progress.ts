import type { EvaluationProgress } from '@temper/edge/evaluation';
import type { EvaluateProgress } from './kinds/evaluate.ts';

/**
 * An evaluation's progress as a job reports it: one fraction over the whole evaluation, in which
 * every (eps, attack) stage weighs the same and advances with its samples done (stages attack only
 * the points still robust, so their sizes differ), and an ETA from the rate so far.
 */
export function evaluationProgress(p: EvaluationProgress, elapsedSeconds: number): Extract<EvaluateProgress, { phase: 'evaluating' }> {
  const stages = Math.max(1, p.epsCount * (p.attackCount ?? 1));
  const ap = p.attackProgress;
  const within = ap && ap.samplesTotal > 0 ? ap.samplesDone / ap.samplesTotal : 0;
  const stage = p.phase === 'attack' ? (p.epsIndex ?? 0) * (p.attackCount ?? 1) + (p.attackIndex ?? 0) : 0;
  const fraction = Math.min(1, (stage + within) / stages);
  return {
    phase: 'evaluating',
    message: [p.phase, p.eps !== undefined ? `eps ${p.eps}` : '', p.attack ?? ''].filter(Boolean).join(' '),
    step: p.epsIndex ?? 0,
    totalSteps: p.epsCount,
    fraction,
    ...(ap ? { samplesDone: ap.samplesDone, samplesTotal: ap.samplesTotal } : {}),
    ...(p.attack !== undefined ? { attack: p.attack } : {}),
    ...(p.eps !== undefined ? { eps: p.eps } : {}),
    ...(p.robustAccuracy !== undefined ? { robustAccuracy: p.robustAccuracy } : {}),
    ...(fraction > 0 ? { etaSeconds: (elapsedSeconds * (1 - fraction)) / fraction } : {}),
  };
}
