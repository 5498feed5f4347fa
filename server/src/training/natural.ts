import { logits, crossEntropy } from '@temper/edge';
import type { LossFn } from './stepper.ts';


/** Natural (non-robust) training: the reference every hardening method is compared with. */
export const naturalLoss: LossFn = ({ x, y }, student) => {
  const ce = crossEntropy(logits(student, x, true), y);
  return { loss: ce, terms: { ce } };
};
